"""Age pyramid on a date (5-year bands, by sex and by corps) and retirements due by year."""

from __future__ import annotations

import datetime
from collections import defaultdict
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from django.db.models import Case, IntegerField, Q, QuerySet, Value, When
from django.utils import timezone

from matricule.accounts.roles import Perm
from matricule.core.dates import add_years
from matricule.core.refcache import refdata
from matricule.personnel.models import IN_SERVICE_STATUSES, Officer, Sex
from matricule.personnel.selectors import OfficerFilters, apply_filters, officer_base
from matricule.reports.selectors.headcount import Key, KeyMaker, scope_top
from matricule.reports.selectors.people import ReportFilters, Row, people_on

if TYPE_CHECKING:
    from matricule.accounts.models import User

# Lower bounds of the 5-year bands; the first band is "under 20", the last "65 and over".
BAND_STARTS = (20, 25, 30, 35, 40, 45, 50, 55, 60, 65)
UNDER = 0


def band_label(start: int) -> str:
    if start == UNDER:
        return f"< {BAND_STARTS[0]}"
    if start == BAND_STARTS[-1]:
        return f"{start}+"
    return f"{start}–{start + 4}"


def age_band_expression(on: datetime.date) -> Case:
    """The officer's band on `on`, computed by the database from the birth date.

    Age on `on` is at least `a` exactly when the birth date is on or before the same day
    `a` years earlier (core.dates.add_years, 29 February included).
    """
    whens = [
        When(birth_date__lte=add_years(on, -start), then=Value(start))
        for start in reversed(BAND_STARTS)
    ]
    return Case(*whens, default=Value(UNDER), output_field=IntegerField())


@dataclass
class PyramidBand:
    start: int
    men: int = 0
    women: int = 0
    by_corps: dict[str, int] = field(default_factory=dict)

    @property
    def label(self) -> str:
        return band_label(self.start)

    @property
    def total(self) -> int:
        return self.men + self.women


@dataclass
class Pyramid:
    filters: ReportFilters
    bands: list[PyramidBand]  # oldest first, as a pyramid is drawn
    corps: list[Key]
    total: int


def age_pyramid(*, viewer: User, filters: ReportFilters, source: str | None = None) -> Pyramid:
    rows = people_on(
        viewer=viewer,
        filters=filters,
        extra={"age_band": age_band_expression(filters.as_of)},
        source=source,
        by_unit=False,
    )
    return pyramid_from_rows(rows, filters)


def pyramid_from_rows(rows: list[Row], filters: ReportFilters) -> Pyramid:
    """The pyramid of rows grouped with `age_band_expression` as their first extra."""
    maker = KeyMaker(filters)
    bands = {start: PyramidBand(start) for start in (UNDER, *BAND_STARTS)}
    corps: dict[str, Key] = {}
    for row in rows:
        band = bands[row.extra[0]]
        if row.sex == Sex.FEMALE:
            band.women += row.n
        else:
            band.men += row.n
        key = maker.key("corps", row)
        corps.setdefault(key.code, key)
        band.by_corps[key.code] = band.by_corps.get(key.code, 0) + row.n
    ordered = sorted(bands.values(), key=lambda b: -b.start)
    return Pyramid(
        filters=filters,
        bands=ordered,
        corps=sorted(corps.values(), key=lambda k: k.order),
        total=sum(r.n for r in rows),
    )


@dataclass
class RetirementCell:
    year: int
    corps: str
    grade: str
    unit: str
    count: int


@dataclass
class Retirements:
    today: datetime.date
    years: list[int]
    overdue: int  # in service past their retirement date
    per_year: dict[int, int]
    by_corps: dict[str, dict[int, int]]
    by_grade: dict[str, dict[int, int]]
    by_unit: dict[str, dict[int, int]]
    labels: dict[str, dict[str, str]]
    within_12_months: int

    @property
    def total(self) -> int:
        return sum(self.per_year.values())


def retirement_date(birth_date: datetime.date, retirement_age: int) -> datetime.date:
    return add_years(birth_date, retirement_age)


def _serving(viewer: User, filters: ReportFilters) -> QuerySet[Officer]:
    """Officers in service today, in scope, with the shared filters (the officer list's)."""
    qs = officer_base(viewer=viewer, perm=Perm.PERSONNEL_VIEW).filter(
        status__in=IN_SERVICE_STATUSES
    )
    personnel_filters = OfficerFilters(corps_id=filters.corps_id, sex=filters.sex)
    qs = apply_filters(qs, personnel_filters)
    if filters.unit is not None:
        qs = qs.filter(unit__path__startswith=filters.unit.path)
    if filters.grade_id:
        qs = qs.filter(grade_id=filters.grade_id)
    if filters.region_id:
        qs = qs.filter(unit__region_id=filters.region_id)
    if filters.agency_id:
        qs = qs.filter(agency_id=filters.agency_id)
    return qs


