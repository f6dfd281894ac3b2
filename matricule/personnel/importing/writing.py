"""Writing a checked officers file in bounded batches, and undoing a failed import.

**Batches.** Rows are written `MATRICULE_IMPORT_BATCH_ROWS` at a time at most (2,000 by
default) and never more than about half a second's worth (`BatchSizer`: on a loaded
machine batches shrink), each batch in its own transaction with bulk inserts and its audit
entries written in one bulk insert (`audit_record_many`). Between two batches the
database is free: on SQLite, where one writer holds the whole file for the length of its
transaction, other users' writes wait at most one batch, never the whole import. The
job's counters (`committed_rows`, created, updated) and heartbeat are written in the
batch's own transaction, so they say exactly what is committed.

**All or nothing, as the user sees it.** An all-or-nothing import writes only a file
without errors; if a batch still fails (a NINA taken meanwhile by another clerk, the
database refusing a row) or the worker dies, the system undoes the import
(`import_undo`): the officers it created are removed, the events and legacy identifiers
it added are removed, the records it updated are put back as they were (`ImportChange`
keeps their previous values), the snapshots of the records it touched are rebuilt from
their events, the units it created are removed — each step audited, in bounded batches
too. In "valid rows" mode a failing batch is written again row by row, so only the row
at fault is left out.

**The exits' effects come last.** An exit from the service revokes the officer's cards,
closes their login and ends their missions (`hooks.exit_handlers`), none of which can be
taken back. They run once every row is committed (`exits_apply`, after
`ImportJob.written_at` is set), so an import undone halfway has touched nothing outside its
own rows; a job interrupted after that point is finished by the recovery, not undone.

Every write keeps the record's rules: the snapshot (current unit, grade, position) is
derived from the events by the same `replay` as `check_snapshots`; the entry and exit
events are marked « reprise de l'historique » with their source.
"""

from __future__ import annotations

import contextlib
import datetime
import re
import time
from collections import defaultdict
from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import DatabaseError, IntegrityError, connection, transaction
from django.db.models import F, ProtectedError
from django.utils import timezone
from django.utils.translation import gettext as _

from matricule.core import refcache
from matricule.core.audit import AuditDraft, audit_record, audit_record_many
from matricule.core.bulk import bulk_insert, bulk_update_rows, in_chunks
from matricule.core.matricule import matricule_allocate
from matricule.core.models import Agency, Grade, Unit
from matricule.core.models.reference import PATH_STEP
from matricule.personnel import hooks
from matricule.personnel.career import EventRow
from matricule.personnel.importing.planning import (
    CREATE,
    UPDATE,
    Plan,
    PlannedRow,
    Reference,
)
from matricule.personnel.importing.report import Problem
from matricule.personnel.models import (
    ActKind,
    CareerEvent,
    EventKind,
    ImportChange,
    ImportJob,
    LegacyIdentifier,
    NameWord,
    Officer,
    SituationPeriod,
    Status,
    fold,
    name_words,
)
from matricule.personnel.services import IDENTITY_FIELDS, snapshot_expected
from matricule.personnel.services.periods import (
    PeriodChanges,
    event_timelines,
    period_rows,
    periods_changes,
    periods_write,
)

if TYPE_CHECKING:
    from matricule.accounts.models import User

_IDENTITY_SET = frozenset(IDENTITY_FIELDS)
SNAPSHOT_FIELDS = (
    "unit_id",
    "grade_id",
    "corps_id",
    "status",
    "function",
    "host_unit_id",
    "entry_date",
    "exit_date",
    "secondment_end",
)
UNDO_CHUNK = 500
_CODE = re.compile(r"^[A-Z0-9][A-Z0-9._/-]{0,19}$")


class BatchFailed(Exception):
    """A batch could not be written; its transaction is rolled back."""

    def __init__(self, problems: list[Problem]) -> None:
        super().__init__("; ".join(p.message for p in problems[:3]))
        self.problems = problems


@dataclass
class Outcome:
    created: int = 0
    updated: int = 0
    failed: int = 0
    problems: list[Problem] = field(default_factory=list)


def batch_rows() -> int:
    return int(settings.MATRICULE_IMPORT_BATCH_ROWS)


