"""Concurrent assignments: exactly one succeeds, the others are refused — on both databases.

Each thread has its own database connection and transaction. On PostgreSQL the service's
row locks make the later ones wait, then see the first one's assignment. On SQLite the
write transactions are IMMEDIATE and so run one at a time on the file-backed test database.
"""

from __future__ import annotations

import datetime
from collections.abc import Callable
from typing import Any

import pytest

from matricule.core.tests.concurrency import run_together
from matricule.deployments import services as s
from matricule.deployments.models import Assignment, Position
from matricule.personnel.models import Officer

pytestmark = pytest.mark.django_db(transaction=True)
RACERS = 4


def test_concurrent_assignments_of_one_officer_book_exactly_one(
    mali, make_operation, make_position, hire, today
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

    results = run_together(*[assign(pk) for pk in positions])
    saved = Assignment.objects.filter(officer_id=officer_id).count()

    booked = [r for r in results if isinstance(r, Assignment)]
    refused = [r for r in results if isinstance(r, s.DoubleBooking)]
    assert (len(booked), len(refused)) == (1, RACERS - 1), results
    assert saved == 1
    assert "ne peut pas être affectée deux fois" in refused[0].messages[0]


def test_concurrent_assignments_to_the_last_seat_fill_it_once(
    mali, make_operation, make_position, hire, today
):
    position_id = make_position(make_operation(), count=1, title="Négociateur").pk
    officers = [hire(family_name=f"Candidat{chr(97 + i)}").pk for i in range(RACERS)]

    def assign(officer_id: int) -> Callable[[], Any]:
        return lambda: s.assignment_create(
            position=Position.objects.get(pk=position_id),
            officer=Officer.objects.get(pk=officer_id),
            by=None,
        )

    results = run_together(*[assign(pk) for pk in officers])
    saved = Assignment.objects.filter(position_id=position_id).count()

    booked = [r for r in results if isinstance(r, Assignment)]
    full = [r for r in results if isinstance(r, s.PositionFull)]
    assert (len(booked), len(full)) == (1, RACERS - 1), results
    assert saved == 1
