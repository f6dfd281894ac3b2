"""Deriving an officer's situation on any date from the career events.

Pure functions over event rows: the same replay serves the profile "as on a
date", the snapshot kept on Officer, and `check_snapshots`.
"""

from __future__ import annotations

import datetime
import time
from collections.abc import Iterable
from dataclasses import dataclass, replace

from matricule.core.models import Grade, GradeMapping, StatuteVersion
from matricule.personnel.models import CareerEvent, EventKind, Status


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


def replay(events: Iterable[CareerEvent], *, on: datetime.date | None = None) -> Situation | None:
    """The situation after the given events (in date order), up to `on` if given."""
    state: Situation | None = None
    for ev in sorted(events, key=lambda e: (e.effective_date, e.id or 0)):
        if ev.is_superseded or (on is not None and ev.effective_date > on):
            continue
        if ev.kind == EventKind.ENTRY:
            assert ev.unit_id is not None and ev.grade_id is not None
            state = Situation(
                entry_date=ev.effective_date,
                unit_id=ev.unit_id,
                grade_id=ev.grade_id,
                status=ev.status or Status.ACTIVE,
                function=ev.function,
                secondment_end=ev.end_date,
            )
            continue
        if state is None:
            continue  # events before entry are refused by services; ignore defensively
        if ev.kind == EventKind.POSTING and ev.unit_id is not None:
            state = replace(state, unit_id=ev.unit_id, function=ev.function or state.function)
        elif ev.kind == EventKind.FUNCTION:
            state = replace(state, function=ev.function)
        elif ev.kind == EventKind.GRADE and ev.grade_id is not None:
            state = replace(state, grade_id=ev.grade_id)
        elif ev.kind == EventKind.STATUS:
            seconded = ev.status == Status.SECONDED
            state = replace(
                state,
                status=ev.status,
                host_unit_id=state.host_unit_id if seconded else None,
                # Back from a secondment out: its end no longer applies.
                secondment_end=state.secondment_end
                if seconded or state.host_unit_id is None
                else None,
            )
        elif ev.kind == EventKind.SECONDMENT:
            state = replace(
                state,
                status=Status.SECONDED,
                host_unit_id=ev.unit_id,
                function=ev.function or state.function,
                secondment_end=ev.end_date,
            )
        elif ev.kind == EventKind.RENEWAL:
            state = replace(state, secondment_end=ev.end_date)
        elif ev.kind == EventKind.EXIT:
            state = replace(
                state,
                status=ev.status,
                exit_date=ev.effective_date,
                host_unit_id=None,
                secondment_end=None,
            )
    return state


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