class BatchSizer:
    """Rows per transaction: at most `limit`, and few enough that a transaction lasts about
    `TARGET_SECONDS` on this machine, however loaded it is (the next batch is sized from
    the speed of the last one). On SQLite the write lock is held that long, no longer."""

    TARGET_SECONDS = 0.5
    MINIMUM = 100
    # SQLite's busy handler retries a waiting writer every 100 ms at most: without a pause
    # longer than that between two batches, the import takes the lock back each time and
    # a clerk's save waits until its busy timeout, then fails (seen on a loaded machine).
    SQLITE_PAUSE_SECONDS = 0.12

    def __init__(self, limit: int) -> None:
        self.limit = max(1, limit)
        self.size = self.limit
        self._ended = 0.0

    @contextlib.contextmanager
    def timed(self, rows: int, *, last: bool = False, pause: bool = True) -> Iterator[None]:
        """Time a batch and size the next; on SQLite, pause after it (unless `last`).

        `pause=False`: the caller does work of its own outside the transaction first (the
        next batch read ahead), then calls `rest()` for what is left of the pause."""
        started = time.monotonic()
        yield
        self._ended = time.monotonic()
        elapsed = self._ended - started
        if elapsed > 0 and rows:
            fitting = int(rows * self.TARGET_SECONDS / elapsed)
            self.size = max(min(self.MINIMUM, self.limit), min(self.limit, fitting))
        if pause and not last:
            self.rest()

    def rest(self) -> None:
        """On SQLite, wait until the pause since the end of the last batch is over."""
        if connection.vendor != "sqlite" or connection.in_atomic_block:
            return
        left = self.SQLITE_PAUSE_SECONDS - (time.monotonic() - self._ended)
        if left > 0:
            time.sleep(left)


def job_progress(job: ImportJob, *, committed: int, created: int, updated: int) -> None:
    """Count a committed batch on the job, in the batch's own transaction."""
    ImportJob.objects.filter(pk=job.pk).update(
        committed_rows=F("committed_rows") + committed,
        processed_rows=F("committed_rows") + committed,
        created_count=F("created_count") + created,
        updated_count=F("updated_count") + updated,
        heartbeat_at=timezone.now(),
    )
    job.committed_rows += committed
    job.processed_rows = job.committed_rows
    job.created_count += created
    job.updated_count += updated


def executemany_update(model: Any, fields: list[str], rows: list[list[Any]]) -> None:
    """UPDATE model SET fields… for many rows given as (*values, id), in few statements."""
    bulk_update_rows(model, [_column_attname(model, f) for f in fields], rows)


def _column_attname(model: Any, name: str) -> str:
    return str(model._meta.get_field(name).attname)


def _column(model: Any, name: str) -> str:
    return str(model._meta.get_field(name).column)


def _corps_of(grade_ids: Iterable[int]) -> dict[int, int]:
    return dict(Grade.objects.filter(id__in=set(grade_ids)).values_list("id", "corps_id"))


# --- Units created under a chosen parent ----------------------------------------------


def units_create(*, job: ImportJob, plan: Plan, reference: Reference, by: User | None) -> None:
    """Create the units the file names and the reference data lacks, in one transaction."""
    parent = reference.new_units_parent
    needed = {r.new_unit for r in plan.rows if r.new_unit and r.action == CREATE}
    if parent is None or not needed:
        return
    unit_type = reference.new_units_type
    assert unit_type is not None
    with transaction.atomic():
        taken = {
            c.upper()
            for c in Unit.objects.filter(agency=reference.agency).values_list("code", flat=True)
        }
        siblings = Unit.objects.filter(parent=parent).values_list("path", flat=True)
        prefix = parent.path
        number = max((int(p[len(prefix) : len(prefix) + PATH_STEP]) for p in siblings), default=0)
        units: list[Unit] = []
        for n, key in enumerate(sorted(needed), start=1):
            label = plan.units_to_create[key]
            code = "".join(label.split()).upper()
            if not _CODE.match(code) or code in taken:
                code = f"{parent.code}-{n:03d}"[:20]
                while code in taken:
                    n += 1000
                    code = f"{parent.code}-{n:03d}"[:20]
            taken.add(code)
            number += 1
            if number >= 10**PATH_STEP:
                raise ValidationError(_("Trop de sous-unités sous cette unité."))
            units.append(
                Unit(
                    agency=reference.agency,
                    parent=parent,
                    path=f"{prefix}{number:0{PATH_STEP}d}/",
                    depth=parent.depth + 1,
                    code=code,
                    name=label[:200],
                    unit_type=unit_type,
                    region_id=parent.region_id,
                )
            )
        Unit.objects.bulk_create(units)
        audit_record_many(
            by=by,
            drafts=[
                AuditDraft(
                    action="reference.create",
                    obj=u,
                    after={"code": u.code, "name": u.name, "parent": parent.code, "job": job.pk},
                )
                for u in units
            ],
        )
        job.options = {**job.options, "created_units": [u.pk for u in units]}
        ImportJob.objects.filter(pk=job.pk).update(options=job.options)
        transaction.on_commit(refcache.clear)
    by_key = dict(zip(sorted(needed), units, strict=True))
    for planned in plan.rows:
        if planned.new_unit:
            planned.unit = by_key.get(planned.new_unit)
    refcache.clear()


