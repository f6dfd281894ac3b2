"""A hand-built force: a posting, a secondment and an exit on known dates, and a cast."""

from __future__ import annotations

import datetime
from typing import Any

import pytest

POSTED = datetime.date(2020, 6, 1)
SECONDED = datetime.date(2021, 3, 1)
EXITED = datetime.date(2022, 1, 1)


@pytest.fixture
def force(mali: Any, hire: Any) -> dict[str, Any]:
    """Four officers of the PN and what happened to them.

    - Awa (F) joined BKO-CA01 in 2015 and stays there;
    - Bakary joined BKO-CA01 in 2010, posted to KAY-CC (Kayes) on 01/06/2020;
    - Cheick joined BKO-CA02 in 2012, seconded to the OCS on 01/03/2021;
    - Dramane joined KAY-CC in 2011, retired on 01/01/2022.
    """
    from matricule.core.models import Unit
    from matricule.personnel.models import EventKind, Status
    from matricule.personnel.services import Act, event_record

    def act(n: int, day: datetime.date) -> Act:
        return Act(kind="decision", number=f"{day.year}-{n:03d}/DGPN", date=day)

    awa = hire(
        unit="BKO-CA01",
        family_name="Diarra",
        given_names="Awa",
        sex="F",
        entry_date=datetime.date(2015, 1, 5),
        birth_date=datetime.date(1992, 4, 2),
    )
    bakary = hire(
        unit="BKO-CA01",
        family_name="Keita",
        given_names="Bakary",
        entry_date=datetime.date(2010, 2, 1),
        birth_date=datetime.date(1980, 8, 9),
    )
    cheick = hire(
        unit="BKO-CA02",
        family_name="Coulibaly",
        given_names="Cheick",
        entry_date=datetime.date(2012, 3, 1),
        birth_date=datetime.date(1975, 1, 20),
    )
    dramane = hire(
        unit="KAY-CC",
        family_name="Sangaré",
        given_names="Dramane",
        entry_date=datetime.date(2011, 9, 1),
        birth_date=datetime.date(1966, 5, 5),
    )
    event_record(
        officer=bakary,
        kind=EventKind.POSTING,
        effective_date=POSTED,
        unit=Unit.objects.get(code="KAY-CC", agency=mali),
        act=act(1, POSTED),
        by=None,
    )
    ocs_unit = Unit.objects.filter(agency__code="OCS").order_by("path").first()
    event_record(
        officer=cheick,
        kind=EventKind.SECONDMENT,
        effective_date=SECONDED,
        unit=ocs_unit,
        act=act(2, SECONDED),
        by=None,
    )
    event_record(
        officer=dramane,
        kind=EventKind.EXIT,
        effective_date=EXITED,
        status=Status.RETIRED,
        act=act(3, EXITED),
        by=None,
        detail="Retraite",
    )
    return {"awa": awa, "bakary": bakary, "cheick": cheick, "dramane": dramane, "ocs": ocs_unit}


@pytest.fixture
def cast(make_user: Any) -> dict[str, Any]:
    return {
        "director": make_user("hr_director", username="drh"),
        "bamako_clerk": make_user("hr_clerk", "DR-BKO", username="rh-bamako"),
        "kayes_clerk": make_user("hr_clerk", "DR-KAY", username="rh-kayes"),
        "inspector": make_user("inspector", username="inspecteur"),
        "officer": make_user("officer", username="agent"),
        "sysadmin": make_user("sysadmin", username="admin"),
        "recruiter": make_user("recruitment_officer", username="recruteur"),
    }
