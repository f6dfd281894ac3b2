"""A short-lived in-process copy of the small reference tables used on every list screen.

Units, grades, corps and regions change a few times a year; reading them once a
minute per worker instead of on every request keeps list pages within their
query budget. Writes through `reference_save` clear the copy at once in the
writing process; other workers catch up within the minute.
"""

from __future__ import annotations

import datetime
import time
from dataclasses import dataclass
from typing import Any

from django.utils import timezone

from matricule.core.models import Agency, Corps, Grade, Region, Unit

TTL_SECONDS = 60


@dataclass(frozen=True)
class UnitRow:
    id: int
    agency_id: int
    code: str
    name: str
    path: str
    depth: int
    region_id: int | None
    is_active: bool


@dataclass(frozen=True)
class RefData:
    units: list[UnitRow]
    grades_now: list[Grade]  # grades of the statutes in force today, by rank
    corps: list[Corps]
    regions: list[Region]
    agencies: dict[int, Agency]


_store: dict[str, tuple[float, datetime.date, RefData]] = {}


def refdata() -> RefData:
    today = timezone.localdate()
    hit = _store.get("ref")
    if hit is not None and time.monotonic() - hit[0] < TTL_SECONDS and hit[1] == today:
        return hit[2]
    units = [
        UnitRow(*row)
        for row in Unit.objects.order_by("path").values_list(
            "id", "agency_id", "code", "name", "path", "depth", "region_id", "is_active"
        )
    ]
    grades = list(
        Grade.objects.filter(statute__effective_from__lte=today)
        .exclude(statute__effective_to__lte=today)
        .select_related("statute")
        .order_by("statute__agency_id", "order")
    )
    data = RefData(
        units=units,
        grades_now=grades,
        corps=list(Corps.objects.all()),
        regions=list(Region.objects.order_by("name")),
        agencies=Agency.objects.in_bulk(),
    )
    _store["ref"] = (time.monotonic(), today, data)
    return data


def clear(*_args: Any) -> None:
    _store.clear()
    _corps_store.clear()


@dataclass(frozen=True)
class CorpsAgency:
    agency_id: int
    code: str
    short_name: str
    name: str


_corps_store: dict[str, tuple[float, dict[int, CorpsAgency]]] = {}


def corps_agencies() -> dict[int, CorpsAgency]:
    """The agency owning each corps (corps id → agency), in one cached query.

    Shows in words the corps of origin of an officer seconded from another corps
    (their grade is that corps') without loading anything per row.
    """
    hit = _corps_store.get("corps")
    if hit is not None and time.monotonic() - hit[0] < TTL_SECONDS:
        return hit[1]
    rows = {
        corps_id: CorpsAgency(agency_id, code, short, name)
        for corps_id, agency_id, code, short, name in Corps.objects.values_list(
            "id", "agency_id", "agency__code", "agency__short_name", "agency__name"
        )
    }
    _corps_store["corps"] = (time.monotonic(), rows)
    return rows


def subtree_unit_ids(path: str) -> list[int]:
    """Ids of the unit at `path` and all its descendants, from the cached copy."""
    return [u.id for u in refdata().units if u.path.startswith(path)]


def agency_unit_ids(agency_id: int) -> list[int]:
    return [u.id for u in refdata().units if u.agency_id == agency_id]