# --- Officers -------------------------------------------------------------------------


def officers_write(
    *,
    job: ImportJob,
    plan: Plan,
    reference: Reference,
    by: User | None,
    atomic: bool,
    size: int | None = None,
    after_batch: Callable[[], None] | None = None,
) -> Outcome:
    """Write the plan's creations and updates, batch after batch (see the module's doc).

    Raises BatchFailed in all-or-nothing mode; the caller then undoes the import.
    """
    outcome = Outcome()
    rows = [r for r in plan.rows if r.action in (CREATE, UPDATE)]
    units_create(job=job, plan=plan, reference=reference, by=by)
    sizer = BatchSizer(size or batch_rows())
    start = 0
    while start < len(rows):
        chunk = rows[start : start + sizer.size]
        start += len(chunk)
        try:
            with sizer.timed(len(chunk), last=start >= len(rows)), transaction.atomic():
                created, updated = _write_batch(job, chunk, reference, plan, by=by)
                job_progress(job, committed=len(chunk), created=created, updated=updated)
        except (IntegrityError, ValidationError, _Conflict) as error:
            if atomic:
                raise BatchFailed(_batch_problems(plan, chunk, error)) from error
            created = updated = 0
            for planned in chunk:
                try:
                    with transaction.atomic():
                        c, u = _write_batch(job, [planned], reference, plan, by=by)
                        job_progress(job, committed=1, created=c, updated=u)
                except (IntegrityError, ValidationError, _Conflict) as row_error:
                    outcome.failed += 1
                    outcome.problems.extend(_batch_problems(plan, [planned], row_error))
                else:
                    created += c
                    updated += u
        outcome.created += created
        outcome.updated += updated
        if after_batch is not None:
            after_batch()
    return outcome


class _Conflict(Exception):
    """A record changed between the check and the write."""


def _batch_problems(plan: Plan, rows: list[PlannedRow], error: Exception) -> list[Problem]:
    if isinstance(error, _Conflict):
        message = _(
            "Ce dossier a été modifié par quelqu'un d'autre pendant l'import : relancez "
            "l'import pour cette ligne."
        )
    elif isinstance(error, ValidationError):
        message = "; ".join(error.messages)
    else:
        message = _(
            "Enregistrement refusé par la base de données (matricule, NINA ou ancien "
            "identifiant pris entre-temps par un autre enregistrement)."
        )
    if len(rows) == 1:
        return [Problem(rows[0].row, "", "", message)]
    return [
        Problem(
            rows[0].row,
            "",
            "",
            _("Lot de lignes %(first)d à %(last)d refusé : %(message)s")
            % {"first": rows[0].row, "last": rows[-1].row, "message": message},
            rows=[r.row for r in rows],
        )
    ]


_IDENTITY_AFTER = (
    *IDENTITY_FIELDS,
    "matricule",
    "unit_id",
    "grade_id",
    "status",
    "entry_date",
    "exit_date",
    "birth_date_approximate",
    "import_job_id",
)


def _history_event(job: ImportJob, source: str, by: User | None, **values: Any) -> CareerEvent:
    return CareerEvent(
        historical=True,
        source=source,
        import_job_id=job.pk,
        created_by=by,
        **values,
    )


