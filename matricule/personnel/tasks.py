"""Background work of the personnel app, run by `python manage.py db_worker`."""

from __future__ import annotations

from django_tasks import task

from matricule.personnel.importing.services import import_run
from matricule.personnel.models import ImportJob


@task()
def import_job_run(job_id: int) -> None:
    """Run a large import queued by `import_start` or `import_rerun`."""
    job = ImportJob.objects.select_related("agency", "created_by").filter(pk=job_id).first()
    if job is None:
        return  # deleted while waiting in the queue
    import_run(job=job, by=job.created_by)
