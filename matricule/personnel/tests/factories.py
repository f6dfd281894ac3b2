"""Test factories for officers, on top of the seeded Mali reference data."""

from __future__ import annotations

import datetime
import itertools
from typing import Any

from matricule.core.matricule import matricule_allocate
from matricule.core.models import Agency, Grade, Unit
from matricule.personnel.models import Officer, Status, fold, sort_key

_serial = itertools.count(1)


def letters(n: int) -> str:
    """A number spelt in letters (1 → "B", 27 → "Bb"): names hold no digits."""
    text = ""
    while True:
        n, digit = divmod(n, 26)
        text = "abcdefghijklmnopqrstuvwxyz"[digit] + text
        if not n:
            return text.capitalize()


def officer_create_for_test(
    *,
    unit: str = "BKO-CA01",
    grade: str = "SGT",
    family_name: str = "Traoré",
    given_names: str = "Moussa",
    sex: str = "M",
    birth_date: datetime.date = datetime.date(1985, 3, 14),
    entry_date: datetime.date = datetime.date(2008, 10, 1),
    status: str = Status.ACTIVE,
    agency: str = "PN",
    **extra: Any,
) -> Officer:
    agency_obj = Agency.objects.get(code=agency)
    grade_obj = (
        Grade.objects.filter(statute__agency=agency_obj, code=grade)
        .order_by("-statute__effective_from")
        .first()
    )
    assert grade_obj is not None, grade
    n = next(_serial)
    return Officer.objects.create(
        agency=agency_obj,
        matricule=matricule_allocate(agency=agency_obj)[0],
        nina=extra.pop("nina", f"{n:014d}A"),
        family_name=family_name,
        given_names=given_names,
        search_name=fold(f"{family_name} {given_names}"),
        sort_name=sort_key(family_name, given_names),
        sex=sex,
        birth_date=birth_date,
        birth_place=extra.pop("birth_place", "Bamako"),
        corps=grade_obj.corps,
        grade=grade_obj,
        unit=Unit.objects.get(agency=agency_obj, code=unit),
        status=status,
        entry_date=entry_date,
        **extra,
    )


def officer_hire_for_test(
    *,
    unit: str = "BKO-CA01",
    grade: str = "SGT",
    family_name: str = "Traoré",
    given_names: str = "Moussa",
    entry_date: datetime.date = datetime.date(2012, 10, 1),
    birth_date: datetime.date = datetime.date(1985, 3, 14),
    sex: str = "M",
    nina: str | None = None,
    agency: str = "PN",
) -> Officer:
    """An officer created through the service, so the career starts with its entry event."""
    from matricule.core.models import StatuteVersion
    from matricule.personnel.services import Act, officer_create

    agency_obj = Agency.objects.get(code=agency)
    statute = (
        StatuteVersion.objects.filter(agency=agency_obj, effective_from__lte=entry_date)
        .order_by("-effective_from")
        .first()
    )
    grade_obj = Grade.objects.get(statute=statute, code=grade)
    n = next(_serial)
    return officer_create(
        agency=agency_obj,
        identity={
            "family_name": family_name,
            "given_names": given_names,
            "sex": sex,
            "birth_date": birth_date,
            "birth_place": "Ségou",
            "nina": nina if nina is not None else f"{n:014d}B",
        },
        unit=Unit.objects.get(agency=agency_obj, code=unit),
        grade=grade_obj,
        entry_date=entry_date,
        act=Act(
            kind="decision",
            number=f"{entry_date.year}-{n:04d}/DGPN",
            date=entry_date - datetime.timedelta(days=10),
        ),
        by=None,
    )


# A grade and a service number in the right format for each corps of origin.
ORIGIN_SAMPLES = {
    "GEND": ("ADJ", "G014587"),
    "GARDE": ("SGT", "GN20431"),
    "DOUANES": ("INS", "D04871"),
    "JUSTICE": ("GRF", "245871K"),
    "SANTE": ("TSS", "318204M"),
}


def ocs_member_for_test(
    *,
    origin: str = "DOUANES",
    grade: str | None = None,
    number: str | None = None,
    unit: str = "OCS-AIB",
    family_name: str = "Coulibaly",
    given_names: str = "Awa",
    entry_date: datetime.date = datetime.date(2022, 3, 1),
    secondment_end: datetime.date | None = None,
) -> Officer:
    """An OCS member seconded from another corps, created through the service."""
    from matricule.personnel.services import Act, officer_create

    ocs = Agency.objects.get(code="OCS")
    sample_grade, sample_number = ORIGIN_SAMPLES[origin]
    grade_obj = Grade.objects.get(statute__agency__code=origin, code=grade or sample_grade)
    n = next(_serial)
    return officer_create(
        agency=ocs,
        identity={
            "family_name": family_name,
            "given_names": given_names,
            "sex": "F",
            "birth_date": datetime.date(1986, 6, 2),
            "birth_place": "Kayes",
            "nina": f"{n:014d}C",
        },
        unit=Unit.objects.get(agency=ocs, code=unit),
        grade=grade_obj,
        entry_date=entry_date,
        origin_service_number=number or sample_number,
        secondment_end=secondment_end or entry_date.replace(year=entry_date.year + 5),
        act=Act(kind="arrete", number=f"{entry_date.year}-{n:04d}/DET", date=entry_date),
        by=None,
    )
