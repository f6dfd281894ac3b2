"""The evaluations cast: a commissariat of Bamako, its head, the regional director above,
the director general above him, HR and an inspector, and a stranger of Gao."""

from __future__ import annotations

import datetime
from typing import Any

import pytest
from django.utils import timezone

D = datetime.date
APPOINTED = D(2020, 1, 10)


@pytest.fixture
def today() -> datetime.date:
    return timezone.localdate()


@pytest.fixture
def appoint(mali: Any) -> Any:
    from matricule.core.models import Unit
    from matricule.personnel.models import CommandRole
    from matricule.personnel.services import Act, command_appoint

    def do(officer: Any, unit_code: str, on: datetime.date = APPOINTED) -> Any:
        unit = Unit.objects.get(code=unit_code)
        return command_appoint(
            officer=officer,
            unit=unit,
            role=CommandRole.HEAD,
            effective_date=on,
            act=Act(kind="decision", number=f"{unit_code}-CMD", date=on),
            by=None,
        )

    return do


@pytest.fixture
def org(hire: Any, appoint: Any, make_user: Any) -> dict[str, Any]:
    """Heads of DGPN, DR-BKO and BKO-CA01, three agents of BKO-CA01, and callers."""
    from matricule.accounts.roles import Role

    dg = hire(unit="DGPN", family_name="Coulibaly", given_names="Bakary", grade="CNE")
    director = hire(unit="DR-BKO", family_name="Diallo", given_names="Ousmane", grade="CNE")
    chief = hire(unit="BKO-CA01", family_name="Keita", given_names="Seydou", grade="CNE")
    appoint(dg, "DGPN")
    appoint(director, "DR-BKO")
    appoint(chief, "BKO-CA01")
    agents = [
        hire(unit="BKO-CA01", family_name=f"Agent{'abc'[i]}", given_names="Awa", sex="F")
        for i in range(3)
    ]
    gao = hire(unit="GAO-CC", family_name="Maiga", given_names="Hamadoun")
    return {
        "dg": dg,
        "director": director,
        "chief": chief,
        "agents": agents,
        "gao_officer": gao,
        "chief_user": make_user(Role.SUPERVISOR, "BKO-CA01", officer=chief),
        "director_user": make_user(Role.SUPERVISOR, "DR-BKO", officer=director),
        "dg_user": make_user(Role.SUPERVISOR, "DGPN", officer=dg),
        "agent_user": make_user(Role.OFFICER, officer=agents[0]),
        "other_agent_user": make_user(Role.OFFICER, officer=agents[1]),
        "hr": make_user(Role.HR_DIRECTOR, username="drh.test"),
        "hr_gao": make_user(Role.HR_DIRECTOR, "DR-GAO", username="drh.gao"),
        "clerk": make_user(Role.HR_CLERK, "DR-BKO", username="clerk.bko"),
        "inspector": make_user(Role.INSPECTOR, username="inspecteur.test"),
        "gao_user": make_user(Role.OFFICER, officer=gao),
    }


@pytest.fixture
def open_cycle(org: dict[str, Any], mali: Any, today: datetime.date) -> Any:
    """The campaign of the year, opened on today's reference date, deadlines ahead."""
    from matricule.evaluations.services import cycle_open

    return cycle_open(
        agency=mali,
        year=today.year,
        period_start=D(today.year, 1, 1),
        period_end=D(today.year, 12, 31),
        reference_date=today,
        self_deadline=today + datetime.timedelta(days=10),
        rating_deadline=today + datetime.timedelta(days=20),
        review_deadline=today + datetime.timedelta(days=30),
        by=None,
    ).cycle


@pytest.fixture
def evaluation_of(open_cycle: Any) -> Any:
    from matricule.evaluations.models import Evaluation

    def get(officer: Any) -> Any:
        return Evaluation.objects.select_related("cycle", "form").get(
            cycle=open_cycle, officer=officer
        )

    return get


@pytest.fixture
def full_scores() -> Any:
    from decimal import Decimal

    from matricule.evaluations.services import ScoreInput

    def make(evaluation: Any, value: str = "15") -> dict[int, Any]:
        return {
            c.pk: ScoreInput(Decimal(value), "Bon travail.") for c in evaluation.form.criteria.all()
        }

    return make
