"""Backup and restore of everything Matricule keeps: database, uploaded files, keys.

See archive.py for the format, writing.py for `backup`, restoring.py for `restore` and
janitor.py for what happens when either is killed.
"""

from __future__ import annotations

from matricule.core.backup.errors import BackupError
from matricule.core.backup.restoring import (
    RestoreReport,
    archive_verify,
    backup_restore,
    interrupted_restore,
    recover_interrupted,
)
from matricule.core.backup.writing import BackupInfo, backup_create

__all__ = [
    "BackupError",
    "BackupInfo",
    "RestoreReport",
    "archive_verify",
    "backup_create",
    "backup_restore",
    "interrupted_restore",
    "recover_interrupted",
]
