"""`restore FILE`: verify everything, stage everything, then swap in one step.

1. The whole archive is read and checked against its manifest while it is copied into a
   staging folder beside the media folder (`<var>/.restauration/`, 0700) and, for SQLite,
   a staging file beside the database; PostgreSQL loads a staging database. Any problem
   here leaves the current database, files and keys exactly as they were.
2. A journal is written (synced): the point of no return.
3. The swap: database (one rename, or two database renames in one transaction), media
   folder (renames), missing key files copied in, the archive's audit checkpoint put in
   place of the current one. Each step can be replayed.
4. The journal and the staging copies are removed.

A death before 2 leaves the old state, and the janitor (or the next run) deletes the
staging copies; a death after 2 is finished by the janitor, or by the next `restore`,
`backup` or start-up check, which all look for the journal first.
"""

from __future__ import annotations

import json
import os
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from django.conf import settings

from matricule.core import audit_keys
from matricule.core.backup import database as db
from matricule.core.backup.archive import (
    AUDIT_KEYS,
    CARD_KEYS,
    MEDIA,
    NOTHING_CHANGED,
    ArchiveContents,
    read_archive,
)
from matricule.core.backup.errors import BackupError
from matricule.core.backup.files import copy_durably, fsync_dir, private_dir, remove_tree
from matricule.core.backup.janitor import Janitor
from matricule.core.backup.writing import lock_path, operation_lock

STAGING_NAME = ".restauration"
JOURNAL_NAME = "journal.json"
EXTRACTED = "archive"
OLD_MEDIA = "ancien-media"


@dataclass(frozen=True)
class RestoreReport:
    created_at: str
    vendor: str
    format: int
    media: int
    audit_keys: int
    card_keys: int
    checkpoint: bool


def staging_dir() -> Path:
    return Path(settings.MEDIA_ROOT).parent / STAGING_NAME


def journal_path() -> Path:
    return staging_dir() / JOURNAL_NAME


def interrupted_restore() -> Path | None:
    """The journal of a restore that passed its point of no return but did not finish."""
    path = journal_path()
    return path if path.exists() else None


def archive_verify(source: Path) -> ArchiveContents:
    """Check an archive without restoring anything (nothing is written)."""
    return read_archive(source)


def backup_restore(source: Path) -> RestoreReport:
    """Replace the database, media and key material with the archive's, or change nothing."""
    source = source.absolute()
    vendor = db.vendor()
    with operation_lock():
        recover_interrupted()
        staging = staging_dir()
        with Janitor(
            lock=lock_path(), recover=_recover_quietly, drop_database=db.pg_drop
        ) as janitor:
            janitor.remove_on_death(staging)
            if vendor == "sqlite":
                janitor.remove_on_death(db.sqlite_staging_path())
            try:
                contents = _stage(source, vendor, staging, janitor)
                plan = _plan(contents, vendor, staging)
                db.close_django_connections()
                _write_journal(staging, plan)  # the point of no return
            except BaseException:
                _discard(vendor)
                raise
            janitor.recover_on_death()
            _apply(plan)
            _finish(plan)
    return RestoreReport(
        created_at=contents.created_at,
        vendor=contents.vendor,
        format=contents.format,
        media=len(contents.names(MEDIA)),
        audit_keys=len(
            [n for n in contents.names(AUDIT_KEYS) if not n.endswith(audit_keys.CHECKPOINT_NAME)]
        ),
        card_keys=len(contents.names(CARD_KEYS)),
        checkpoint=plan["checkpoint"] == "replace",
    )


def _stage(source: Path, vendor: str, staging: Path, janitor: Janitor) -> ArchiveContents:
    remove_tree(staging)
    private_dir(staging)
    media_root = Path(settings.MEDIA_ROOT)
    if media_root.exists() and os.stat(media_root).st_dev != os.stat(staging).st_dev:
        raise BackupError(
            f"Le dossier {media_root} est sur un autre disque que {staging.parent} : la "
            f"restauration ne pourrait pas le remplacer d'un seul coup. {NOTHING_CHANGED}"
        )
    if vendor == "sqlite":
        database_to = db.sqlite_staging_path()
        database_to.unlink(missing_ok=True)
    else:
        database_to = staging / "database.pgdump"
    contents = read_archive(source, extract_to=staging / EXTRACTED, database_to=database_to)
    if contents.vendor != vendor:
        raise BackupError(
            f"Sauvegarde {contents.vendor} : elle ne peut être restaurée que sur une base du "
            f"même type (ici : {vendor}). {NOTHING_CHANGED}"
        )
    # Always present, so that an archive without files empties the media folder.
    (staging / EXTRACTED / MEDIA).mkdir(mode=0o700, parents=True, exist_ok=True)
    _check_keys(staging)
    if vendor == "sqlite":
        db.sqlite_check(database_to)
    else:
        db.close_django_connections()
        others = db.pg_others_connected(db.pg_name())
        if others:
            raise BackupError(
                f"{others} connexion(s) ouverte(s) sur la base {db.pg_name()} : arrêtez "
                "d'abord Matricule (systemctl stop matricule matricule-worker), puis "
                f"relancez. {NOTHING_CHANGED}"
            )
        janitor.drop_database_on_death(db.pg_staging_name())
        db.pg_load_staging(database_to, db.pg_create_staging())
    if os.geteuid() == 0:
        _hand_over(staging, database_to if vendor == "sqlite" else None)
    return contents


def _key_targets() -> dict[str, Path]:
    return {
        AUDIT_KEYS: audit_keys.key_dir(),
        CARD_KEYS: Path(settings.MATRICULE_CARD_KEY_DIR),
    }