def _event_row(
    job: ImportJob, source: str, by: User | None, now: datetime.datetime, **values: Any
) -> dict[str, Any]:
    """A historical career event as the columns bulk_insert writes (stamped `now`)."""
    return {
        "historical": True,
        "source": source,
        "import_job_id": job.pk,
        "created_by_id": by.pk if by is not None else None,
        "created_at": now,
        **values,
    }


def _write_batch(
    job: ImportJob,
    rows: list[PlannedRow],
    reference: Reference,
    plan: Plan,
    *,
    by: User | None,
) -> tuple[int, int]:
    source = reference.options.source_name
    creates = [r for r in rows if r.action == CREATE]
    updates = [r for r in rows if r.action == UPDATE]
    drafts: list[AuditDraft] = []
    legacy_rows: list[dict[str, Any]] = []
    if creates:
        _write_creates(job, creates, reference, source, by, drafts, legacy_rows)
    # Existing records: identity, legacy identifier, exit or position from the file.
    if updates:
        _write_updates(job, updates, reference, source, by, drafts, legacy_rows)
    bulk_insert(LegacyIdentifier, legacy_rows)
    audit_record_many(by=by, drafts=drafts)
    return len(creates), len(updates)


def _write_creates(
    job: ImportJob,
    creates: list[PlannedRow],
    reference: Reference,
    source: str,
    by: User | None,
    drafts: list[AuditDraft],
    legacy_rows: list[dict[str, Any]],
) -> None:
    """New records, with their entry (and exit or position) events and their snapshot,
    as plain rows in a few multi-row INSERTs."""
    agency = reference.agency
    today = reference.today
    now = timezone.now()  # one instant per batch: its stamps are converted once
    need = sum(1 for r in creates if not r.matricule)
    allocated = iter(matricule_allocate(agency=agency, count=need) if need else [])
    officers: list[dict[str, Any]] = []
    timelines: list[list[dict[str, Any]]] = []
    snapshots: list[dict[str, Any]] = []
    for planned in creates:
        officer, events = _new_officer(job, planned, reference, source, by, allocated, now)
        timeline: Any = [
            EventRow(
                0,
                e["kind"],
                e["effective_date"],
                e.get("unit_id"),
                e.get("grade_id"),
                e.get("status", ""),
                e.get("function", ""),
                e.get("end_date"),
            )
            for e in events
        ]
        snapshot = snapshot_expected(timeline, today)
        assert snapshot is not None
        officers.append(officer)
        timelines.append(events)
        snapshots.append(snapshot)
    corps = _corps_of(s["grade_id"] for s in snapshots)
    for officer, snapshot in zip(officers, snapshots, strict=True):
        officer.update(snapshot)
        officer["corps_id"] = corps[officer["grade_id"]]
    ids = bulk_insert(Officer, officers, returning=True)
    words: list[dict[str, Any]] = []
    events_out: list[dict[str, Any]] = []
    for pk, officer, events, planned in zip(ids, officers, timelines, creates, strict=True):
        # The same words as name_words(family, given), from the folded name already made.
        words.extend(
            {"officer_id": pk, "word": w} for w in {w[:40] for w in officer["search_name"].split()}
        )
        for event in events:
            event["officer_id"] = pk
        events_out.extend(events)
        if planned.legacy:
            legacy_rows.append(
                {
                    "officer_id": pk,
                    "agency_id": agency.pk,
                    "source": source,
                    "value": planned.legacy,
                    "import_job_id": job.pk,
                    "created_at": now,
                }
            )
        drafts.append(
            AuditDraft(
                action="officer.create",
                object_type="personnel.officer",
                object_id=str(pk),
                object_repr=(
                    f"{officer['family_name'].upper()} {officer['given_names']} "
                    f"({officer['matricule']})"
                )[:255],
                subject_officer_id=pk,
                # What the record holds (blank fields left out: they are blank).
                after={
                    **{
                        k: v
                        for k in _IDENTITY_AFTER
                        if (v := officer.get(k)) is not None and v != ""
                    },
                    **({"legacy_id": planned.legacy} if planned.legacy else {}),
                },
            )
        )
    bulk_insert(NameWord, words)
    bulk_insert(CareerEvent, events_out)
    # The events just written, in their order (their ids follow it): the same spans as a
    # rebuild from the database would give.
    bulk_insert(
        SituationPeriod,
        [
            row
            for pk, events in zip(ids, timelines, strict=True)
            for row in period_rows(pk, [_span_event(n, e) for n, e in enumerate(events)])
        ],
    )
    numbers = [int(r.matricule[len(agency.matricule_prefix) : -1]) for r in creates if r.matricule]
    if numbers:
        # A number taken from the file must never be handed out again by the counter.
        Agency.objects.filter(pk=agency.pk, matricule_seq__lt=max(numbers)).update(
            matricule_seq=max(numbers)
        )


