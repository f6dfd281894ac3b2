"""Who was in service on a date, where, in which grade: the rows every report counts.

Three sources give the same rows:
- on today's date, the snapshot kept on each officer (``check_snapshots`` proves it equals
  the career events replayed on today);
- on any other date, the situation periods (``personnel.SituationPeriod``), the events
  replayed as spans of days and kept with them (``check_periods`` proves them): the one
  period of each officer holding on the date;
- on request (`source=EVENTS`, the tests' proof), the career events themselves: for each
  officer, the latest non-superseded event up to that date that sets the unit (entry,
  posting), the grade (entry, grade change) and the position (entry, status change,
  secondment, exit) — ``personnel.career.replay``'s rules, computed by the database.

All are grouped in the database (a few thousand groups for the whole force), then
mapped in Python to the counting unit (home, or host for seconded officers when asked),
its region and agency, and the grade in force on the date.
"""

from __future__ import annotations

import datetime
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, NamedTuple

from django.db.models import (
    Case,
    CharField,
    Count,
    Exists,
    Expression,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Value,
    When,
)
from django.db.models.functions import Cast, Coalesce, Concat
from django.utils import timezone

from matricule.accounts.roles import Perm
from matricule.accounts.scopes import agency_ids_with
from matricule.core.refcache import UnitRow, refdata
from matricule.personnel.career import grade_in_force
from matricule.personnel.filters import scoped_units
from matricule.personnel.models import (
    IN_SERVICE_STATUSES,
    CareerEvent,
    EventKind,
    Officer,
    SituationPeriod,
    Status,
)

if TYPE_CHECKING:
    from matricule.accounts.models import User

HOME = "home"
HOST = "host"
COUNT_AT = (HOME, HOST)
UNIT_KINDS = (EventKind.ENTRY, EventKind.POSTING)
GRADE_KINDS = (EventKind.ENTRY, EventKind.GRADE)
STATUS_KINDS = (EventKind.ENTRY, EventKind.STATUS, EventKind.SECONDMENT, EventKind.EXIT)


@dataclass
class ReportFilters:
    """The filters every report shares (same parameter names as the officer list)."""

    as_of: datetime.date = field(default_factory=timezone.localdate)
    count_at: str = HOME
    agency_id: int | None = None
    unit: UnitRow | None = None
    grade_id: int | None = None  # a grade named in the statute in force today
    corps_id: int | None = None
    sex: str = ""
    region_id: int | None = None

    def matches_unit(self, unit: UnitRow) -> bool:
        if self.agency_id and unit.agency_id != self.agency_id:
            return False
        if self.unit is not None and not unit.path.startswith(self.unit.path):
            return False
        return not (self.region_id and unit.region_id != self.region_id)

    def matches(self, unit: UnitRow | None, grade_now: int, corps_id: int, sex: str) -> bool:
        """`unit` None: the unit was already matched (by the database)."""
        if unit is not None and not self.matches_unit(unit):
            return False
        if self.grade_id and grade_now != self.grade_id:
            return False
        if self.corps_id and corps_id != self.corps_id:
            return False
        return not (self.sex and sex != self.sex)


class Row(NamedTuple):
    """A group of officers in service on the date with the same situation."""

    # Where they are counted (home unit, or host unit when asked); None when the rows were
    # asked without their unit (people_on(by_unit=False)).
    unit: UnitRow | None
    grade_id: int  # the grade in force on the date
    corps_id: int
    band_id: int
    sex: str
    seconded: bool
    n: int
    extra: tuple[Any, ...] = ()


@dataclass(frozen=True)
class GradeInfo:
    id: int
    code: str
    name: str
    order: int
    corps_id: int
    band_id: int
    agency_id: int


def grade_table() -> dict[int, GradeInfo]:
    from matricule.core.models import Grade

    return {
        g["id"]: GradeInfo(
            g["id"],
            g["code"],
            g["name"],
            g["order"],
            g["corps_id"],
            g["band_id"],
            g["statute__agency_id"],
        )
        for g in Grade.objects.values(
            "id", "code", "name", "order", "corps_id", "band_id", "statute__agency_id"
        )
    }


def _latest(on: datetime.date, kinds: tuple[str, ...]) -> QuerySet[CareerEvent]:
    return CareerEvent.objects.filter(
        officer_id=OuterRef("pk"), is_superseded=False, effective_date__lte=on, kind__in=kinds
    ).order_by("-effective_date", "-id")


def _status_code(with_host: bool) -> Expression:
    parts: list[Any] = ["kind", Value(":"), "status"]
    if with_host:
        parts += [Value(":"), Coalesce(Cast("unit_id", CharField()), Value(""))]
    return Concat(*parts, output_field=CharField())


