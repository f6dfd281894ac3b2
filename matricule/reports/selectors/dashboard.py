"""The director's dashboard: the force today, its change over a year, and what needs action."""

from __future__ import annotations

import datetime
from collections import defaultdict
from dataclasses import dataclass, replace
from typing import TYPE_CHECKING

from django.db.models import Count

from matricule.accounts.roles import Perm
from matricule.core.dates import add_years
from matricule.personnel.models import CareerEvent, EventKind, Sex
from matricule.reports.selectors.ages import (
    Pyramid,
    Retirements,
    age_band_expression,
    pyramid_from_rows,
    retirements_due,
)
from matricule.reports.selectors.establishment import UnitStrength, establishment_strength
from matricule.reports.selectors.headcount import Key, KeyMaker, headcount_total, scope_top
from matricule.reports.selectors.people import ReportFilters, Row, people_on

if TYPE_CHECKING:
    from matricule.accounts.models import User

CERTIFICATE_DAYS = 90
UNDER_STRENGTH_SHOWN = 10


@dataclass
class Dashboard:
    filters: ReportFilters
    total: int
    women: int
    seconded: int
    year_ago: int
    year_ago_day: datetime.date
    by_region: list[tuple[Key, int]]
    by_band: list[tuple[Key, int]]
    pyramid: Pyramid
    retirements: Retirements
    under_strength: list[UnitStrength]
    under_strength_count: int
    certificates_expiring: int | None  # None: the viewer does not follow training
    evaluations_overdue: int | None  # None: the viewer does not read evaluations

    @property
    def change(self) -> int:
        return self.total - self.year_ago

    @property
    def change_percent(self) -> float | None:
        return round(100 * self.change / self.year_ago, 1) if self.year_ago else None


def _grouped(rows: list[Row], maker: KeyMaker, name: str) -> list[tuple[Key, int]]:
    counts: dict[str, int] = defaultdict(int)
    keys: dict[str, Key] = {}
    for row in rows:
        key = maker.key(name, row)
        keys[key.code] = key
        counts[key.code] += row.n
    return [(keys[c], counts[c]) for c in sorted(keys, key=lambda c: keys[c].order)]


def _whole_agencies(viewer: User, filters: ReportFilters) -> set[int] | None:
    """The agencies the viewer reads whole, when the figures are unfiltered (else None)."""
    grants = viewer.grants_with(Perm.PERSONNEL_VIEW)
    plain = ReportFilters(as_of=filters.as_of)
    if not grants or any(g.unit_id is not None for g in grants) or filters != plain:
        return None
    return {g.agency_id for g in grants}


def count_a_year_before(
    *, viewer: User, filters: ReportFilters, total: int, since: datetime.date
) -> int:
    """The headcount on `since`, from today's and the entries and exits in between.

    For a viewer who reads whole agencies, unfiltered, counting officers at home: a career
    has one entry and leaves the service only by an exit event (the services refuse any
    other way), so the count on `since` is today's, less the entries after it, plus the exits
    after it. Otherwise the count is computed on that date from the events.
    """
    agencies = _whole_agencies(viewer, filters)
    if agencies is None:
        return headcount_total(viewer=viewer, filters=replace(filters, as_of=since))
    moves = dict(
        CareerEvent.objects.filter(
            officer__agency_id__in=agencies,
            is_superseded=False,
            kind__in=[EventKind.ENTRY, EventKind.EXIT],
            effective_date__gt=since,
            effective_date__lte=filters.as_of,
        )
        .values_list("kind")
        .annotate(n=Count("id"))
        .order_by()
    )
    return int(total - moves.get(EventKind.ENTRY, 0) + moves.get(EventKind.EXIT, 0))


def dashboard(*, viewer: User, filters: ReportFilters) -> Dashboard:
    rows = people_on(
        viewer=viewer, filters=filters, extra={"age_band": age_band_expression(filters.as_of)}
    )
    maker = KeyMaker(filters, scope_top(viewer))
    year_ago_day = add_years(filters.as_of, -1)
    strength = establishment_strength(viewer=viewer, filters=filters, rows=rows)
    under = strength.under_strength()
    certificates: int | None = None
    if viewer.has_perm_anywhere(Perm.TRAINING_NOMINATE):
        from matricule.training.selectors import expiring_certificates

        certificates = expiring_certificates(
            viewer=viewer, on=filters.as_of, days=CERTIFICATE_DAYS
        ).count()
    overdue: int | None = None
    if viewer.has_perm_anywhere(Perm.EVALUATION_VIEW):
        from matricule.reports.selectors.careers import evaluations_overdue

        overdue = evaluations_overdue(viewer=viewer)
    total = sum(r.n for r in rows)
    return Dashboard(
        filters=filters,
        total=total,
        women=sum(r.n for r in rows if r.sex == Sex.FEMALE),
        seconded=sum(r.n for r in rows if r.seconded),
        year_ago=count_a_year_before(
            viewer=viewer, filters=filters, total=total, since=year_ago_day
        ),
        year_ago_day=year_ago_day,
        by_region=_grouped(rows, maker, "region"),
        by_band=_grouped(rows, maker, "band"),
        pyramid=pyramid_from_rows(rows, filters),
        retirements=retirements_due(viewer=viewer, filters=filters),
        under_strength=under[:UNDER_STRENGTH_SHOWN],
        under_strength_count=len(under),
        certificates_expiring=certificates,
        evaluations_overdue=overdue,
    )