def _new_officer(
    job: ImportJob,
    planned: PlannedRow,
    reference: Reference,
    source: str,
    by: User | None,
    allocated: Any,
    now: datetime.datetime,
) -> tuple[dict[str, Any], list[dict[str, Any]]]:
    values = planned.values
    officer: dict[str, Any] = {k: v for k, v in values.items() if k in _IDENTITY_SET}
    for key in ("family_name", "given_names", "birth_place"):
        if key in officer:
            officer[key] = " ".join(str(officer[key]).split())
    officer.setdefault("nationality", "")
    if not officer.get("nina"):
        officer["nina"] = None
    officer.update(
        agency_id=reference.agency.pk,
        matricule=planned.matricule or next(allocated),
        search_name=fold(f"{officer.get('family_name', '')} {officer.get('given_names', '')}"),
        birth_date_approximate="birth_date" in planned.approximate,
        import_job_id=job.pk,
        function=values.get("function", ""),
        version=1,
        created_at=now,
        updated_at=now,
    )
    unit, grade = planned.unit, planned.grade
    assert unit is not None and grade is not None
    entry_date = values["entry_date"]
    events = [
        _event_row(
            job,
            source,
            by,
            now,
            kind=EventKind.ENTRY,
            effective_date=entry_date,
            unit_id=unit.pk,
            grade_id=grade.pk,
            status=Status.ACTIVE,
            function=officer["function"],
            act_kind=ActKind.NOTE,
            act_number=f"IMPORT-{job.pk}",
            act_date=entry_date,
            date_approximate="entry_date" in planned.approximate,
        )
    ]
    if planned.exit is not None:
        day, status, approximate = planned.exit
        events.append(
            _event_row(
                job,
                source,
                by,
                now,
                kind=EventKind.EXIT,
                effective_date=day,
                status=status,
                detail=_("Sortie reprise de l'historique (%(source)s)") % {"source": source},
                date_approximate=approximate,
            )
        )
    elif planned.status:
        events.append(
            _event_row(
                job,
                source,
                by,
                now,
                kind=EventKind.STATUS,
                effective_date=max(reference.today, entry_date),
                status=planned.status,
                detail=_("Position reprise de l'historique (%(source)s)") % {"source": source},
            )
        )
    return officer, events


def _write_updates(
    job: ImportJob,
    updates: list[PlannedRow],
    reference: Reference,
    source: str,
    by: User | None,
    drafts: list[AuditDraft],
    legacy_rows: list[dict[str, Any]],
) -> None:
    by_fields: dict[tuple[str, ...], list[PlannedRow]] = defaultdict(list)
    changes: list[ImportChange] = []
    renamed: list[int] = []
    for planned in updates:
        assert planned.officer_id is not None
        if planned.changes:
            by_fields[tuple(sorted(planned.changes))].append(planned)
            changes.append(
                ImportChange(
                    job_id=job.pk, officer_id=planned.officer_id, before=_json(planned.before)
                )
            )
            if {"family_name", "given_names"} & set(planned.changes):
                renamed.append(planned.officer_id)
        if planned.add_legacy:
            legacy_rows.append(
                {
                    "officer_id": planned.officer_id,
                    "agency_id": reference.agency.pk,
                    "source": source,
                    "value": planned.legacy,
                    "import_job_id": job.pk,
                    "created_at": timezone.now(),
                }
            )
    now = timezone.now()
    for names, group in by_fields.items():
        fields = [*names, "version", "updated_at"]
        sql_rows = [
            [*(r.changes[n] for n in names), r.version + 1, now, r.officer_id] for r in group
        ]
        # The version each row was checked against must still be there: else someone saved
        # the record meanwhile, and the batch is refused rather than overwriting them.
        quote = connection.ops.quote_name
        table = quote(Officer._meta.db_table)
        columns = ", ".join(f"{quote(_column(Officer, f))} = %s" for f in fields)
        with connection.cursor() as cursor:
            for row, planned in zip(sql_rows, group, strict=True):
                cursor.execute(
                    f"UPDATE {table} SET {columns} WHERE id = %s AND version = %s",  # noqa: S608
                    [*row, planned.version],
                )
                if cursor.rowcount != 1:
                    raise _Conflict
    if renamed:
        names_of = {
            o["id"]: (o["family_name"], o["given_names"])
            for o in Officer.objects.filter(id__in=renamed).values(
                "id", "family_name", "given_names"
            )
        }
        executemany_update(
            Officer,
            ["search_name"],
            [[fold(f"{a} {b}"), pk] for pk, (a, b) in names_of.items()],
        )
        NameWord.objects.filter(officer_id__in=renamed).delete()
        NameWord.objects.bulk_create(
            [
                NameWord(officer_id=pk, word=w)
                for pk, (a, b) in names_of.items()
                for w in name_words(a, b)
            ]
        )
    ImportChange.objects.bulk_create(changes, batch_size=1000)
    for planned in updates:
        if planned.changes:
            drafts.append(
                AuditDraft(
                    action="officer.update",
                    object_type="personnel.officer",
                    object_id=str(planned.officer_id),
                    object_repr=planned.values.get("matricule", "") or str(planned.officer_id),
                    subject_officer_id=planned.officer_id,
                    before=planned.before,
                    after={**planned.changes, "source": {"import": job.pk}},
                )
            )
    career = [r for r in updates if r.exit is not None or r.status]
    if career:
        _career_on_existing(job, career, reference, source, by, drafts)


