"""Marks of closed evaluations, as other apps read them (promotions: average over N cycles)."""

from __future__ import annotations

from collections.abc import Collection
from decimal import Decimal

from matricule.evaluations.models import Cycle, CycleStatus, Evaluation, Step
from matricule.personnel.models import Officer

# Above this many officers, filtering by cycle and keeping the wanted ones in Python is
# cheaper than a huge IN list (and stays under SQLite's limit on query parameters).
_IN_LIST_MAX = 500


def closed_years(*, agency_id: int, up_to_year: int, count: int) -> list[int]:
    """The years of the agency's last `count` closed cycles up to `up_to_year`, newest first."""
    if count <= 0:
        return []
    return list(
        Cycle.objects.filter(agency_id=agency_id, status=CycleStatus.CLOSED, year__lte=up_to_year)
        .order_by("-year")
        .values_list("year", flat=True)
        .distinct()[:count]
    )


def officer_marks(
    *,
    officer_ids: Collection[int] | None,
    agency_id: int,
    up_to_year: int,
    count: int,
) -> dict[int, list[tuple[int, Decimal | None]]]:
    """Each officer's final marks (out of 20) in the agency's last `count` closed cycles.

    For every officer asked for (all of the agency's officers when `officer_ids` is
    None): the years of the last `count` closed cycles of the agency with year ≤
    `up_to_year`, newest first, each with the final mark of that officer's closed
    evaluation that year, or None when they have none. Three queries whatever the
    number of officers.
    """
    years = closed_years(agency_id=agency_id, up_to_year=up_to_year, count=count)
    if officer_ids is None:
        wanted: set[int] | None = None
        ids = list(Officer.objects.filter(agency_id=agency_id).values_list("id", flat=True))
    else:
        ids = list(dict.fromkeys(officer_ids))
        wanted = set(ids)
    if not years:
        return {officer_id: [] for officer_id in ids}
    rows = Evaluation.objects.filter(
        cycle__agency_id=agency_id,
        cycle__status=CycleStatus.CLOSED,
        cycle__year__in=years,
        status=Step.CLOSED,
    )
    if wanted is not None and len(wanted) <= _IN_LIST_MAX:
        rows = rows.filter(officer_id__in=wanted)
    marks: dict[tuple[int, int], Decimal | None] = {}
    for officer_id, year, mark in rows.values_list("officer_id", "cycle__year", "final_mark"):
        if wanted is None or officer_id in wanted:
            marks[officer_id, year] = mark
    return {
        officer_id: [(year, marks.get((officer_id, year))) for year in years] for officer_id in ids
    }
