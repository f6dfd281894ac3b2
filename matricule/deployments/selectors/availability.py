"""Who is free over a period: one set-based condition for searches, and the reasons for a few.

An officer is available over [start, end] (end None: open-ended) when
- in service on the first day (not retired, resigned, dismissed or deceased; entered by then);
- not due to retire before the last day (birthday at the corps' retirement age);
- not held by another assignment that meets the period (any assignment not cancelled);
- not seated in a training session that meets the period (proposed or enrolled);
- not on leave, suspended, in training, deployed or seconded on any day of the period:
  from today on, the current position counts until its planned end ("fin prévue" of
  the event that set it; open when none); before today, the career's own dated events.
"""

from __future__ import annotations

import datetime
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass

from django.db.models import (
    Case,
    DateField,
    Exists,
    F,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Value,
    When,
)
from django.db.models.functions import Coalesce
from django.db.models.lookups import GreaterThan, GreaterThanOrEqual
from django.utils.translation import gettext as _

from matricule.core.dates import add_years
from matricule.core.refcache import refdata
from matricule.deployments.models import HOLDING_STATES, Assignment
from matricule.personnel.models import (
    IN_SERVICE_STATUSES,
    CareerEvent,
    EventKind,
    Officer,
    Status,
)
from matricule.personnel.models.officer import EXIT_STATUSES
from matricule.training.selectors import enrolment_clashes, seated_enrolments

# Positions in which an officer cannot be sent on a mission.
BLOCKING_STATUSES = (
    Status.LEAVE,
    Status.SUSPENDED,
    Status.TRAINING,
    Status.DEPLOYED,
    Status.SECONDED,
)
# Events that set the position (the status) of an officer.
STATUS_KINDS = (EventKind.ENTRY, EventKind.STATUS, EventKind.SECONDMENT, EventKind.EXIT)
FAR_FUTURE = datetime.date(9999, 12, 31)
# Dates an operation, a search or a report may use: far enough for any career, and
# well inside what date arithmetic (retirement, licence held N years) can compute.
EARLIEST = datetime.date(1960, 1, 1)
LATEST = datetime.date(2100, 12, 31)


def date_in_range(day: datetime.date | None) -> bool:
    return day is None or EARLIEST <= day <= LATEST


@dataclass(frozen=True)
class Period:
    start: datetime.date
    end: datetime.date | None  # None: open-ended

    @property
    def last_day(self) -> datetime.date:
        """The day skills must still be valid on: the end, or the start when open-ended."""
        return self.end or self.start

    def meets(self, start: datetime.date, end: datetime.date | None) -> bool:
        """Whether [start, end] (end None: open) shares a day with this period."""
        return (self.end is None or start <= self.end) and (end is None or end >= self.start)

    @property
    def label(self) -> str:
        if self.end is None:
            return _("à partir du %(d)s (sans date de fin)") % {"d": f"{self.start:%d/%m/%Y}"}
        return _("du %(s)s au %(e)s") % {"s": f"{self.start:%d/%m/%Y}", "e": f"{self.end:%d/%m/%Y}"}


def holding_assignments(period: Period) -> QuerySet[Assignment]:
    """Assignments (not cancelled) that share at least one day with the period."""
    qs = Assignment.objects.filter(state__in=HOLDING_STATES).filter(
        Q(end_date__isnull=True) | Q(end_date__gte=period.start)
    )
    if period.end is not None:
        qs = qs.filter(start_date__lte=period.end)
    return qs


def peak_held(spans: Iterable[tuple[datetime.date, datetime.date | None]], period: Period) -> int:
    """The most assignments held on any one day of the period (relief rotations fit)."""
    changes: dict[datetime.date, int] = {}
    for start, end in spans:
        first = max(start, period.start)
        changes[first] = changes.get(first, 0) + 1
        if end is not None and (period.end is None or end < period.end):
            after = end + datetime.timedelta(days=1)
            changes[after] = changes.get(after, 0) - 1
    peak = running = 0
    for day in sorted(changes):
        running += changes[day]
        peak = max(peak, running)
    return peak


def _latest_position_end() -> Subquery:
    """The planned end of the event that set the officer's current position."""
    return Subquery(
        CareerEvent.objects.filter(
            officer_id=OuterRef("pk"), kind__in=STATUS_KINDS, is_superseded=False
        )
        .order_by("-effective_date", "-id")
        .values("end_date")[:1]
    )


def _past_blocking_events(period: Period, today: datetime.date) -> QuerySet[CareerEvent]:
    """Blocking positions (outer officer) in force on a day of the period before today.

    A position runs from its event to its planned end, or to the next change of position.
    """
    last = min(period.end or today, today - datetime.timedelta(days=1))
    later_change = CareerEvent.objects.filter(
        officer_id=OuterRef("officer_id"),
        kind__in=STATUS_KINDS,
        is_superseded=False,
        effective_date__gt=OuterRef("effective_date"),
        effective_date__lte=period.start,
    )
    return (
        CareerEvent.objects.filter(
            officer_id=OuterRef("pk"),
            is_superseded=False,
            effective_date__lte=last,
        )
        .filter(
            Q(kind=EventKind.SECONDMENT)
            | Q(kind=EventKind.STATUS, status__in=BLOCKING_STATUSES)
            | Q(kind=EventKind.ENTRY, status__in=BLOCKING_STATUSES)
        )
        .filter(Q(end_date__isnull=True) | Q(end_date__gte=period.start))
        .filter(~Exists(later_change))
    )