def _json(values: dict[str, Any]) -> dict[str, Any]:
    return {k: (v.isoformat() if isinstance(v, datetime.date) else v) for k, v in values.items()}


def _career_on_existing(
    job: ImportJob,
    rows: list[PlannedRow],
    reference: Reference,
    source: str,
    by: User | None,
    drafts: list[AuditDraft],
) -> None:
    """Exits and positions the file gives for officers already on file."""
    new: dict[int, CareerEvent] = {}
    for planned in rows:
        assert planned.officer_id is not None
        if planned.exit is not None:
            day, status, approximate = planned.exit
            new[planned.officer_id] = _history_event(
                job,
                source,
                by,
                officer_id=planned.officer_id,
                kind=EventKind.EXIT,
                effective_date=day,
                status=status,
                detail=_("Sortie reprise de l'historique (%(source)s)") % {"source": source},
                date_approximate=approximate,
            )
        else:
            new[planned.officer_id] = _history_event(
                job,
                source,
                by,
                officer_id=planned.officer_id,
                kind=EventKind.STATUS,
                effective_date=reference.today,
                status=planned.status,
                detail=_("Position reprise de l'historique (%(source)s)") % {"source": source},
            )
    # Locked while their new events are checked against their live ones.
    list(Officer.objects.select_for_update().filter(id__in=list(new)).values_list("id"))
    events: dict[int, list[CareerEvent]] = defaultdict(list)
    for event in CareerEvent.objects.filter(officer_id__in=list(new), is_superseded=False):
        events[event.officer_id].append(event)
    for officer_id, event in list(new.items()):
        live = events[officer_id]
        later = [e for e in live if e.effective_date > event.effective_date]
        if event.kind == EventKind.EXIT and (later or any(e.kind == EventKind.EXIT for e in live)):
            raise ValidationError(
                _(
                    "Des événements sont enregistrés après la date de sortie du fichier "
                    "(%(date)s) : enregistrez la sortie depuis le dossier."
                )
                % {"date": f"{event.effective_date:%d/%m/%Y}"}
            )
    CareerEvent.objects.bulk_create(list(new.values()))
    snapshots_rebuild(officer_ids=list(new))
    for officer_id, event in new.items():
        drafts.append(
            AuditDraft(
                action=f"event.{event.kind}",
                obj=event,
                subject_officer_id=officer_id,
                after={
                    "kind": event.kind,
                    "effective_date": event.effective_date,
                    "status": event.status,
                    "historical": True,
                    "source": source,
                    "import": job.pk,
                },
            )
        )


def _span_event(n: int, values: dict[str, Any]) -> EventRow:
    return EventRow(
        n + 1,
        values["kind"],
        values["effective_date"],
        values.get("unit_id"),
        values.get("grade_id"),
        values.get("status", ""),
        values.get("function", ""),
    )


