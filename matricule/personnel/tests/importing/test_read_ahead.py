"""On SQLite a history import reads each batch during the pause before it, outside the write
lock: what it read is used only if nobody else committed meanwhile."""

from __future__ import annotations

import datetime

import pytest
from django.db import connection

from matricule.core.bulk import others_commits
from matricule.core.models import Unit
from matricule.core.tests.concurrency import run_together
from matricule.personnel.importing import history
from matricule.personnel.models import EventKind, ImportJob, Officer
from matricule.personnel.services import Act, event_record
from matricule.personnel.services.periods import periods_expected, periods_stored
from matricule.personnel.tests.importing.support import csv_file, run

pytestmark = pytest.mark.django_db(transaction=True)


def rename(officer_id: int, name: str) -> None:
    Officer.objects.filter(pk=officer_id).update(family_name=name)


def test_the_mark_moves_with_other_connections_commits_only(hire):
    if connection.vendor != "sqlite":
        assert others_commits() is None
        return
    officer = hire()
    before = others_commits()
    rename(officer.pk, "Coulibaly")  # this connection's own commit
    assert others_commits() == before
    [done] = run_together(lambda: rename(officer.pk, "Keïta"))
    assert done is None
    assert others_commits() != before


def test_a_batch_read_ahead_is_read_again_when_a_clerk_saved_meanwhile(clerk, hire, monkeypatch):
    first, second = hire(family_name="Diarra"), hire(family_name="Sangaré")
    elsewhere = Unit.objects.get(code="DR-BKO")
    later = datetime.date(2024, 3, 1)

    def clerk_saves() -> None:
        # A posting recorded from the screen, after the file's, for the second officer.
        event_record(
            officer=Officer.objects.get(pk=second.pk),
            kind=EventKind.POSTING,
            effective_date=later,
            unit=elsewhere,
            act=Act(number="2024-117/DGPN", date=later),
            by=None,
        )

    saved = []

    class OneAtATime(history.BatchSizer):
        def __init__(self, limit: int) -> None:
            super().__init__(1)

        def rest(self) -> None:
            # The pause, once the next batch is read: the clerk's write gets in.
            if not saved:
                saved.extend(run_together(clerk_saves))
            super().rest()

    monkeypatch.setattr(history, "BatchSizer", OneAtATime)
    job = run(
        clerk,
        csv_file(
            [["Matricule", "Affectation", "Du"]]
            + [[o.matricule, "BKO-CA02", "01/01/2020"] for o in (first, second)]
        ),
        mode=ImportJob.Mode.ATOMIC,
        kind=ImportJob.Kind.POSTING,
        options={"date_order": "dmy"},
    )
    assert job.state == ImportJob.State.DONE, job.report
    assert saved == [None]
    second.refresh_from_db()
    # The snapshot and the periods count the clerk's posting, not only the file's.
    assert second.unit_id == elsewhere.pk
    assert periods_stored([second.pk]) == periods_expected([second.pk])
    assert [p.valid_from for p in periods_stored([second.pk])[second.pk]][-1] == later
