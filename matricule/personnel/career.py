"""Deriving an officer's situation on any date from the career events.

Pure functions over event rows: the same replay serves the profile "as on a
date", the snapshot kept on Officer, and `check_snapshots`.
"""

from __future__ import annotations

import datetime
import time
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any, TypeVar

from matricule.core.models import Grade, GradeMapping, StatuteVersion
from matricule.personnel.models import CareerEvent, EventKind, Status

_T = TypeVar("_T")


def _evolve(obj: _T, **changes: Any) -> _T:
    """`dataclasses.replace` for the frozen records below, without its generic checks:
    a replay of the force's careers calls it a million times, and it was a tenth of an
    import's commit."""
    new = object.__new__(type(obj))
    new.__dict__.update(obj.__dict__, **changes)
    return new


@dataclass(frozen=True)
class Situation:
    entry_date: datetime.date
    unit_id: int
    grade_id: int
    status: str
    function: str = ""
    host_unit_id: int | None = None
    exit_date: datetime.date | None = None
    # End of the secondment in force: police officer seconded out (secondment act and
    # renewals), or officer of another corps seconded in (entry act and renewals).
    secondment_end: datetime.date | None = None


def replay(events: Iterable[ReplayEvent], *, on: datetime.date | None = None) -> Situation | None:
    """The situation after the given events (in date order), up to `on` if given."""
    state: Situation | None = None
    for ev in sorted(events, key=lambda e: (e.effective_date, e.id or 0)):
        if ev.is_superseded or (on is not None and ev.effective_date > on):
            continue
        state = _apply(state, ev)
    return state


def _apply(state: Situation | None, ev: ReplayEvent) -> Situation | None:
    """The situation after one more event."""
    if ev.kind == EventKind.ENTRY:
        assert ev.unit_id is not None and ev.grade_id is not None
        return Situation(
            entry_date=ev.effective_date,
            unit_id=ev.unit_id,
            grade_id=ev.grade_id,
            status=ev.status or Status.ACTIVE,
            function=ev.function,
            secondment_end=ev.end_date,
        )
    if state is None:
        return None  # events before entry are refused by services; ignore defensively
    if ev.kind == EventKind.POSTING and ev.unit_id is not None:
        return _evolve(state, unit_id=ev.unit_id, function=ev.function or state.function)
    if ev.kind == EventKind.FUNCTION:
        return _evolve(state, function=ev.function)
    if ev.kind == EventKind.GRADE and ev.grade_id is not None:
        return _evolve(state, grade_id=ev.grade_id)
    if ev.kind == EventKind.STATUS:
        seconded = ev.status == Status.SECONDED
        return _evolve(
            state,
            status=ev.status,
            host_unit_id=state.host_unit_id if seconded else None,
            # Back from a secondment out: its end no longer applies.
            secondment_end=state.secondment_end if seconded or state.host_unit_id is None else None,
        )
    if ev.kind == EventKind.SECONDMENT:
        return _evolve(
            state,
            status=Status.SECONDED,
            host_unit_id=ev.unit_id,
            function=ev.function or state.function,
            secondment_end=ev.end_date,
        )
    if ev.kind == EventKind.RENEWAL:
        return _evolve(state, secondment_end=ev.end_date)
    if ev.kind == EventKind.EXIT:
        return _evolve(
            state,
            status=ev.status,
            exit_date=ev.effective_date,
            host_unit_id=None,
            secondment_end=None,
        )
    return state


@dataclass(slots=True)
class EventRow:
    """The fields of a career event that `replay` reads (lighter than a model instance)."""

    id: int
    kind: str
    effective_date: datetime.date
    unit_id: int | None
    grade_id: int | None
    status: str
    function: str
    end_date: datetime.date | None = None
    is_superseded: bool = False


# What a replay reads: a saved event, or the same fields read as plain values.
ReplayEvent = CareerEvent | EventRow


@dataclass(frozen=True)
class SituationSpan:
    """Where an officer stood, in which grade (as recorded) and position, over a span of days.

    `valid_to` is the first day the span no longer holds (None: still holds).
    """

    valid_from: datetime.date
    valid_to: datetime.date | None
    unit_id: int
    host_unit_id: int | None
    grade_id: int
    status: str


def situation_spans(events: Iterable[ReplayEvent]) -> list[SituationSpan]:
    """The officer's situation day by day, as spans: on any day inside a span, `replay(events,
    on=day)` gives its unit, host unit, grade and position (the function is left out)."""
    spans: list[SituationSpan] = []
    state: Situation | None = None
    live = [e for e in events if not e.is_superseded]
    ordered = sorted(live, key=lambda e: (e.effective_date, e.id or 0))
    for n, ev in enumerate(ordered):
        state = _apply(state, ev)
        if n + 1 < len(ordered) and ordered[n + 1].effective_date == ev.effective_date:
            continue  # the day's situation is the one after all its events
        if state is None:
            continue
        key = (state.unit_id, state.host_unit_id, state.grade_id, state.status)
        if spans:
            last = spans[-1]
            if (last.unit_id, last.host_unit_id, last.grade_id, last.status) == key:
                continue
            spans[-1] = _evolve(last, valid_to=ev.effective_date)
        spans.append(SituationSpan(ev.effective_date, None, *key))
    return spans


Period = tuple[datetime.date, datetime.date | None]
# Grade tables change a few times a decade; reloading them every minute keeps every
# worker process current after an HR director edits them, at no cost per request.
_CACHE_SECONDS = 60
_cache: dict[str, tuple[float, dict[int, int], dict[int, Period]]] = {}


def _mapping_table() -> tuple[dict[int, int], dict[int, Period]]:
    hit = _cache.get("grades")
    if hit is not None and time.monotonic() - hit[0] < _CACHE_SECONDS:
        return hit[1], hit[2]
    mapping = dict(GradeMapping.objects.values_list("from_grade_id", "to_grade_id"))
    statutes = {s.id: (s.effective_from, s.effective_to) for s in StatuteVersion.objects.all()}
    periods = {g_id: statutes[s_id] for g_id, s_id in Grade.objects.values_list("id", "statute_id")}
    _cache["grades"] = (time.monotonic(), mapping, periods)
    return mapping, periods


def clear_grade_cache() -> None:
    _cache.clear()


def grade_in_force(grade_id: int, on: datetime.date) -> int:
    """Follow statute mappings until the grade belongs to the statute in force on `on`.

    History keeps the grade as the act named it; display and the snapshot use the
    grade it became under later statutes.
    """
    mapping, periods = _mapping_table()
    seen = set()
    while grade_id not in seen:
        seen.add(grade_id)
        period = periods.get(grade_id)
        if period is None:
            clear_grade_cache()
            mapping, periods = _mapping_table()
            period = periods.get(grade_id)
            if period is None:
                return grade_id
        _start, end = period
        if end is None or on < end or grade_id not in mapping:
            return grade_id
        grade_id = mapping[grade_id]
    return grade_id