@dataclass
class Rebuild:
    """What rewriting some officers' snapshots and periods from their events will write."""

    updates: list[list[Any]] = field(default_factory=list)  # [*SNAPSHOT_FIELDS values, id]
    periods: PeriodChanges = field(default_factory=PeriodChanges)


def rebuild_changes(
    officer_ids: list[int], *, adding: Mapping[int, list[EventRow]] | None = None
) -> Rebuild:
    """Read these officers' events, snapshots and periods, and say what must change.

    `adding`: events not yet in the database that the replay counts with the stored ones
    (a batch read before it is written); their ids must order them after every stored event,
    as the ids the database will give them do."""
    today = timezone.localdate()
    out = Rebuild()
    for chunk in in_chunks(sorted(set(officer_ids)), UNDO_CHUNK):
        timelines = event_timelines(chunk)
        if adding:
            for officer_id in chunk:
                timelines[officer_id].extend(adding.get(officer_id, ()))
        current = {
            row[0]: row[1:]
            for row in Officer.objects.filter(id__in=chunk).values_list("id", *SNAPSHOT_FIELDS)
        }
        expected: dict[int, dict[str, Any]] = {}
        for officer_id in chunk:
            snapshot = snapshot_expected(timelines.get(officer_id, []), today)
            if snapshot is not None:
                expected[officer_id] = snapshot
        corps = _corps_of(s["grade_id"] for s in expected.values())
        for officer_id, snapshot in expected.items():
            snapshot["corps_id"] = corps[snapshot["grade_id"]]
            values = [snapshot[f] for f in SNAPSHOT_FIELDS]
            if tuple(values) != tuple(current.get(officer_id, ())):
                out.updates.append([*values, officer_id])
        out.periods.extend(periods_changes(chunk, timelines))
    return out


def rebuild_write(rebuild: Rebuild) -> int:
    """Write what `rebuild_changes` found (in the caller's transaction); returns how many
    snapshots changed."""
    executemany_update(Officer, list(SNAPSHOT_FIELDS), rebuild.updates)
    periods_write(rebuild.periods)
    return len(rebuild.updates)


def snapshots_rebuild(*, officer_ids: list[int]) -> int:
    """Rewrite the snapshot and the situation periods of these officers from all their events
    (same replay as check_snapshots); returns how many snapshots changed. Runs in the
    caller's transaction."""
    changed = 0
    for chunk in in_chunks(sorted(set(officer_ids)), UNDO_CHUNK):
        changed += rebuild_write(rebuild_changes(chunk))
    return changed


# --- Exits' effects -------------------------------------------------------------------


def exits_apply(*, job: ImportJob, by: User | None) -> None:
    """Run the exit handlers (cards revoked, login closed, missions ended) for the exits
    this import recorded on officers it did not create.

    Called once every row is committed (`ImportJob.written_at`), never batch by batch: an
    all-or-nothing import undone after a failing batch has then changed nothing outside
    its own rows — a card revoked or a login closed would have no way back. The handlers
    are idempotent, so a job interrupted here finishes by running this again.
    """
    exits = list(
        CareerEvent.objects.filter(import_job=job, kind=EventKind.EXIT, is_superseded=False)
        .exclude(officer__import_job=job)
        .order_by("officer_id", "id")
    )
    for chunk in in_chunks(exits, UNDO_CHUNK):
        with transaction.atomic():
            officers = Officer.objects.select_related("agency").in_bulk(
                [e.officer_id for e in chunk]
            )
            for event in chunk:
                context = hooks.ExitContext(
                    officer=officers[event.officer_id], event=event, by=by, corrected=False
                )
                for handler in hooks.exit_handlers:
                    handler(context)
            # Alive: a long pass must not look like a dead worker to the recovery.
            ImportJob.objects.filter(pk=job.pk).update(heartbeat_at=timezone.now())


# --- Undo -----------------------------------------------------------------------------


