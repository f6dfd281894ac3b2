"""The one error of backups and restores."""

from __future__ import annotations


class BackupError(Exception):
    """A backup or restore could not be done; the message says why, in French."""