def _from_code(code: str | None) -> tuple[str, int | None]:
    """(position, host unit) from the latest position event, as replay() derives them."""
    if not code:
        return "", None
    kind, status, unit = [*code.split(":", 2), ""][:3]
    if kind == EventKind.ENTRY:
        return status or Status.ACTIVE, None
    if kind == EventKind.SECONDMENT:
        return Status.SECONDED, int(unit) if unit else None
    return status, None


def _agencies(viewer: User) -> set[int]:
    return agency_ids_with(viewer, Perm.PERSONNEL_VIEW)


def _snapshot_groups(
    viewer: User,
    on: datetime.date,
    count_at: str,
    units: list[UnitRow],
    extra: dict[str, Any],
    within: list[int] | None,
) -> list[dict[str, Any]]:
    """Today's groups, from the snapshot on the officer row."""
    home = Q(agency_id__in=_agencies(viewer))
    with_host = count_at == HOST
    if with_host:
        home |= Q(host_unit_id__in=[u.id for u in units])
    if within is not None:
        home &= Q(unit_id__in=within)
    keys = [*extra]
    seconded = Case(When(status=Status.SECONDED, then=Value(1)), default=Value(0))
    fields = ["unit_id" if within is None else "agency_id", "grade_id", "sex", "seconded", *keys]
    if with_host:
        fields.append("host_unit_id")
    grouped = (
        Officer.objects.filter(home, entry_date__lte=on, status__in=IN_SERVICE_STATUSES)
        .annotate(seconded=seconded, **extra)
        .values(*fields)
        .annotate(n=Count("id"))
        .order_by()
        .values_list(*fields, "n")
    )
    return _group_rows(grouped, keys, with_host=with_host, by_unit=within is None)


def _group_rows(
    grouped: Any, keys: list[str], *, with_host: bool, by_unit: bool
) -> list[dict[str, Any]]:
    """The grouped rows (unit, grade, sex, seconded, extra keys…, [host unit], n) as dicts."""
    width = len(keys)
    return [
        {
            "unit_id": row[0] if by_unit else None,
            "grade_id": row[1],
            "sex": row[2],
            "seconded": bool(row[3]),
            **dict(zip(keys, row[4 : 4 + width], strict=True)),
            "host_unit_id": row[4 + width] if with_host else None,
            "n": row[-1],
        }
        for row in grouped
    ]


def _period_groups(
    viewer: User,
    on: datetime.date,
    count_at: str,
    units: list[UnitRow],
    extra: dict[str, Any],
    within: list[int] | None,
) -> list[dict[str, Any]]:
    """The groups on any date, from the situation periods (one per officer holds that day)."""
    home = Q(agency_id__in=_agencies(viewer))
    with_host = count_at == HOST
    if with_host:
        home |= Q(periods__host_unit_id__in=[u.id for u in units])
    # `within` is applied here rather than by the database: SQLite, without statistics,
    # would then read the periods unit by unit instead of officer by officer (10× slower).
    inside = set(within) if within is not None else None
    keys = [*extra]
    seconded = Case(When(periods__status=Status.SECONDED, then=Value(1)), default=Value(0))
    fields = ["periods__unit_id", "periods__grade_id", "sex", "seconded", *keys]
    if with_host:
        fields.append("periods__host_unit_id")
    # One filter() call: every condition speaks of the same period row.
    current = Q(periods__valid_to__isnull=True) | Q(periods__valid_to__gt=on)
    grouped = (
        Officer.objects.filter(
            home,
            current,
            periods__valid_from__lte=on,
            periods__status__in=IN_SERVICE_STATUSES,
        )
        .annotate(seconded=seconded, **extra)
        .values(*fields)
        .annotate(n=Count("id"))
        .order_by()
        .values_list(*fields, "n")
    )
    kept = grouped if inside is None else [g for g in grouped if g[0] in inside]
    return _group_rows(kept, keys, with_host=with_host, by_unit=inside is None)