def _check_keys(staging: Path) -> None:
    """A key of the same name but other content would be overwritten: refuse instead."""
    for prefix, folder in _key_targets().items():
        staged = staging / EXTRACTED / prefix
        if not staged.is_dir():
            continue
        for path in sorted(staged.iterdir()):
            if path.name == audit_keys.CHECKPOINT_NAME:
                continue
            current = folder / path.name
            if current.exists() and current.read_bytes() != path.read_bytes():
                raise BackupError(
                    f"La clé {current} diffère de celle de l'archive : elle ne sera pas "
                    f"écrasée. Mettez-la de côté (elle peut servir à vérifier d'anciennes "
                    f"données), puis relancez. {NOTHING_CHANGED}"
                )


def _hand_over(staging: Path, database: Path | None) -> None:
    """Run as root: give the restored files to the account that owns the data folder."""
    owner = os.stat(Path(settings.MEDIA_ROOT).parent)
    paths = [staging, *staging.rglob("*")]
    if database is not None:
        paths.append(database)
    for path in paths:
        os.chown(path, owner.st_uid, owner.st_gid, follow_symlinks=False)


def _plan(contents: ArchiveContents, vendor: str, staging: Path) -> dict[str, Any]:
    has_checkpoint = f"{AUDIT_KEYS}/{audit_keys.CHECKPOINT_NAME}" in contents.members
    return {
        "vendor": vendor,
        "staging": str(staging),
        "media_root": str(Path(settings.MEDIA_ROOT)),
        "keys": {prefix: str(folder) for prefix, folder in _key_targets().items()},
        # The checkpoint that belongs to the restored chain (none: the current one would
        # attest entries the restored chain never had).
        "checkpoint": "replace" if has_checkpoint else "remove",
        "created_at": contents.created_at,
    }


def _write_journal(staging: Path, plan: dict[str, Any]) -> None:
    temp = staging / (JOURNAL_NAME + ".tmp")
    fd = os.open(temp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "w") as handle:
        json.dump(plan, handle)
        handle.flush()
        os.fsync(handle.fileno())
    os.replace(temp, staging / JOURNAL_NAME)
    fsync_dir(staging)


def _apply(plan: dict[str, Any]) -> None:
    """The swap, step by step; every step can run again after an interruption."""
    if plan["vendor"] == "sqlite":
        db.sqlite_swap()
    else:
        db.pg_swap()
    _swap_media(plan)
    _copy_keys(plan)
    _put_checkpoint(plan)


def _swap_media(plan: dict[str, Any]) -> None:
    staging = Path(plan["staging"])
    new = staging / EXTRACTED / MEDIA
    if not new.exists():
        return
    root = Path(plan["media_root"])
    if root.exists():
        old = staging / OLD_MEDIA
        index = 1
        while old.exists():
            old = staging / f"{OLD_MEDIA}-{index}"
            index += 1
        os.rename(root, old)
    os.rename(new, root)
    fsync_dir(root.parent)


def _copy_keys(plan: dict[str, Any]) -> None:
    staging = Path(plan["staging"])
    for prefix, folder in plan["keys"].items():
        staged = staging / EXTRACTED / prefix
        if not staged.is_dir():
            continue
        for path in sorted(staged.iterdir()):
            if path.name == audit_keys.CHECKPOINT_NAME:
                continue
            target = Path(folder) / path.name
            if not target.exists():
                private_dir(Path(folder))
                copy_durably(path, target)
            path.unlink()


def _put_checkpoint(plan: dict[str, Any]) -> None:
    folder = Path(plan["keys"][AUDIT_KEYS])
    target = folder / audit_keys.CHECKPOINT_NAME
    if plan["checkpoint"] == "replace":
        staged = Path(plan["staging"]) / EXTRACTED / AUDIT_KEYS / audit_keys.CHECKPOINT_NAME
        if staged.exists():
            private_dir(folder)
            copy_durably(staged, target)
            staged.unlink()
    elif target.exists():
        target.unlink()
        fsync_dir(folder)
    audit_keys.clear_key_cache()


def _finish(plan: dict[str, Any]) -> None:
    staging = Path(plan["staging"])
    (staging / JOURNAL_NAME).unlink(missing_ok=True)
    fsync_dir(staging)
    remove_tree(staging)
    if plan["vendor"] == "postgresql":
        db.pg_drop(db.pg_old_name())


def _discard(vendor: str) -> None:
    """Undo a restore that did not reach its point of no return (the old state stays)."""
    remove_tree(staging_dir())
    if vendor == "sqlite":
        db.sqlite_discard_staging()
    else:
        db.pg_drop(db.pg_staging_name())


def recover_interrupted() -> str:
    """Finish (journal present) or undo (no journal) a restore that was interrupted.

    Returns "finished", "discarded" or "" when there was nothing to do.
    """
    vendor = db.vendor()
    journal = interrupted_restore()
    if journal is not None:
        plan = json.loads(journal.read_text())
        _apply(plan)
        _finish(plan)
        return "finished"
    leftovers = staging_dir().exists()
    if vendor == "sqlite":
        leftovers = leftovers or db.sqlite_staging_path().exists()
    else:
        with db.pg_connect() as connection:
            leftovers = (
                leftovers
                or db.pg_exists(connection, db.pg_staging_name())
                or db.pg_exists(connection, db.pg_old_name())
            )
    if leftovers:
        _discard(vendor)
        if vendor == "postgresql":
            db.pg_drop(db.pg_old_name())
        return "discarded"
    return ""


def _recover_quietly() -> None:  # pragma: no cover - runs in the janitor
    recover_interrupted()