def _window(today: datetime.date, years: int) -> Q:
    """Birth dates of officers whose retirement falls before the end of the last year."""
    end = datetime.date(today.year + years, 1, 1)
    q = Q(pk__in=[])
    for corps in refdata().corps:
        # One day of margin for 29 February births; the exact date is computed in Python.
        q |= Q(
            corps_id=corps.pk,
            birth_date__lt=add_years(end, -corps.retirement_age) + datetime.timedelta(days=1),
        )
    return q


def retirements_due(
    *, viewer: User, filters: ReportFilters, years: int = 5, today: datetime.date | None = None
) -> Retirements:
    """Officers in service reaching their corps' retirement age in each calendar year.

    The first year is the current one (from today); those already past the age and still in
    service are counted apart as overdue.
    """
    today = today or timezone.localdate()
    span = list(range(today.year, today.year + years))
    ages = {c.pk: c.retirement_age for c in refdata().corps}
    maker = KeyMaker(filters, scope_top(viewer))
    units = maker.units
    grades = maker.grades
    rows = (
        _serving(viewer, filters)
        .filter(_window(today, years))
        .values_list("birth_date", "corps_id", "grade_id", "unit_id")
    )
    per_year: dict[int, int] = defaultdict(int)
    by: dict[str, dict[str, dict[int, int]]] = {
        "corps": defaultdict(lambda: defaultdict(int)),
        "grade": defaultdict(lambda: defaultdict(int)),
        "unit": defaultdict(lambda: defaultdict(int)),
    }
    labels: dict[str, dict[str, str]] = {"corps": {}, "grade": {}, "unit": {}}
    overdue = soon = 0
    horizon = add_years(today, 1)
    for birth, corps_id, grade_id, unit_id in rows:
        day = retirement_date(birth, ages[corps_id])
        if day < today:
            overdue += 1
            continue
        if day.year not in span:
            continue
        if day < horizon:
            soon += 1
        per_year[day.year] += 1
        corps = maker.corps[corps_id]
        grade = grades[grade_id]
        unit = maker.level_unit(units[unit_id])
        for name, code, label in (
            ("corps", corps.code, corps.name),
            ("grade", grade.code, grade.name),
            ("unit", unit.code, unit.name),
        ):
            by[name][code][day.year] += 1
            labels[name][code] = label
    return Retirements(
        today=today,
        years=span,
        overdue=overdue,
        per_year={y: per_year.get(y, 0) for y in span},
        by_corps={k: dict(v) for k, v in by["corps"].items()},
        by_grade={k: dict(v) for k, v in by["grade"].items()},
        by_unit={k: dict(v) for k, v in by["unit"].items()},
        labels=labels,
        within_12_months=soon,
    )


def retirement_list(
    *,
    viewer: User,
    filters: ReportFilters,
    year: int,
    corps: str = "",
    grade: str = "",
    unit: str = "",
    today: datetime.date | None = None,
) -> list[tuple[Officer, datetime.date]]:
    """The officers behind one bar: retiring in `year`, optionally of one corps, grade, unit."""
    today = today or timezone.localdate()
    years = max(1, year - today.year + 1)
    qs = _serving(viewer, filters).filter(_window(today, years))
    ref = refdata()
    if corps:
        qs = qs.filter(corps_id__in=[c.pk for c in ref.corps if c.code == corps])
    if grade:
        qs = qs.filter(grade__code=grade)
    if unit:
        paths = [u.path for u in ref.units if u.code == unit]
        q = Q(pk__in=[])
        for path in paths:
            q |= Q(unit__path__startswith=path)
        qs = qs.filter(q)
    out = []
    for officer in qs.select_related("corps", "grade", "unit").order_by("birth_date", "id"):
        day = retirement_date(officer.birth_date, officer.corps.retirement_age)
        if day.year == year and day >= today:
            out.append((officer, day))
    return out


def pyramid_rows(pyramid: Pyramid) -> list[dict[str, Any]]:
    return [
        {"label": b.label, "men": b.men, "women": b.women, "total": b.total} for b in pyramid.bands
    ]