def import_undo(*, job: ImportJob, by: User | None, reason: str) -> dict[str, int]:
    """Remove what an import committed and put back what it changed (see the module doc).

    Each step runs in bounded transactions and is audited; running it again after an
    interruption finishes the work (every step only finds what is left).
    """
    counts = {"officers": 0, "events": 0, "restored": 0, "units": 0}
    actor = by
    # Events the import added to officers it did not create, then their snapshots.
    touched = sorted(
        set(
            CareerEvent.objects.filter(import_job=job)
            .exclude(officer__import_job=job)
            .values_list("officer_id", flat=True)
        )
    )
    for chunk in in_chunks(touched, UNDO_CHUNK):
        with transaction.atomic():
            removed, _detail = CareerEvent.objects.filter(
                import_job=job, officer_id__in=chunk
            ).delete()
            counts["events"] += removed
            snapshots_rebuild(officer_ids=chunk)
            audit_record_many(
                by=actor,
                drafts=[
                    AuditDraft(
                        action="event.import_undo",
                        object_type="personnel.officer",
                        object_id=str(pk),
                        subject_officer_id=pk,
                        after={"import": job.pk, "reason": reason},
                    )
                    for pk in chunk
                ],
            )
    LegacyIdentifier.objects.filter(import_job=job).exclude(officer__import_job=job).delete()
    # Records the import updated: their identity as it was.
    changes = list(ImportChange.objects.filter(job=job).order_by("id"))
    for some in in_chunks(changes, UNDO_CHUNK):
        with transaction.atomic():
            drafts = []
            for change in some:
                before = dict(change.before)
                officer = Officer.objects.select_for_update().get(pk=change.officer_id)
                for key, value in before.items():
                    if key == "birth_date" and isinstance(value, str):
                        value = datetime.date.fromisoformat(value)
                    setattr(officer, key, value)
                officer.search_name = fold(f"{officer.family_name} {officer.given_names}")
                officer.version = F("version") + 1
                officer.save(update_fields=[*before, "search_name", "version", "updated_at"])
                words = name_words(officer.family_name, officer.given_names)
                NameWord.objects.filter(officer=officer).delete()
                NameWord.objects.bulk_create([NameWord(officer=officer, word=w) for w in words])
                drafts.append(
                    AuditDraft(
                        action="officer.update",
                        obj=officer,
                        subject_officer_id=officer.pk,
                        after={**change.before, "source": {"import_undo": job.pk}},
                    )
                )
            ImportChange.objects.filter(id__in=[c.id for c in some]).delete()
            audit_record_many(by=actor, drafts=drafts)
            counts["restored"] += len(some)
    # Records the import created, with all that hangs on them.
    while True:
        ids = list(
            Officer.objects.filter(import_job=job)
            .order_by("id")
            .values_list("id", flat=True)[:UNDO_CHUNK]
        )
        if not ids:
            break
        with transaction.atomic():
            snapshot = dict(Officer.objects.filter(id__in=ids).values_list("id", "matricule"))
            try:
                Officer.objects.filter(id__in=ids).delete()
            except ProtectedError:
                # Someone attached something (a card, a document) to one of them meanwhile:
                # leave those records and say so, remove the others.
                kept = 0
                for pk in ids:
                    try:
                        with transaction.atomic():
                            Officer.objects.filter(id=pk).delete()
                    except ProtectedError:
                        Officer.objects.filter(id=pk).update(import_job=None)
                        snapshot.pop(pk, None)
                        kept += 1
                counts["kept"] = counts.get("kept", 0) + kept
            audit_record_many(
                by=actor,
                drafts=[
                    AuditDraft(
                        action="officer.delete",
                        object_type="personnel.officer",
                        object_id=str(pk),
                        object_repr=matricule,
                        subject_officer_id=pk,
                        before={"matricule": matricule},
                        after={"import_undo": job.pk, "reason": reason},
                    )
                    for pk, matricule in snapshot.items()
                ],
            )
            counts["officers"] += len(snapshot)
    units = job.options.get("created_units") or []
    for pk in units:
        try:
            with transaction.atomic():
                removed, _detail = Unit.objects.filter(pk=pk).delete()
                counts["units"] += removed
        except (ProtectedError, DatabaseError):
            continue
    if units:
        refcache.clear()
    with transaction.atomic():
        ImportJob.objects.filter(pk=job.pk).update(undone_at=timezone.now())
        job.undone_at = timezone.now()
        audit_record(
            by=actor,
            action="personnel.import_undo",
            obj=job,
            after={"file": job.filename, "reason": reason, **counts},
        )
    return counts
