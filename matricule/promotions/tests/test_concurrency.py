"""Concurrent promotions never exceed the vacancies — on both databases.

Each thread has its own connection and transaction. On PostgreSQL the service's lock on
the vacancy row makes the later ones wait, then count the first one's decision. On SQLite
write transactions are IMMEDIATE and run one at a time; the tests' in-memory database
cannot queue writers, so the race runs on a file copy, as in production (see
deployments/tests/test_concurrency.py).
"""

from __future__ import annotations

import sqlite3
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import pytest
from django.db import connection, connections

from matricule.personnel.models import Officer
from matricule.promotions.models import Campaign, Decision, Eligibility
from matricule.promotions.services import boards, vacancies
from matricule.promotions.services.runs import eligibility_run

pytestmark = pytest.mark.django_db(transaction=True)


@contextmanager
def _shared_database(tmp_path: Path) -> Iterator[None]:
    if connection.vendor != "sqlite":
        yield
        return
    path = tmp_path / "race.sqlite3"
    copy = sqlite3.connect(path)
    connection.ensure_connection()
    connection.connection.backup(copy)
    copy.close()
    original = connections.settings["default"]
    connections.settings["default"] = {**original, "NAME": str(path)}
    try:
        yield
    finally:
        connections.settings["default"] = original


def _race(jobs: list[Callable[[], Any]]) -> list[Any]:
    barrier = threading.Barrier(len(jobs))
    results: list[Any] = [None] * len(jobs)

    def run(index: int) -> None:
        try:
            barrier.wait()
            results[index] = jobs[index]()
        except Exception as error:  # the refusal is the result
            results[index] = error
        finally:
            connections.close_all()

    threads = [threading.Thread(target=run, args=(i,)) for i in range(len(jobs))]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    return results


def test_concurrent_promotions_fill_the_last_post_once(
    make_rule, make_campaign, sergeants, board_for, tmp_path
):
    make_rule()
    campaign = make_campaign()
    run = eligibility_run(campaign=campaign, by=None)
    (vacancy,) = vacancies.vacancies_propose(campaign=campaign, by=None)
    vacancies.vacancy_fix(vacancy=vacancy, fixed=1, reason="Un seul poste budgété", by=None)
    board_for(campaign)
    officer_ids = list(
        Eligibility.objects.filter(run=run, eligible=True).values_list("officer_id", flat=True)
    )
    assert len(officer_ids) == 4

    def promote(officer_id: int) -> Callable[[], Any]:
        return lambda: boards.decision_record(
            campaign=Campaign.objects.get(pk=campaign.pk),
            officer=Officer.objects.get(pk=officer_id),
            outcome="promoted",
            by=None,
            justification="Choix de la commission après délibération",
        )

    with _shared_database(tmp_path):
        results = _race([promote(pk) for pk in officer_ids])
        (saved,) = _race(
            [lambda: Decision.objects.filter(campaign_id=campaign.pk, outcome="promoted").count()]
        )
    made = [r for r in results if isinstance(r, Decision)]
    full = [r for r in results if isinstance(r, boards.VacanciesFull)]
    assert (len(made), len(full)) == (1, 3), results
    assert saved == 1
