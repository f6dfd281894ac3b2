"""Background work of the personnel app, run by `python manage.py worker` (or db_worker)."""

from __future__ import annotations

from django_tasks import task

from matricule.personnel.importing.services import import_job_stale, import_jobs_recover, import_run
from matricule.personnel.models import ImportJob


@task()
def import_job_run(job_id: int) -> None:
    """Run an import queued by the screens, `import_rerun` or `import_restart`."""
    job = ImportJob.objects.select_related("agency", "created_by").filter(pk=job_id).first()
    if job is None:
        return  # deleted while waiting in the queue
    if job.state == ImportJob.State.RUNNING:
        # Handed out again after its worker died: recover it rather than run it twice.
        if import_job_stale(job):
            import_jobs_recover(job=job)
        return
    import_run(job=job, by=job.created_by)
