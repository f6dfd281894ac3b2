"""Fixtures of the training tests: the seeded catalogue and sessions built through services."""

from __future__ import annotations

import datetime
from collections.abc import Callable
from typing import Any

import pytest


@pytest.fixture
def catalogue(mali: Any) -> dict[str, Any]:
    """The seeded catalogue, by course code."""
    from matricule.training.models import Course
    from matricule.training.seeding import seed_training_catalogue

    seed_training_catalogue()
    return {c.code: c for c in Course.objects.all()}


@pytest.fixture
def make_session(catalogue: dict[str, Any], mali: Any) -> Callable[..., Any]:
    from matricule.training.services import session_create

    def factory(
        code: str = "POLPROX",
        *,
        start: datetime.date = datetime.date(2026, 3, 2),
        days: int = 5,
        capacity: int = 20,
        partner: Any = None,
    ) -> Any:
        return session_create(
            agency=mali,
            course=catalogue[code],
            start_date=start,
            end_date=start + datetime.timedelta(days=days - 1),
            venue="École nationale de police, Bamako",
            capacity=capacity,
            partner=partner,
            by=None,
        )

    return factory
