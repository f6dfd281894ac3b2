"""Fixtures of the promotions tests: rules, campaigns and a named cast, through the services."""

from __future__ import annotations

import datetime
from collections.abc import Callable
from decimal import Decimal
from typing import Any

import pytest
from django.utils import timezone

DEFAULT_COMPONENTS = [
    ("years_in_grade", Decimal("2"), None),
    ("years_of_service", Decimal("1"), Decimal("30")),
    ("average_mark", Decimal("3"), None),
    ("decorations", Decimal("1"), Decimal("3")),
    ("sanctions", Decimal("5"), None),
]


@pytest.fixture
def today() -> datetime.date:
    return timezone.localdate()


@pytest.fixture
def grades(mali: Any, today: datetime.date) -> dict[str, Any]:
    from matricule.core.models import Grade

    return {
        g.code: g
        for g in Grade.objects.filter(
            statute__agency=mali, statute__effective_to__isnull=True
        ).select_related("statute", "corps", "band")
    }


@pytest.fixture
def make_rule(mali: Any, grades: dict[str, Any]) -> Callable[..., Any]:
    from matricule.promotions.services.rules import rule_version_create

    def factory(
        *,
        target: str = "SGC",
        sources: tuple[str, ...] = ("SGT",),
        route: str = "choice",
        valid_from: datetime.date = datetime.date(2020, 1, 1),
        components: list[tuple[str, Decimal, Decimal | None]] | None = None,
        courses: tuple[Any, ...] = (),
        **values: Any,
    ) -> Any:
        base = {
            "min_years_in_grade": 4,
            "min_years_of_service": 0,
            "min_average_mark": None,
            "mark_cycles": 3,
            "missing_cycles": "skip",
            "max_sanction_group": 1,
            "sanction_years": 3,
            "no_pending_case": True,
            "max_age": None,
            "min_exam_score": None,
            "service_cap_years": 30,
            "note": "",
        }
        base.update(values)
        return rule_version_create(
            agency=mali,
            target_grade=grades[target],
            route=route,
            valid_from=valid_from,
            source_grades=[grades[s] for s in sources],
            required_courses=courses,
            components=DEFAULT_COMPONENTS if components is None else components,
            values=base,
            by=None,
        )

    return factory


@pytest.fixture
def make_campaign(mali: Any, today: datetime.date) -> Callable[..., Any]:
    from matricule.promotions.services.runs import campaign_create

    def factory(
        *,
        year: int | None = None,
        reference_date: datetime.date | None = None,
        effective_date: datetime.date | None = None,
    ) -> Any:
        ref = reference_date or today - datetime.timedelta(days=30)
        return campaign_create(
            agency=mali,
            year=year or ref.year,
            name=f"Tableau d'avancement {year or ref.year}",
            reference_date=ref,
            effective_date=effective_date or today,
            by=None,
        )

    return factory


@pytest.fixture
def board_for(make_user: Callable[..., Any]) -> Callable[..., Any]:
    """Constitute a campaign's board with a chair and a member (promotion-board role)."""
    from matricule.promotions.services.boards import board_create

    def factory(campaign: Any, *, chair: Any = None, members: tuple[Any, ...] = ()) -> Any:
        chair = chair or make_user("promotion_board", username=f"president-{campaign.pk}")
        return board_create(
            campaign=campaign,
            name="Commission d'avancement des sous-officiers",
            chair=chair,
            members=members,
            by=None,
        )

    return factory


@pytest.fixture
def sergeants(hire: Callable[..., Any], today: datetime.date) -> list[Any]:
    """Four sergeants of different seniority (all entered as sergeants)."""
    names = ["Diarra", "Keita", "Coulibaly", "Sidibé"]
    return [
        hire(
            family_name=name,
            given_names="Awa" if i % 2 else "Moussa",
            sex="F" if i % 2 else "M",
            entry_date=datetime.date(2012 + i, 10, 1),
        )
        for i, name in enumerate(names)
    ]
