"""A killed import does not stay « en cours »: heartbeat, recovery, restart from the screen."""

from __future__ import annotations

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from matricule.accounts.roles import Role
from matricule.core.hooks import worker_recoveries
from matricule.core.models import AuditEntry
from matricule.personnel.importing.services import import_job_stale, import_jobs_recover
from matricule.personnel.models import ImportJob, Officer
from matricule.personnel.tests.importing.support import HEADER, csv_file, new_row, run

pytestmark = pytest.mark.django_db


def killed(job: ImportJob, *, mode: str, minutes: int = 10) -> ImportJob:
    """The job as a worker killed mid-import leaves it: running, silent for `minutes`,
    not every row written yet."""
    ImportJob.objects.filter(pk=job.pk).update(
        state=ImportJob.State.RUNNING,
        mode=mode,
        finished_at=None,
        written_at=None,
        heartbeat_at=timezone.now() - datetime.timedelta(minutes=minutes),
    )
    job.refresh_from_db()
    return job


def three_rows(clerk) -> ImportJob:
    data = csv_file([HEADER, new_row(1), new_row(2), new_row(3)])
    job = run(clerk, data, mode=ImportJob.Mode.VALID_ROWS, options={"date_order": "dmy"})
    assert job.committed_rows == 3 and job.heartbeat_at is not None
    return job


def test_a_running_job_with_a_recent_heartbeat_is_left_alone(clerk):
    job = killed(three_rows(clerk), mode=ImportJob.Mode.ATOMIC, minutes=0)
    assert not import_job_stale(job)
    assert import_jobs_recover() == []
    job.refresh_from_db()
    assert job.state == ImportJob.State.RUNNING


def test_a_dead_all_or_nothing_import_is_undone_and_failed(clerk):
    job = killed(three_rows(clerk), mode=ImportJob.Mode.ATOMIC)
    assert Officer.objects.filter(import_job=job).count() == 3
    [recovered] = import_jobs_recover()
    assert recovered.pk == job.pk
    job.refresh_from_db()
    assert (job.state, job.undone_at is not None) == (ImportJob.State.FAILED, True)
    assert not Officer.objects.filter(family_name="Diarra").exists()
    assert "annulé par le système" in job.report[-1]["message"]
    assert AuditEntry.objects.filter(action="personnel.import_undo").count() == 1
    assert import_jobs_recover() == []  # once only


def test_a_dead_valid_rows_import_keeps_and_states_what_was_committed(clerk):
    job = killed(three_rows(clerk), mode=ImportJob.Mode.VALID_ROWS)
    import_jobs_recover()
    job.refresh_from_db()
    assert job.state == ImportJob.State.FAILED and job.undone_at is None
    assert Officer.objects.filter(import_job=job).count() == 3
    assert "après 3 lignes enregistrées" in job.report[-1]["message"]


def test_its_queued_task_is_failed_too(clerk):
    from django_tasks import TaskResultStatus
    from django_tasks_db.models import DBTaskResult

    job = killed(three_rows(clerk), mode=ImportJob.Mode.VALID_ROWS)
    result = DBTaskResult.objects.create(
        status=TaskResultStatus.RUNNING,
        args_kwargs={"args": [job.pk], "kwargs": {}},
        task_path="matricule.personnel.tasks.import_job_run",
        backend_name="default",
        run_after=timezone.now(),
        queue_name="default",
    )
    import_jobs_recover()
    result.refresh_from_db()
    assert result.status == TaskResultStatus.FAILED


def test_the_worker_recovers_dead_jobs_when_it_starts(clerk):
    job = killed(three_rows(clerk), mode=ImportJob.Mode.VALID_ROWS)
    assert worker_recoveries.keys() == ["personnel.imports"]
    assert [recover() for recover in worker_recoveries] == [1]
    job.refresh_from_db()
    assert job.state == ImportJob.State.FAILED


def test_the_report_page_shows_a_dead_job_failed_and_offers_a_restart(
    make_user, login, client, django_capture_on_commit_callbacks
):
    clerk = make_user(Role.HR_CLERK)
    job = killed(three_rows(clerk), mode=ImportJob.Mode.VALID_ROWS)
    login(clerk)
    page = client.get(reverse("personnel:import_detail", args=[job.pk])).content.decode()
    assert "Relancer l'import" in page and "interrompu" in page
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("personnel:import_restart", args=[job.pk]))
    new = ImportJob.objects.get(restarted_from=job)
    assert response["Location"] == reverse("personnel:import_detail", args=[new.pk])
    new.refresh_from_db()
    # Rows already committed come out unchanged: nobody is created twice.
    assert (new.state, new.created_count, new.unchanged_count) == (ImportJob.State.DONE, 0, 3)
    assert Officer.objects.filter(family_name="Diarra").count() == 3


def test_the_superuser_who_ran_an_import_reads_its_report(clerk, client, login):
    from matricule.accounts.models import User

    root = User.objects.create_superuser(username="racine", password="x")
    job = run(root, csv_file([HEADER, new_row(1)]), options={"date_order": "dmy"})
    login(root)
    assert client.get(reverse("personnel:import_detail", args=[job.pk])).status_code == 200
    assert client.get(reverse("personnel:import_list")).status_code == 200
