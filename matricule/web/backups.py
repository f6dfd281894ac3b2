"""Backups seen from the administration screen: the archives in MATRICULE_BACKUP_DIR and a
background backup. Restoring stays a command-line operation (`manage.py restore FILE`),
which asks for its own confirmation and needs the site stopped."""

from __future__ import annotations

import datetime
import hashlib
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from matricule.core.audit import audit_record

if TYPE_CHECKING:
    from matricule.accounts.models import User

ARCHIVE_SUFFIXES = (".tar.gz", ".tgz")
# (path, size, mtime) -> sha256: a checksum is computed once per archive and process.
_checksums: dict[tuple[str, int, float], str] = {}


@dataclass(frozen=True)
class Archive:
    name: str
    size: int
    modified: datetime.datetime
    sha256: str


def backup_dir() -> Path:
    return Path(settings.MATRICULE_BACKUP_DIR)


def _sha256(path: Path, size: int, mtime: float) -> str:
    key = (str(path), size, mtime)
    if key not in _checksums:
        digest = hashlib.sha256()
        with path.open("rb") as handle:
            for chunk in iter(lambda: handle.read(1 << 20), b""):
                digest.update(chunk)
        _checksums[key] = digest.hexdigest()
    return _checksums[key]


def archive_list() -> list[Archive]:
    """The archives of the backup folder, newest first (half-written ones are left out)."""
    folder = backup_dir()
    if not folder.is_dir():
        return []
    archives = []
    for path in folder.iterdir():
        if not path.is_file() or not path.name.endswith(ARCHIVE_SUFFIXES):
            continue
        stat = path.stat()
        archives.append(
            Archive(
                name=path.name,
                size=stat.st_size,
                modified=datetime.datetime.fromtimestamp(stat.st_mtime, tz=datetime.UTC),
                sha256=_sha256(path, stat.st_size, stat.st_mtime),
            )
        )
    return sorted(archives, key=lambda a: a.modified, reverse=True)


def backup_start(*, by: User, reason: str) -> str:
    """Queue a backup to `<backup dir>/matricule-<date>.tar.gz`; returns the file name."""
    from matricule.web.tasks import backup_run

    if len(reason.strip()) < 5:
        raise ValidationError({"reason": _("Indiquez le motif (5 caractères au moins).")})
    name = f"matricule-{timezone.localtime():%Y%m%d-%H%M%S}.tar.gz"
    with transaction.atomic():
        audit_record(
            by=by,
            action="backup.create",
            object_type="core.backup",
            object_repr=name,
            after={"file": name, "reason": reason.strip()},
        )
        transaction.on_commit(lambda: backup_run.enqueue(name, by.pk))
    return name
