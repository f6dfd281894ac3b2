"""The director's dashboard: the force today, its change over a year, and what needs action."""

from __future__ import annotations

import datetime
from collections import defaultdict
from dataclasses import dataclass
from typing import TYPE_CHECKING

from matricule.accounts.roles import Perm
from matricule.personnel.models import Sex
from matricule.reports.selectors.ages import (
    Pyramid,
    Retirements,
    age_band_expression,
    pyramid_from_rows,
    retirements_due,
)
from matricule.reports.selectors.establishment import UnitStrength, establishment_strength
from matricule.reports.selectors.headcount import (
    Key,
    KeyMaker,
    monthly_change,
    scope_top,
)
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
    series: list[tuple[datetime.date, int]]  # the headcount month by month over the year
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


def dashboard(*, viewer: User, filters: ReportFilters) -> Dashboard:
    rows = people_on(viewer=viewer, filters=filters)
    # The pyramid apart, without the unit: a few hundred groups rather than tens of thousands.
    ages = people_on(
        viewer=viewer,
        filters=filters,
        extra={"age_band": age_band_expression(filters.as_of)},
        by_unit=False,
    )
    maker = KeyMaker(filters, scope_top(viewer))
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
    series = monthly_change(viewer=viewer, filters=filters, months=12, total=total)
    return Dashboard(
        filters=filters,
        total=total,
        women=sum(r.n for r in rows if r.sex == Sex.FEMALE),
        seconded=sum(r.n for r in rows if r.seconded),
        year_ago=series[0][1],
        year_ago_day=series[0][0],
        series=series,
        by_region=_grouped(rows, maker, "region"),
        by_band=_grouped(rows, maker, "band"),
        pyramid=pyramid_from_rows(ages, filters),
        retirements=retirements_due(viewer=viewer, filters=filters),
        under_strength=under[:UNDER_STRENGTH_SHOWN],
        under_strength_count=len(under),
        certificates_expiring=certificates,
        evaluations_overdue=overdue,
    )
