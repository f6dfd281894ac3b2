"""The exits an import records take effect (login closed, cards revoked, missions ended) only
once every row is written: an all-or-nothing import undone halfway changes nothing else."""

from __future__ import annotations

import datetime

import pytest
from django.utils import timezone

from matricule.core.models import AuditEntry
from matricule.personnel.importing import history
from matricule.personnel.importing.services import import_jobs_recover
from matricule.personnel.models import CareerEvent, EventKind, ImportJob, Status
from matricule.personnel.tests.importing.support import csv_file, run

pytestmark = pytest.mark.django_db


def retirements(officers) -> bytes:
    return csv_file(
        [["Matricule", "Date", "Motif de sortie"]]
        + [[o.matricule, "01/07/2024", "retired"] for o in officers]
    )


@pytest.fixture
def two_with_logins(hire, make_user):
    officers = [hire(family_name="Keïta"), hire(family_name="Sangaré")]
    accounts = [make_user(officer=o, username=f"agent-{o.pk}") for o in officers]
    return officers, accounts


def import_exits(clerk, officers) -> ImportJob:
    return run(
        clerk,
        retirements(officers),
        mode=ImportJob.Mode.ATOMIC,
        kind=ImportJob.Kind.EXIT,
        options={"date_order": "dmy"},
    )


def test_a_written_import_closes_the_logins_of_those_who_left(clerk, two_with_logins):
    officers, accounts = two_with_logins
    job = import_exits(clerk, officers)
    assert job.state == ImportJob.State.DONE, job.report
    assert job.written_at is not None
    for officer, account in zip(officers, accounts, strict=True):
        officer.refresh_from_db()
        account.refresh_from_db()
        assert (officer.status, account.is_active) == (Status.RETIRED, False)
    assert AuditEntry.objects.filter(action="account.disable").count() == 2


def test_an_import_undone_after_a_failing_batch_leaves_every_login_open(
    clerk, two_with_logins, monkeypatch
):
    officers, accounts = two_with_logins
    real = history._batch_write
    calls = {"n": 0}

    def second_batch_fails(*args, **kwargs):
        calls["n"] += 1
        if calls["n"] == 2:
            raise history.IntegrityError("refusé par la base")
        return real(*args, **kwargs)

    class OneAtATime(history.BatchSizer):
        def __init__(self, limit: int) -> None:
            super().__init__(1)

    monkeypatch.setattr(history, "_batch_write", second_batch_fails)
    # One officer per batch: the first batch is written before the second fails.
    monkeypatch.setattr(history, "BatchSizer", OneAtATime)
    job = import_exits(clerk, officers)
    assert calls["n"] == 2
    assert job.state == ImportJob.State.FAILED and job.undone_at is not None
    assert job.written_at is None
    assert not CareerEvent.objects.filter(kind=EventKind.EXIT).exists()
    for officer, account in zip(officers, accounts, strict=True):
        officer.refresh_from_db()
        account.refresh_from_db()
        assert (officer.status, account.is_active) == (Status.ACTIVE, True)
    assert not AuditEntry.objects.filter(action="account.disable").exists()


def test_a_job_killed_after_writing_is_finished_not_undone(clerk, two_with_logins):
    officers, accounts = two_with_logins
    job = import_exits(clerk, officers)
    # As a worker killed between the last batch and the exits' effects leaves it.
    ImportJob.objects.filter(pk=job.pk).update(
        state=ImportJob.State.RUNNING,
        finished_at=None,
        heartbeat_at=timezone.now() - datetime.timedelta(minutes=10),
    )
    for account in accounts:
        account.is_active = True
        account.save(update_fields=["is_active"])
    [recovered] = import_jobs_recover()
    job.refresh_from_db()
    assert (recovered.pk, job.state, job.undone_at) == (job.pk, ImportJob.State.DONE, None)
    assert "le système a terminé l'import" in job.report[-1]["message"]
    assert CareerEvent.objects.filter(import_job=job, kind=EventKind.EXIT).count() == 2
    for account in accounts:
        account.refresh_from_db()
        assert account.is_active is False


def test_an_officers_file_giving_an_exit_closes_the_login_once_written(clerk, two_with_logins):
    officers, accounts = two_with_logins
    header = ["Matricule", "Nom", "Prénom(s)", "Sexe", "Date de naissance", "Grade", "Unité"]
    header += ["Date d'entrée", "Date de sortie", "Motif de sortie"]
    rows = [
        [
            *(o.matricule, o.family_name, o.given_names, o.sex, f"{o.birth_date:%d/%m/%Y}"),
            *(o.grade.code, o.unit.code, f"{o.entry_date:%d/%m/%Y}", "01/07/2024", "retired"),
        ]
        for o in officers
    ]
    job = run(
        clerk, csv_file([header, *rows]), mode=ImportJob.Mode.ATOMIC, options={"date_order": "dmy"}
    )
    assert job.state == ImportJob.State.DONE and job.written_at is not None, job.report
    for officer, account in zip(officers, accounts, strict=True):
        officer.refresh_from_db()
        account.refresh_from_db()
        assert (officer.status, account.is_active) == (Status.RETIRED, False)
