"""Concurrent assignments: exactly one succeeds, the others are refused — on both databases.

Each thread has its own database connection and transaction. On PostgreSQL the service's
row locks make the later ones wait, then see the first one's assignment. On SQLite the
write transactions are IMMEDIATE and so run one at a time; the tests' in-memory database
cannot queue writers (shared-cache locks fail at once), so the race runs on a file copy,
as in production.
"""

from __future__ import annotations

import datetime
import sqlite3
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import pytest
from django.db import connection, connections

from matricule.deployments import services as s
from matricule.deployments.models import Assignment, Position
from matricule.personnel.models import Officer

pytestmark = pytest.mark.django_db(transaction=True)
RACERS = 4


@contextmanager
def _shared_database(tmp_path: Path) -> Iterator[None]:
    """Let new threads' connections reach what this test committed."""
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
    """Run the jobs at the same instant, one thread and one connection each."""
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


def _in_thread(fn: Callable[[], Any]) -> Any:
    (result,) = _race([fn])
    return result


def test_concurrent_assignments_of_one_officer_book_exactly_one(
    mali, make_operation, make_position, hire, today, tmp_path
):
    positions = [
        make_position(
            make_operation(name=f"Opération {i}", start=today + datetime.timedelta(days=10)),
            title=f"Poste {i}",
        ).pk
        for i in range(RACERS)
    ]
    officer_id = hire(family_name="Konaté", given_names="Bakary").pk

    def assign(position_id: int) -> Callable[[], Any]:
        return lambda: s.assignment_create(
            position=Position.objects.get(pk=position_id),
            officer=Officer.objects.get(pk=officer_id),
            by=None,
        )

    with _shared_database(tmp_path):
        results = _race([assign(pk) for pk in positions])
        saved = _in_thread(lambda: Assignment.objects.filter(officer_id=officer_id).count())

    booked = [r for r in results if isinstance(r, Assignment)]
    refused = [r for r in results if isinstance(r, s.DoubleBooking)]
    assert (len(booked), len(refused)) == (1, RACERS - 1), results
    assert saved == 1
    assert "ne peut pas être affectée deux fois" in refused[0].messages[0]


def test_concurrent_assignments_to_the_last_seat_fill_it_once(
    mali, make_operation, make_position, hire, today, tmp_path
):
    position_id = make_position(make_operation(), count=1, title="Négociateur").pk
    officers = [hire(family_name=f"Candidat{chr(97 + i)}").pk for i in range(RACERS)]

    def assign(officer_id: int) -> Callable[[], Any]:
        return lambda: s.assignment_create(
            position=Position.objects.get(pk=position_id),
            officer=Officer.objects.get(pk=officer_id),
            by=None,
        )

    with _shared_database(tmp_path):
        results = _race([assign(pk) for pk in officers])
        saved = _in_thread(lambda: Assignment.objects.filter(position_id=position_id).count())

    booked = [r for r in results if isinstance(r, Assignment)]
    full = [r for r in results if isinstance(r, s.PositionFull)]
    assert (len(booked), len(full)) == (1, RACERS - 1), results
    assert saved == 1