def _event_groups(
    viewer: User,
    on: datetime.date,
    count_at: str,
    units: list[UnitRow],
    extra: dict[str, Any],
    within: list[int] | None,
) -> list[dict[str, Any]]:
    """The groups on any date, from the career events themselves (the proof of the others)."""
    home = Q(agency_id__in=_agencies(viewer))
    with_host = count_at == HOST
    qs = Officer.objects.filter(home)
    if with_host:
        hosted = CareerEvent.objects.filter(
            officer_id=OuterRef("pk"),
            kind=EventKind.SECONDMENT,
            unit_id__in=[u.id for u in units],
            is_superseded=False,
        )
        qs = Officer.objects.filter(home | Exists(hosted))
    keys = [*extra]
    # A career has one entry (the services refuse a second one, check_snapshots proves the
    # snapshot's entry date), and an officer who left before the date never came back.
    qs = qs.filter(entry_date__lte=on).filter(Q(exit_date__isnull=True) | Q(exit_date__gt=on))
    rows = (
        qs.annotate(
            u=Subquery(_latest(on, UNIT_KINDS).filter(unit_id__isnull=False).values("unit_id")[:1]),
            g=Subquery(
                _latest(on, GRADE_KINDS).filter(grade_id__isnull=False).values("grade_id")[:1]
            ),
            code=Subquery(
                _latest(on, STATUS_KINDS).annotate(code=_status_code(with_host)).values("code")[:1]
            ),
            **extra,
        )
        .values("u", "g", "code", "sex", *keys)
        .annotate(n=Count("id"))
        .order_by()
    )
    out = []
    for row in rows:
        if row["u"] is None or row["g"] is None:
            continue  # not yet in service on that date
        status, host = _from_code(row["code"])
        if status not in IN_SERVICE_STATUSES:
            continue
        if within is not None and row["u"] not in within:
            continue
        out.append(
            {
                "unit_id": row["u"] if within is None else None,
                "host_unit_id": host,
                "grade_id": row["g"],
                "seconded": status == Status.SECONDED,
                "sex": row["sex"],
                "n": row["n"],
                **{k: row[k] for k in keys},
            }
        )
    return out


SNAPSHOT = "snapshot"
PERIODS = "periods"
EVENTS = "events"
SOURCES = (SNAPSHOT, PERIODS, EVENTS)


def situation_groups(
    *,
    viewer: User,
    on: datetime.date,
    count_at: str = HOME,
    extra: Mapping[str, Expression] | None = None,
    source: str | None = None,
    within: list[int] | None = None,
) -> list[dict[str, Any]]:
    """Raw groups (home unit, host unit, grade as recorded, seconded, sex, extras, n).

    `source` forces where they come from (None: the snapshot on today's date, the situation
    periods on any other; `EVENTS` reads the career events themselves, as the tests' proof).
    The host unit is read only when seconded officers are counted at their host.
    `within`: only officers whose home unit is one of these, grouped without their unit
    (its "unit_id" is None) — far fewer groups when the unit does not matter.
    """
    units = scoped_units(viewer)
    if not units:
        return []
    if source is None:
        source = SNAPSHOT if on == timezone.localdate() else PERIODS
    reader = {SNAPSHOT: _snapshot_groups, PERIODS: _period_groups, EVENTS: _event_groups}[source]
    if within is not None:
        assert count_at == HOME, "the counting unit of a seconded officer may be the host's"
    return reader(viewer, on, count_at, units, dict(extra or {}), within)


class _Counter:
    """Maps raw groups to rows: the counting unit in scope, the grade in force, the filters."""

    def __init__(self, viewer: User, filters: ReportFilters) -> None:
        self.filters = filters
        self.scope = {u.id: u for u in scoped_units(viewer)}
        self.grades = grade_table()
        self.today = timezone.localdate()
        self.memo: dict[
            tuple[int | None, int, datetime.date], tuple[UnitRow | None, GradeInfo, int] | None
        ] = {}

    def within(self) -> list[int] | None:
        """The units to count in, for the database to filter on (None: counted at the host)."""
        if self.filters.count_at != HOME:
            return None
        return [u.id for u in self.scope.values() if self.filters.matches_unit(u)]

    def row(
        self, group: Mapping[str, Any], keys: list[str], on: datetime.date | None = None
    ) -> Row | None:
        """The group as a row counted on `on` (default: the filters' date), or None."""
        filters = self.filters
        on = on or filters.as_of
        seconded = group["seconded"]
        unit_id = group["unit_id"]
        if filters.count_at == HOST and seconded and group["host_unit_id"]:
            unit_id = group["host_unit_id"]
        # Tens of thousands of groups share a few thousand (unit, grade) pairs.
        memo_key = (unit_id, group["grade_id"], on)
        if memo_key in self.memo:
            found = self.memo[memo_key]
        else:
            found = self.memo[memo_key] = self._place(unit_id, group["grade_id"], on)
        if found is None:
            return None
        unit, grade, grade_now = found
        sex = group["sex"]
        if not filters.matches(None, grade_now, grade.corps_id, sex):
            return None
        return Row(
            unit=unit,
            grade_id=grade.id,
            corps_id=grade.corps_id,
            band_id=grade.band_id,
            sex=sex,
            seconded=seconded,
            n=group["n"],
            extra=tuple(group[k] for k in keys) if keys else (),
        )

    def _place(
        self, unit_id: int | None, grade_id: int, on: datetime.date
    ) -> tuple[UnitRow | None, GradeInfo, int] | None:
        """The unit in scope and filters (None: matched by the database already) and the
        grade in force on `on` and today; None when the unit is out of scope or filters."""
        unit = None
        if unit_id is not None:
            unit = self.scope.get(unit_id)
            if unit is None or not self.filters.matches_unit(unit):
                return None
        grade = self.grades[grade_in_force(grade_id, on)]
        return unit, grade, grade_in_force(grade.id, self.today)


