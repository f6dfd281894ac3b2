"""Headcount on a date, grouped by agency, corps of origin, unit, region, corps, grade, sex."""

from __future__ import annotations

import datetime
from collections import defaultdict
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from django.utils.translation import gettext_lazy as _

from matricule.core.refcache import UnitRow, refdata
from matricule.personnel.models import Sex
from matricule.reports.selectors.people import ReportFilters, Row, grade_table, people_on

if TYPE_CHECKING:
    from matricule.accounts.models import User

GROUP_KEYS = {
    "agency": _("Agence"),
    # The corps whose grade table the officer's grade belongs to: the agency itself, or
    # the corps of origin of an OCS member seconded from the gendarmerie, customs…
    "origin": _("Corps d'origine"),
    "unit": _("Unité"),
    "region": _("Région"),
    "corps": _("Corps"),
    "grade": _("Grade"),
    "band": _("Catégorie"),
    "sex": _("Sexe"),
}
MAX_GROUP_KEYS = 3


@dataclass(frozen=True)
class Key:
    """One grouping value: a code for links and the API, a label for people."""

    code: str
    label: str
    order: tuple[Any, ...]


@dataclass
class HeadcountItem:
    keys: dict[str, Key]
    count: int
    women: int = 0
    seconded: int = 0


@dataclass
class Headcount:
    filters: ReportFilters
    group_by: list[str]
    items: list[HeadcountItem]
    total: int
    women: int
    seconded: int

    @property
    def women_share(self) -> float:
        return round(100 * self.women / self.total, 1) if self.total else 0.0


class KeyMaker:
    """Turns a row into its grouping value for each key; reference rows read once."""

    def __init__(self, filters: ReportFilters, top: UnitRow | None = None) -> None:
        ref = refdata()
        from matricule.core.models import Agency, GradeBand

        self.filters = filters
        self.units = {u.id: u for u in ref.units}
        self.by_path = {u.path: u for u in ref.units}
        self.regions = {r.pk: r for r in ref.regions}
        self.corps = {c.pk: c for c in ref.corps}
        self.grades = grade_table()
        self.agencies = {a.pk: a for a in Agency.objects.all()}
        self.bands = {b.pk: b for b in GradeBand.objects.all()}
        # Drill-down: one level below the unit filtered on, or below the viewer's only root.
        start = filters.unit if filters.unit is not None else top
        self.depth = start.depth + 1 if start is not None else 0

    def level_unit(self, unit: UnitRow) -> UnitRow:
        """The unit one level below the filter's (the drill-down row) containing `unit`."""
        if unit.depth <= self.depth:
            return unit
        parts = unit.path.strip("/").split("/")
        path = "/".join(parts[: self.depth + 1]) + "/"
        return self.by_path.get(path) or unit

    def key(self, name: str, row: Row) -> Key:
        if name == "agency":
            agency = self.agencies[row.unit.agency_id]
            return Key(agency.code, agency.short_name, (agency.short_name,))
        if name == "origin":
            agency = self.agencies[self.corps[row.corps_id].agency_id]
            return Key(agency.code, agency.short_name, (agency.kind != "career", agency.code))
        if name == "unit":
            unit = self.level_unit(row.unit)
            return Key(unit.code, unit.name, (unit.path,))
        if name == "region":
            region = self.regions.get(row.unit.region_id or 0)
            if region is None:
                return Key("", str(_("Sans région")), ("~",))
            return Key(region.code, region.name, (region.name,))
        if name == "corps":
            corps = self.corps[row.corps_id]
            return Key(corps.code, corps.name, (corps.agency_id, corps.order, corps.name))
        if name == "grade":
            grade = self.grades[row.grade_id]
            return Key(grade.code, grade.name, (grade.agency_id, grade.order, grade.code))
        if name == "band":
            band = self.bands[row.band_id]
            return Key(band.code, band.name, (band.order,))
        if name == "sex":
            return Key(row.sex, str(Sex(row.sex).label), (row.sex != Sex.MALE,))
        raise ValueError(name)


def headcount(
    *,
    viewer: User,
    filters: ReportFilters,
    group_by: list[str],
    from_events: bool | None = None,
) -> Headcount:
    """Officers in service on the date, in scope and filters, counted per group."""
    group_by = [g for g in group_by if g in GROUP_KEYS][:MAX_GROUP_KEYS]
    rows = people_on(viewer=viewer, filters=filters, from_events=from_events)
    maker = KeyMaker(filters, scope_top(viewer))
    groups: dict[tuple[str, ...], HeadcountItem] = {}
    seen: dict[tuple[Any, ...], HeadcountItem] = {}
    for row in rows:
        signature = (row.unit.id, row.grade_id, row.sex)
        item = seen.get(signature)
        if item is None:
            keys = {name: maker.key(name, row) for name in group_by}
            ident = tuple(k.code + "\x00" + k.label for k in keys.values())
            item = groups.get(ident)
            if item is None:
                item = groups[ident] = HeadcountItem(keys=keys, count=0)
            seen[signature] = item
        item.count += row.n
        item.women += row.n if row.sex == Sex.FEMALE else 0
        item.seconded += row.n if row.seconded else 0
    items = sorted(groups.values(), key=lambda i: tuple(k.order for k in i.keys.values()))
    return Headcount(
        filters=filters,
        group_by=group_by,
        items=items,
        total=sum(r.n for r in rows),
        women=sum(r.n for r in rows if r.sex == Sex.FEMALE),
        seconded=sum(r.n for r in rows if r.seconded),
    )


def scope_top(viewer: User) -> UnitRow | None:
    """The one unit every unit of the viewer's scope descends from, if there is one."""
    from matricule.personnel.filters import scoped_units

    units = scoped_units(viewer)
    if not units:
        return None
    top = min(units, key=lambda u: (u.depth, u.path))
    return top if all(u.path.startswith(top.path) for u in units) else None


def headcount_total(*, viewer: User, filters: ReportFilters) -> int:
    return sum(r.n for r in people_on(viewer=viewer, filters=filters))


def cross_table(
    result: Headcount,
) -> tuple[list[Key], list[Key], dict[tuple[str, str], int]]:
    """Two grouping keys as a table: rows, columns, counts by (row code, column code)."""
    first, second = result.group_by[0], result.group_by[1]
    rows: dict[str, Key] = {}
    cols: dict[str, Key] = {}
    cells: dict[tuple[str, str], int] = defaultdict(int)
    for item in result.items:
        r, c = item.keys[first], item.keys[second]
        rows.setdefault(r.code + r.label, r)
        cols.setdefault(c.code + c.label, c)
        cells[(r.code + r.label, c.code + c.label)] += item.count
    return (
        sorted(rows.values(), key=lambda k: k.order),
        sorted(cols.values(), key=lambda k: k.order),
        dict(cells),
    )


def monthly_change(
    *, viewer: User, filters: ReportFilters, months: int = 12
) -> list[tuple[datetime.date, int]]:
    """Headcount at the end of each of the last `months` months and on the date itself."""
    from dataclasses import replace

    from matricule.core.dates import add_months

    points = []
    for back in range(months, 0, -1):
        day = add_months(filters.as_of, -back)
        points.append((day, headcount_total(viewer=viewer, filters=replace(filters, as_of=day))))
    points.append((filters.as_of, headcount_total(viewer=viewer, filters=filters)))
    return points
