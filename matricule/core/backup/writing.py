"""`backup FILE`: the database, the uploaded files and the key folders, in one archive.

Order matters for a consistent archive taken while the site runs: the audit checkpoint
is read *before* the database copy (so it never attests entries the copy lacks), the key
folders are read *after* it (so every key the copy refers to is there).
"""

from __future__ import annotations

import fcntl
import os
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from django.conf import settings
from django.utils import timezone

from matricule.core import audit_keys
from matricule.core.backup import database as db
from matricule.core.backup.archive import AUDIT_KEYS, CARD_KEYS, MEDIA, ArchiveWriter, media_files
from matricule.core.backup.errors import BackupError
from matricule.core.backup.files import PendingFile, partial_name, private_dir, stale_partials
from matricule.core.backup.janitor import Janitor

LOCK_NAME = ".sauvegarde.lock"


@dataclass(frozen=True)
class BackupInfo:
    path: Path
    vendor: str
    size: int
    created_at: str
    media: int
    audit_keys: int
    card_keys: int
    checkpoint: bool


def lock_path() -> Path:
    return private_dir(Path(settings.VAR_DIR)) / LOCK_NAME


@contextmanager
def operation_lock() -> Iterator[None]:
    """One backup or restore at a time on this server."""
    fd = os.open(lock_path(), os.O_RDWR | os.O_CREAT, 0o600)
    try:
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            raise BackupError(
                "Une sauvegarde ou une restauration est déjà en cours sur ce serveur."
            ) from None
        yield
    finally:
        os.close(fd)


def audit_key_files() -> list[Path]:
    folder = audit_keys.key_dir()
    if not folder.is_dir():
        return []
    return sorted(folder.glob(f"{audit_keys.KEY_PREFIX}*{audit_keys.KEY_SUFFIX}"))


def card_key_files() -> list[Path]:
    folder = Path(settings.MATRICULE_CARD_KEY_DIR)
    return sorted(folder.glob("*.pem")) if folder.is_dir() else []


def backup_create(target: Path) -> BackupInfo:
    """Write a complete, consistent archive to `target` (0600; all or nothing)."""
    from matricule.core.backup.restoring import recover_interrupted

    target = target.absolute()
    if target.is_dir():
        raise BackupError(f"{target} est un dossier : donnez le nom du fichier à écrire.")
    folder = target.parent
    folder.mkdir(mode=0o700, parents=True, exist_ok=True)
    vendor = db.vendor()
    with operation_lock():
        recover_interrupted()
        for stale in stale_partials(folder):
            stale.unlink(missing_ok=True)
        with Janitor(lock=lock_path(), recover=lambda: None, drop_database=db.pg_drop) as janitor:
            return _write(target, vendor, janitor)


def _write(target: Path, vendor: str, janitor: Janitor) -> BackupInfo:
    folder = target.parent
    created_at = timezone.now().isoformat()
    checkpoint_path = audit_keys.key_dir() / audit_keys.CHECKPOINT_NAME
    checkpoint = checkpoint_path.read_bytes() if checkpoint_path.is_file() else None
    archive = PendingFile(folder, named_like=target)
    snapshot: PendingFile | None = None
    snapshot_fd = -1
    try:
        if archive.named is not None:
            janitor.remove_on_death(archive.named)
        if vendor == "sqlite":
            # SQLite writes to a path: a hidden name that lives only while the copy is made.
            named = partial_name(folder / "base.sqlite3")
            janitor.remove_on_death(named)
            try:
                db.sqlite_snapshot(named)
                snapshot_fd = os.open(named, os.O_RDONLY)
            finally:
                named.unlink(missing_ok=True)
                janitor.forget(named)
        else:
            snapshot = PendingFile(folder, named_like=folder / "base.pgdump")
            if snapshot.named is not None:
                janitor.remove_on_death(snapshot.named)
            db.pg_dump_into(snapshot.fd)
            snapshot_fd = snapshot.fd
        with open(archive.fd, "wb", closefd=False) as out:
            writer = ArchiveWriter(
                out, header={"vendor": vendor, "created_at": created_at, "application": "matricule"}
            )
            size = os.fstat(snapshot_fd).st_size
            os.lseek(snapshot_fd, 0, os.SEEK_SET)
            with open(snapshot_fd, "rb", closefd=False) as dump:
                writer.add_stream(db.dump_name(), dump, size=size, mode=0o600, mtime=0)
            media = 0
            for name, path in media_files(Path(settings.MEDIA_ROOT)):
                writer.add_path(name, path)
                media += 1
            audit_files = audit_key_files()
            for path in audit_files:
                writer.add_path(f"{AUDIT_KEYS}/{path.name}", path)
            if checkpoint is not None:
                writer.add_bytes(f"{AUDIT_KEYS}/{audit_keys.CHECKPOINT_NAME}", checkpoint)
            card_files = card_key_files()
            for path in card_files:
                writer.add_path(f"{CARD_KEYS}/{path.name}", path)
            writer.close(
                counts={MEDIA: media, "audit_keys": len(audit_files), "card_keys": len(card_files)}
            )
        archive.publish(target)
        if archive.named is not None:
            janitor.forget(archive.named)
    finally:
        if vendor == "sqlite" and snapshot_fd >= 0:
            os.close(snapshot_fd)
        if snapshot is not None:
            snapshot.close()
        archive.close()
    return BackupInfo(
        path=target,
        vendor=vendor,
        size=target.stat().st_size,
        created_at=created_at,
        media=media,
        audit_keys=len(audit_files),
        card_keys=len(card_files),
        checkpoint=checkpoint is not None,
    )