def people_on(
    *,
    viewer: User,
    filters: ReportFilters,
    extra: Mapping[str, Expression] | None = None,
    source: str | None = None,
    by_unit: bool = True,
) -> list[Row]:
    """Officers in service on `filters.as_of`, grouped, in the viewer's scope and filters.

    Scope: the unit where an officer is counted must be inside one of the viewer's scopes
    (a Bamako clerk counts Bamako, on any date). `by_unit=False`: rows without their unit
    (None), the scope and the unit filters applied by the database — for figures that do not
    say where (the age pyramid); officers are then counted at home.
    """
    counter = _Counter(viewer, filters)
    keys = list(extra or {})
    out: list[Row] = []
    within = None if by_unit else counter.within()
    for group in situation_groups(
        viewer=viewer,
        on=filters.as_of,
        count_at=filters.count_at,
        extra=extra,
        source=source,
        within=within,
    ):
        row = counter.row(group, keys)
        if row is not None:
            out.append(row)
    return out


def grades_steady(start: datetime.date, end: datetime.date) -> bool:
    """No statute change takes effect after `start` up to `end`: every recorded grade is in
    force as the same grade on every day between them."""
    from matricule.core.models import StatuteVersion

    return not StatuteVersion.objects.filter(effective_to__gt=start, effective_to__lte=end).exists()


def counts_on_days(
    *, viewer: User, filters: ReportFilters, days: list[datetime.date], total: int
) -> list[int]:
    """The headcount on each of `days` (ascending, the last one `filters.as_of`, whose
    headcount is `total`), in one query over the situation periods.

    Usually no statute change falls between the days: a grade is in force as the same grade
    on each, so the periods holding on every day count the same on each — the last day's
    total less the periods that began after the first day — and only the periods that began
    or ended in between are read. Otherwise every period holding on one of the days is read.
    Either way the database groups them with the first and last of the days they hold on.
    """
    assert days and days[-1] == filters.as_of
    if not scoped_units(viewer):
        return [0] * len(days)
    first_day, last_day = days[0], days[-1]
    steady = grades_steady(first_day, last_day)
    last = len(days) - 1
    first_held = Case(
        *[When(valid_from__lte=day, then=Value(k)) for k, day in enumerate(days)],
        default=Value(last + 1),
    )
    last_held = Case(
        When(Q(valid_to__isnull=True) | Q(valid_to__gt=last_day), then=Value(last)),
        *[When(valid_to__gt=days[k], then=Value(k)) for k in range(last - 1, -1, -1)],
        default=Value(-1),
    )
    counter = _Counter(viewer, filters)
    within = counter.within()
    home = Q(officer__agency_id__in=_agencies(viewer))
    with_host = filters.count_at == HOST
    if with_host:
        home |= Q(host_unit_id__in=list(counter.scope))
    inside = set(within) if within is not None else None  # applied below, as _period_groups
    if steady:
        span = Q(valid_from__gt=first_day, valid_from__lte=last_day) | Q(
            valid_to__gt=first_day, valid_to__lte=last_day
        )
    else:
        span = Q(valid_from__lte=last_day) & (Q(valid_to__isnull=True) | Q(valid_to__gt=first_day))
    seconded = Case(When(status=Status.SECONDED, then=Value(1)), default=Value(0))
    fields = ["unit_id", "grade_id", "officer__sex", "seconded", "first", "last"]
    if with_host:
        fields.append("host_unit_id")
    periods = (
        SituationPeriod.objects.filter(home, span, status__in=IN_SERVICE_STATUSES)
        .annotate(seconded=seconded, first=first_held, last=last_held)
        .values(*fields)
        .annotate(n=Count("id"))
        .order_by()
        .values_list(*fields, "n")
    )
    counts = [0] * len(days)
    for row in periods:
        unit_id, grade_id, sex, second, start, end = row[:6]
        if inside is not None and unit_id not in inside:
            continue
        group = {
            "unit_id": unit_id if inside is None else None,
            "grade_id": grade_id,
            "sex": sex,
            "seconded": bool(second),
            "host_unit_id": row[6] if with_host else None,
            "n": row[-1],
        }
        for k in range(start, end + 1):
            if counter.row(group, [], on=None if steady else days[k]) is not None:
                counts[k] += row[-1]
            elif steady:
                break  # the same answer on every day
    if not steady:
        return counts
    # Periods holding on every day are not read: the last day's total less those read.
    unchanged = total - counts[last]
    return [unchanged + c for c in counts]


def unit_rows() -> dict[int, UnitRow]:
    return {u.id: u for u in refdata().units}
