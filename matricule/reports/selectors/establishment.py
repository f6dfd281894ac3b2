"""Establishment strength on a date: authorised posts against officers in service, per unit
and grade band, with subtotals per unit and per region."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from django.db.models import Q

from matricule.core.models import Establishment, GradeBand
from matricule.core.refcache import UnitRow, refdata
from matricule.personnel.filters import scoped_units
from matricule.reports.selectors.people import ReportFilters, Row, people_on

if TYPE_CHECKING:
    from matricule.accounts.models import User


@dataclass
class Cell:
    band_id: int
    band: str
    authorised: int = 0
    actual: int = 0

    @property
    def gap(self) -> int:
        return self.actual - self.authorised


@dataclass
class UnitStrength:
    unit: UnitRow
    cells: list[Cell]

    @property
    def authorised(self) -> int:
        return sum(c.authorised for c in self.cells)

    @property
    def actual(self) -> int:
        return sum(c.actual for c in self.cells)

    @property
    def gap(self) -> int:
        return self.actual - self.authorised

    @property
    def under(self) -> bool:
        return any(c.gap < 0 for c in self.cells)


@dataclass
class RegionStrength:
    code: str
    name: str
    units: list[UnitStrength] = field(default_factory=list)

    @property
    def authorised(self) -> int:
        return sum(u.authorised for u in self.units)

    @property
    def actual(self) -> int:
        return sum(u.actual for u in self.units)

    @property
    def gap(self) -> int:
        return self.actual - self.authorised

    @property
    def under_units(self) -> int:
        return sum(1 for u in self.units if u.gap < 0)


@dataclass
class Strength:
    filters: ReportFilters
    regions: list[RegionStrength]
    bands: list[GradeBand]

    @property
    def authorised(self) -> int:
        return sum(r.authorised for r in self.regions)

    @property
    def actual(self) -> int:
        return sum(r.actual for r in self.regions)

    @property
    def gap(self) -> int:
        return self.actual - self.authorised

    def under_strength(self) -> list[UnitStrength]:
        """Units short of their establishment overall, most short first."""
        units = [u for r in self.regions for u in r.units if u.authorised and u.gap < 0]
        return sorted(units, key=lambda u: (u.gap, u.unit.path))


def establishment_strength(
    *, viewer: User, filters: ReportFilters, rows: list[Row] | None = None
) -> Strength:
    """`rows` may be the people already counted for the page (same viewer and filters)."""
    on = filters.as_of
    units = [
        u
        for u in scoped_units(viewer)
        if (filters.unit is None or u.path.startswith(filters.unit.path))
        and (not filters.region_id or u.region_id == filters.region_id)
        and (not filters.agency_id or u.agency_id == filters.agency_id)
    ]
    unit_ids = {u.id for u in units}
    bands = list(GradeBand.objects.order_by("order"))
    band_names = {b.pk: b.name for b in bands}
    authorised: dict[tuple[int, int], int] = {}
    for est in (
        Establishment.objects.filter(unit_id__in=unit_ids, effective_from__lte=on)
        .filter(Q(effective_to__isnull=True) | Q(effective_to__gt=on))
        .order_by("effective_from")
        .values_list("unit_id", "band_id", "authorised")
    ):
        authorised[(est[0], est[1])] = est[2]
    actual: dict[tuple[int, int], int] = defaultdict(int)
    for row in rows if rows is not None else people_on(viewer=viewer, filters=filters):
        if row.unit is not None and row.unit.id in unit_ids:
            actual[(row.unit.id, row.band_id)] += row.n
    regions = {r.pk: r for r in refdata().regions}
    blocks: dict[int, RegionStrength] = {}
    for unit in units:
        keys = sorted(
            {b for (u, b) in authorised if u == unit.id} | {b for (u, b) in actual if u == unit.id},
            key=lambda b: [x.pk for x in bands].index(b),
        )
        if not keys:
            continue
        cells = [
            Cell(b, band_names[b], authorised.get((unit.id, b), 0), actual.get((unit.id, b), 0))
            for b in keys
        ]
        region = regions.get(unit.region_id or 0)
        rid = region.pk if region else 0
        if rid not in blocks:
            blocks[rid] = RegionStrength(
                region.code if region else "", region.name if region else "—"
            )
        blocks[rid].units.append(UnitStrength(unit, cells))
    ordered = sorted(blocks.values(), key=lambda r: r.name)
    return Strength(filters=filters, regions=ordered, bands=bands)
