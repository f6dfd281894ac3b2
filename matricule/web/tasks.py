"""Background work started from the administration screens (run by `manage.py db_worker`)."""

from __future__ import annotations

from django_tasks import task

from matricule.accounts.models import User
from matricule.core.audit import audit_record
from matricule.core.backup import BackupError, backup_create
from matricule.web.backups import backup_dir


@task()
def backup_run(name: str, by_id: int | None) -> None:
    """Write a backup archive into the backup folder and record how it went."""
    by = User.objects.filter(pk=by_id).first() if by_id else None
    target = backup_dir() / name
    try:
        info = backup_create(target)
    except (BackupError, OSError) as error:
        audit_record(
            by=by,
            action="backup.failed",
            object_type="core.backup",
            object_repr=name,
            after={"file": name, "error": str(error)[:500]},
        )
        raise
    audit_record(
        by=by,
        action="backup.done",
        object_type="core.backup",
        object_repr=name,
        after={"file": name, "size": info.size},
    )
