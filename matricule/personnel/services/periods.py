"""The situation periods: the career events as spans of days, kept with the events.

Every write of career events rewrites the periods of the officers it touched, in the same
transaction: `periods_save` after one officer's event, `periods_rebuild` after a batch
(imports, their undo, `check_periods --fix`), `period_rows` for records created in bulk.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

from matricule.core.bulk import bulk_insert, in_chunks
from matricule.personnel.career import EventRow, SituationSpan, situation_spans
from matricule.personnel.models import CareerEvent, SituationPeriod

REBUILD_CHUNK = 1000
SPAN_FIELDS = ("valid_from", "valid_to", "unit_id", "host_unit_id", "grade_id", "status")


def period_rows(officer_id: int, events: Iterable[Any]) -> list[dict[str, Any]]:
    """The period rows of one officer, as `bulk_insert` writes them."""
    return _rows(officer_id, situation_spans(events))


def _rows(officer_id: int, spans: list[SituationSpan]) -> list[dict[str, Any]]:
    return [{"officer_id": officer_id, **{f: getattr(s, f) for f in SPAN_FIELDS}} for s in spans]


def periods_save(officer_id: int, events: Iterable[CareerEvent]) -> None:
    """Rewrite one officer's periods from all their events (in the caller's transaction)."""
    SituationPeriod.objects.filter(officer_id=officer_id).delete()
    rows = period_rows(officer_id, events)
    if rows:
        bulk_insert(SituationPeriod, rows)


def event_timelines(officer_ids: list[int]) -> dict[int, list[EventRow]]:
    """The live events of these officers, with just the fields a replay reads."""
    timelines: dict[int, list[EventRow]] = defaultdict(list)
    for row in CareerEvent.objects.filter(
        officer_id__in=officer_ids, is_superseded=False
    ).values_list(
        "officer_id",
        "id",
        "kind",
        "effective_date",
        "unit_id",
        "grade_id",
        "status",
        "function",
        "end_date",
    ):
        timelines[row[0]].append(EventRow(*row[1:]))
    return timelines


def periods_expected(
    officer_ids: list[int], timelines: Mapping[int, list[EventRow]] | None = None
) -> dict[int, list[SituationSpan]]:
    if timelines is None:
        timelines = event_timelines(officer_ids)
    return {pk: situation_spans(timelines.get(pk, [])) for pk in officer_ids}


def periods_stored(officer_ids: list[int]) -> dict[int, list[SituationSpan]]:
    stored: dict[int, list[SituationSpan]] = defaultdict(list)
    for row in (
        SituationPeriod.objects.filter(officer_id__in=officer_ids)
        .order_by("officer_id", "valid_from")
        .values_list("officer_id", *SPAN_FIELDS)
    ):
        stored[row[0]].append(SituationSpan(*row[1:]))
    return stored


@dataclass
class PeriodChanges:
    """The period rows to delete and to insert so that the stored periods match the events."""

    gone: list[int] = field(default_factory=list)
    added: list[dict[str, Any]] = field(default_factory=list)
    officers: int = 0  # officers whose periods change

    def extend(self, other: PeriodChanges) -> None:
        self.gone.extend(other.gone)
        self.added.extend(other.added)
        self.officers += other.officers


def periods_changes(
    officer_ids: list[int], timelines: Mapping[int, list[EventRow]] | None = None
) -> PeriodChanges:
    """What `periods_write` must do for these officers, read but not written.

    Only the rows that differ: the periods that no longer hold are deleted and the missing
    ones inserted (an imported history changes a stretch of a career and leaves the rest of
    its periods as they were). A period is its whole row, so the kept and the inserted ones
    never start the same day."""
    changes = PeriodChanges()
    expected = periods_expected(officer_ids, timelines)
    stored: dict[int, list[tuple[int, SituationSpan]]] = defaultdict(list)
    for row in SituationPeriod.objects.filter(officer_id__in=officer_ids).values_list(
        "officer_id", "id", *SPAN_FIELDS
    ):
        stored[row[0]].append((row[1], SituationSpan(*row[2:])))
    for pk in officer_ids:
        want = expected[pk]
        have = stored.get(pk, [])
        kept = {span for _id, span in have}
        if len(kept) == len(want) and kept.issuperset(want):
            continue
        wanted = set(want)
        changes.gone.extend(period_id for period_id, span in have if span not in wanted)
        changes.added.extend(_rows(pk, [span for span in want if span not in kept]))
        changes.officers += 1
    return changes


def periods_write(changes: PeriodChanges) -> None:
    """Apply `periods_changes` (in the caller's transaction)."""
    for some in in_chunks(changes.gone):
        SituationPeriod.objects.filter(id__in=some).delete()
    if changes.added:
        bulk_insert(SituationPeriod, changes.added)


def periods_rebuild(
    *, officer_ids: Iterable[int], timelines: Mapping[int, list[EventRow]] | None = None
) -> int:
    """Rewrite the periods of these officers that differ from their events; returns how many
    officers changed. Runs in the caller's transaction. `timelines`: their live events,
    when the caller has just read them (every officer's, or an empty list)."""
    changed = 0
    for chunk in in_chunks(sorted(set(officer_ids)), REBUILD_CHUNK):
        changes = periods_changes(chunk, timelines)
        periods_write(changes)
        changed += changes.officers
    return changed
