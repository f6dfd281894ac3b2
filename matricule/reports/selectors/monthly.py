"""The monthly state of the force ("état des effectifs"): the month's opening and closing
headcounts, its movements from the career events, and the closing figures by region and band."""

from __future__ import annotations

import calendar
import datetime
from dataclasses import dataclass, replace
from typing import TYPE_CHECKING

from django.db.models import Count
from django.utils import timezone

from matricule.accounts.roles import Perm
from matricule.accounts.scopes import officer_scope_q
from matricule.personnel.models import CareerEvent, EventKind, Status
from matricule.reports.selectors.headcount import Headcount, Key, cross_table, headcount

if TYPE_CHECKING:
    from matricule.accounts.models import User
    from matricule.reports.selectors.people import ReportFilters

MOVEMENT_KINDS = (
    EventKind.ENTRY,
    EventKind.POSTING,
    EventKind.GRADE,
    EventKind.SECONDMENT,
    EventKind.EXIT,
)


@dataclass
class MonthlyState:
    month: datetime.date  # first day
    opening_day: datetime.date
    closing_day: datetime.date
    opening: int
    closing: Headcount
    movements: list[tuple[str, int]]
    exits: list[tuple[str, int]]
    rows: list[Key]
    cols: list[Key]
    matrix: list[tuple[Key, list[int], int]]
    col_totals: list[int]


def month_bounds(month: datetime.date) -> tuple[datetime.date, datetime.date]:
    first = month.replace(day=1)
    last = first.replace(day=calendar.monthrange(first.year, first.month)[1])
    return first, min(last, timezone.localdate())


def monthly_state(*, viewer: User, filters: ReportFilters, month: datetime.date) -> MonthlyState:
    first, last = month_bounds(month)
    opening_day = first - datetime.timedelta(days=1)
    opening = headcount(viewer=viewer, filters=replace(filters, as_of=opening_day), group_by=[])
    closing = headcount(
        viewer=viewer, filters=replace(filters, as_of=last), group_by=["region", "band"]
    )
    events = CareerEvent.objects.filter(
        officer_scope_q(viewer, Perm.PERSONNEL_VIEW, prefix="officer__"),
        is_superseded=False,
        effective_date__gte=first,
        effective_date__lte=last,
        kind__in=MOVEMENT_KINDS,
    )
    counts = dict(events.values_list("kind").annotate(n=Count("id")).order_by())
    movements = [(str(EventKind(k).label), counts.get(k, 0)) for k in MOVEMENT_KINDS]
    exits = dict(
        events.filter(kind=EventKind.EXIT).values_list("status").annotate(n=Count("id")).order_by()
    )
    exit_rows = [
        (str(Status(s).label) if s in Status.values else s, n) for s, n in sorted(exits.items())
    ]
    rows, cols, cells = cross_table(closing) if closing.items else ([], [], {})
    matrix = []
    for r in rows:
        values = [cells.get((r.code + r.label, c.code + c.label), 0) for c in cols]
        matrix.append((r, values, sum(values)))
    return MonthlyState(
        month=first,
        opening_day=opening_day,
        closing_day=last,
        opening=opening.total,
        closing=closing,
        movements=movements,
        exits=exit_rows,
        rows=rows,
        cols=cols,
        matrix=matrix,
        col_totals=[sum(line[1][i] for line in matrix) for i in range(len(cols))],
    )