def retirement_q(period: Period) -> Q:
    """Officers whose retirement date falls after the last day (the start when open-ended).

    One comparison against a per-corps bound (CASE), not an OR per corps: an OR of indexed
    columns would make SQLite walk the corps index instead of the few candidates.
    """
    day = period.end or period.start
    bound = Case(
        *[
            When(corps_id=corps.pk, then=Value(add_years(day, -corps.retirement_age)))
            for corps in refdata().corps
        ],
        default=Value(FAR_FUTURE),
        output_field=DateField(),
    )
    return Q(GreaterThan(F("birth_date"), bound))


def available_q(period: Period, *, today: datetime.date) -> Q:
    """The condition on Officer rows: available over the whole period (see the module)."""
    q: Q = Q(status__in=IN_SERVICE_STATUSES, entry_date__lte=period.start) & retirement_q(period)
    q &= ~Q(pk__in=holding_assignments(period).values("officer_id"))
    q &= ~Q(pk__in=seated_enrolments(start=period.start, end=period.end).values("officer_id"))
    if period.end is None or period.end >= today:
        # From today on: the current position, until its planned end.
        horizon = max(period.start, today)
        still_blocked = GreaterThanOrEqual(
            Coalesce(_latest_position_end(), Value(FAR_FUTURE)), horizon
        )
        q &= ~(Q(status__in=BLOCKING_STATUSES) & Q(still_blocked))
    if period.start < today:
        q &= Q(~Exists(_past_blocking_events(period, today)))
    return q


def unavailability_reasons(
    *, officers: list[Officer], period: Period, today: datetime.date
) -> dict[int, list[str]]:
    """Why each of a few officers is not available over the period (French), by officer id.

    Officers must come with their corps; a constant number of queries whatever their number.
    """
    ids = [o.pk for o in officers]
    reasons: dict[int, list[str]] = defaultdict(list)
    if not ids:
        return reasons
    last = period.end or period.start
    for officer in officers:
        if officer.status in EXIT_STATUSES:
            reasons[officer.pk].append(
                _("A quitté le service (%(s)s).") % {"s": officer.get_status_display().lower()}
            )
        elif officer.entry_date > period.start:
            reasons[officer.pk].append(
                _("Entré en service le %(d)s, après le début.")
                % {"d": f"{officer.entry_date:%d/%m/%Y}"}
            )
        retirement = officer.retirement_date
        if officer.status not in EXIT_STATUSES and retirement <= last:
            reasons[officer.pk].append(
                _("Part à la retraite le %(d)s, avant la fin de la période.")
                % {"d": f"{retirement:%d/%m/%Y}"}
            )
    for a in (
        holding_assignments(period)
        .filter(officer_id__in=ids)
        .select_related("operation")
        .order_by("start_date")
    ):
        reasons[a.officer_id].append(
            _("Déjà affecté à « %(op)s » (%(days)s).")
            % {"op": a.operation.name, "days": a.days_label()}
        )
    for e in enrolment_clashes(officer_ids=ids, start=period.start, end=period.end):
        reasons[e.officer_id].append(
            _("Inscrit à la session %(code)s du %(s)s au %(e)s.")
            % {
                "code": e.session.course.code,
                "s": f"{e.session.start_date:%d/%m/%Y}",
                "e": f"{e.session.end_date:%d/%m/%Y}",
            }
        )
    for officer_id, label in _position_reasons(ids, period, today):
        reasons[officer_id].append(label)
    return reasons


def _position_reasons(
    ids: list[int], period: Period, today: datetime.date
) -> list[tuple[int, str]]:
    """Blocking positions over the period, read from the officers' status events."""
    events: dict[int, list[CareerEvent]] = defaultdict(list)
    for ev in CareerEvent.objects.filter(
        officer_id__in=ids, kind__in=STATUS_KINDS, is_superseded=False
    ).order_by("officer_id", "effective_date", "id"):
        events[ev.officer_id].append(ev)
    out: list[tuple[int, str]] = []
    for officer_id, rows in events.items():
        for i, ev in enumerate(rows):
            status = Status.SECONDED if ev.kind == EventKind.SECONDMENT else ev.status
            if status not in BLOCKING_STATUSES:
                continue
            following = rows[i + 1].effective_date if i + 1 < len(rows) else None
            stop = ev.end_date
            if following is not None:
                before_next = following - datetime.timedelta(days=1)
                stop = before_next if stop is None else min(stop, before_next)
            if not period.meets(ev.effective_date, stop):
                continue
            label = str(Status(status).label)
            if stop is None:
                text = _("%(s)s depuis le %(d)s, sans fin prévue.") % {
                    "s": label,
                    "d": f"{ev.effective_date:%d/%m/%Y}",
                }
            else:
                text = _("%(s)s du %(d)s au %(e)s.") % {
                    "s": label,
                    "d": f"{ev.effective_date:%d/%m/%Y}",
                    "e": f"{stop:%d/%m/%Y}",
                }
            out.append((officer_id, text))
    return out
