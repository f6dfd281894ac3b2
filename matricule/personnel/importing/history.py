"""Career history from a legacy register: postings, grades, positions, exits, functions.

One file holds one kind of event (`ImportJob.kind`), one row per period or per year,
each row naming its officer by matricule, NINA or legacy identifier. The rows are
checked against the officers on file and their events, in bulk, with the same ideas as
`services.career`, adapted to a past taken over from another system:

- the events are marked « reprise de l'historique » with their source; their act is
  optional;
- a grade out of the corps' order is a warning, not a refusal;
- dates stay coherent: nothing before the officer's 16th birthday or entry into the
  service, nothing after their exit, nothing in the future. An approximate date (a year
  alone) falling in the entry year before the entry date is moved to the entry date;
- a grade history given per year collapses: consecutive years with the same grade are one
  period, starting on the promotion date when the file gives one, else on 1 January of
  its first year (marked approximate);
- **overlapping postings**: the later posting wins, the earlier one is ended the day
  before it starts (each such correction is reported); consecutive rows with the same
  unit are one posting;
- an event that changes nothing (the officer already has this unit, grade or function at
  that date, or the very same event is on file) is left out: re-importing the same
  history changes nothing.

The snapshots of the officers touched are then rebuilt from all their events by the same
replay as `check_snapshots`, batch by batch (see writing.py for the batches).
"""

from __future__ import annotations

import datetime
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from django.db import IntegrityError, connection, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from matricule.core.audit import AuditDraft, audit_record_many
from matricule.core.bulk import bulk_insert, in_chunks, others_commits
from matricule.core.models import Grade
from matricule.personnel.career import EventRow, grade_in_force
from matricule.personnel.importing.cells import CellError, Day, cell_text, clean_cell, read_day
from matricule.personnel.importing.columns import columns_match
from matricule.personnel.importing.dates import (
    DateOptions,
    OrderEvidence,
    date_columns_found,
    orders_settle,
    settled_order,
)
from matricule.personnel.importing.planning import (
    LOOKUP_CHUNK,
    PROGRESS_EVERY,
    Reference,
    _in_scope,
    _read_values,
    grade_on,
    matricules_lookup,
)
from matricule.personnel.importing.planning import Plan as _OfficerPlan
from matricule.personnel.importing.reading import Table
from matricule.personnel.importing.report import ERROR, INFO, Level, Problem, problems_grouped
from matricule.personnel.importing.values import ValueBook
from matricule.personnel.importing.writing import (
    BatchFailed,
    BatchSizer,
    Outcome,
    Rebuild,
    batch_rows,
    job_progress,
    rebuild_changes,
    rebuild_write,
)
from matricule.personnel.models import (
    EXIT_STATUSES,
    CareerEvent,
    EventKind,
    ImportJob,
    LegacyIdentifier,
    Officer,
    Status,
    fold,
    legacy_value,
)

if TYPE_CHECKING:
    from matricule.accounts.models import User

_DATES = ("start_date", "end_date", "promotion_date", "act_date")
_MAPPED = ("grade", "unit", "status", "exit_reason")
KIND_FIELD: dict[str, str] = {
    ImportJob.Kind.POSTING: "unit",
    ImportJob.Kind.GRADE: "grade",
    ImportJob.Kind.STATUS: "status",
    ImportJob.Kind.EXIT: "exit_reason",
    ImportJob.Kind.FUNCTION: "function",
}
SIXTEEN_YEARS = datetime.timedelta(days=16 * 365)
# Statuses a position row may carry (the exit and the secondment have their own files).
STATUS_ROW_CHOICES = (
    Status.ACTIVE,
    Status.LEAVE,
    Status.SUSPENDED,
    Status.SECONDED,
    Status.DEPLOYED,
    Status.TRAINING,
)


def history_kind(columns: set[str]) -> str | None:
    """The kind of events a file holds, from its columns, when the clerk does not say."""
    if "unit" in columns:
        return ImportJob.Kind.POSTING
    if "grade" in columns:
        return ImportJob.Kind.GRADE
    if "exit_reason" in columns:
        return ImportJob.Kind.EXIT
    if "status" in columns:
        return ImportJob.Kind.STATUS
    if "function" in columns:
        return ImportJob.Kind.FUNCTION
    return None


@dataclass(slots=True)
class HistoryRow:
    row: int
    values: dict[str, Any]
    raw: dict[str, str]
    officer_id: int | None = None
    errors: int = 0
    events: int = 0  # events this row gives rise to (0 and no error: unchanged)


@dataclass(slots=True)
class Linked:
    id: int
    birth_date: datetime.date
    entry_date: datetime.date
    exit_date: datetime.date | None
    in_scope: bool
    events: list[tuple[str, datetime.date, int | None, int | None, str, str]] = field(
        default_factory=list
    )  # live events: kind, date, unit, grade, status, function


@dataclass(slots=True)
class NewEvent:
    officer_id: int
    kind: str
    effective_date: datetime.date
    rows: list[int]
    unit_id: int | None = None
    grade_id: int | None = None
    status: str = ""
    function: str = ""
    end_date: datetime.date | None = None
    approximate: bool = False
    act_number: str = ""
    act_date: datetime.date | None = None
    detail: str = ""


@dataclass
class HistoryPlan:
    kind: str
    columns: dict[int, str]
    headers: list[str]
    rows: list[HistoryRow]
    problems: list[Problem]
    fatal: bool = False
    book: ValueBook = field(default_factory=ValueBook)
    events: list[NewEvent] = field(default_factory=list)
    read_rows: int = 0
    date_order: str = ""
    date_columns: list[dict[str, Any]] = field(default_factory=list)  # for the mapping step

    @property
    def error_rows(self) -> int:
        return sum(1 for r in self.rows if r.errors) + (1 if self.fatal else 0)

    @property
    def unchanged_rows(self) -> int:
        return sum(1 for r in self.rows if not r.errors and not r.events)

    @property
    def officers_touched(self) -> int:
        return len({e.officer_id for e in self.events})

    def header_of(self, key: str) -> str:
        from matricule.personnel.importing.columns import EVENT_COLUMNS

        for index, name in self.columns.items():
            if name == key:
                return self.headers[index]
        return str(EVENT_COLUMNS[key].label) if key in EVENT_COLUMNS else ""


def history_plan(
    *,
    table: Table,
    kind: str,
    mapping: dict[str, str],
    reference: Reference,
    progress: Callable[[int], None] | None = None,
) -> HistoryPlan:
    """Check every row of a history file and decide which events it gives, without writing."""
    columns, problems, fatal = columns_match(
        table.headers, mapping, header_row=table.header_row, history=True
    )
    plan = HistoryPlan(
        kind=kind,
        columns=columns,
        headers=table.headers,
        rows=[],
        problems=[*problems, *reference.problems],
        fatal=fatal or bool(reference.problems),
    )
    header = {key: table.headers[index] for index, key in columns.items()}
    needed = KIND_FIELD.get(kind)
    if kind == ImportJob.Kind.EXIT and "exit_reason" not in header and "status" in header:
        needed = "status"
    if needed and needed not in header:
        plan.fatal = True
        plan.problems.append(
            Problem(
                table.header_row,
                plan.header_of(needed),
                "",
                _(
                    "Colonne obligatoire absente pour cet historique : ajoutez-la, ou une "
                    "correspondance « En-tête=%(field)s »."
                )
                % {"field": needed},
            )
        )
    evidence = OrderEvidence(fields=set(_DATES))
    items = list(columns.items())
    collected: list[tuple[int, dict[str, Any]]] = []
    for number, cells in table.rows:
        plan.read_rows += 1
        found: dict[str, Any] = {}
        width = len(cells)
        for index, key in items:
            if index >= width:
                continue
            value = cells[index]
            if value is None or (isinstance(value, str) and not value.strip()):
                continue
            found[key] = value
            evidence.see(key, value)
        if found:
            collected.append((number, found))
        if progress is not None and plan.read_rows % PROGRESS_EVERY == 0:
            progress(plan.read_rows)
    orders, order_problems, undecided = orders_settle(
        evidence,
        DateOptions(
            file_order=reference.options.date_order,
            source_order=reference.source_date_order,
            column_orders={
                k: reference.options.column_orders[h]
                for k, h in header.items()
                if h in reference.options.column_orders
            },
        ),
        header=header,
        header_row=table.header_row,
    )
    plan.problems.extend(order_problems)
    plan.fatal = plan.fatal or bool(undecided)
    plan.date_order = settled_order(evidence, orders)
    plan.date_columns = date_columns_found(evidence, orders, header, undecided)
    if plan.fatal:
        plan.problems = problems_grouped(plan.problems)
        return plan

    def fail(row: HistoryRow, key: str, message: str, level: Level = ERROR) -> None:
        plan.problems.append(
            Problem(
                row.row,
                header.get(key) or plan.header_of(key),
                row.raw.get(key, ""),
                message,
                level,
            )
        )
        if level == ERROR:
            row.errors += 1

    book = plan.book
    for number, found in collected:
        row = HistoryRow(row=number, values={}, raw={})
        for key, value in found.items():
            text = cell_text(value)
            row.raw[key] = text
            try:
                if key in _MAPPED:
                    row.values[key] = book.add(key, text, number)
                elif key in _DATES:
                    row.values[key] = read_day(value, order=orders.get(key, "dmy"))
                elif key == "year":
                    row.values[key] = _year(value, reference.today)
                elif key in ("matricule", "nina"):
                    row.values[key] = clean_cell(key, value)
                elif key == "legacy_id":
                    row.values[key] = legacy_value(text)
                elif key in ("family_name", "given_names"):
                    continue
                else:
                    row.values[key] = text[:255]
            except CellError as error:
                fail(row, key, str(error))
        plan.rows.append(row)
    collected.clear()
    # Value readings (grade, unit, position, exit reason), reported once per value. Units
    # are created by the officers' import only: a history names units that exist.
    reference.new_units_parent = None
    shim = _OfficerPlan(columns=columns, headers=table.headers, rows=[], problems=[], book=book)
    shim.header_of = plan.header_of  # type: ignore[method-assign]
    shim.rows = plan.rows  # type: ignore[assignment]
    _read_values(shim, reference)
    plan.problems.extend(shim.problems)
    _link(plan, reference, fail)
    _build_events(plan, reference, fail)
    plan.problems = problems_grouped(plan.problems)
    return plan


def _year(value: Any, today: datetime.date) -> int:
    text = cell_text(value)
    try:
        year = int(float(text.replace(",", ".")))
    except ValueError:
        raise CellError(_("Année illisible : écrivez-la en chiffres (ex. 1998).")) from None
    if not 1900 <= year <= today.year:
        raise CellError(_("Année invraisemblable."))
    return year


HistoryFail = Callable[..., None]


def _link(plan: HistoryPlan, reference: Reference, fail: HistoryFail) -> None:
    """Find each row's officer (matricule, NINA, legacy identifier) and load their events."""
    agency = reference.agency
    matricules = {r.values["matricule"] for r in plan.rows if "matricule" in r.values}
    ninas = {r.values["nina"] for r in plan.rows if "nina" in r.values}
    legacy = {r.values["legacy_id"] for r in plan.rows if r.values.get("legacy_id")}
    by_matricule: dict[str, int] = {}
    by_nina: dict[str, int] = {}
    by_legacy: dict[str, int] = {}
    for chunk in in_chunks(sorted(matricules), LOOKUP_CHUNK):
        by_matricule.update(
            (matricule, pk)
            for matricule, pk, agency_id in matricules_lookup(chunk)
            if agency_id == agency.pk
        )
    # An ill-formed legacy number in the matricule column names the officer by legacy id.
    source = reference.options.source_name
    unmatched = sorted(matricules - set(by_matricule))
    for chunk in in_chunks(sorted(legacy | {legacy_value(m) for m in unmatched}), LOOKUP_CHUNK):
        by_legacy.update(
            LegacyIdentifier.objects.filter(
                agency=agency, source=source, value__in=chunk
            ).values_list("value", "officer_id")
        )
    for chunk in in_chunks(sorted(ninas), LOOKUP_CHUNK):
        by_nina.update(
            (n or "", pk)
            for n, pk in Officer.objects.filter(agency=agency, nina__in=chunk).values_list(
                "nina", "id"
            )
        )
    for row in plan.rows:
        values = row.values
        found = (
            by_matricule.get(values.get("matricule", ""))
            or by_nina.get(values.get("nina", ""))
            or by_legacy.get(values.get("legacy_id", ""))
            or by_legacy.get(legacy_value(values.get("matricule", "")))
        )
        if found is None:
            key = next((k for k in ("matricule", "nina", "legacy_id") if k in values), "matricule")
            fail(
                row,
                key,
                _(
                    "Aucun agent de l'agence n'a ce matricule, ce NINA ou cet ancien identifiant "
                    "(source « %(source)s ») : importez d'abord le fichier des agents."
                )
                % {"source": source},
            )
            continue
        row.officer_id = found
    ids = sorted({r.officer_id for r in plan.rows if r.officer_id is not None})
    linked: dict[int, Linked] = {}
    for chunk in in_chunks(ids, LOOKUP_CHUNK):
        for pk, birth, entry, exit_date, path, host in Officer.objects.filter(
            id__in=chunk
        ).values_list(
            "id", "birth_date", "entry_date", "exit_date", "unit__path", "host_unit__path"
        ):
            linked[pk] = Linked(
                pk, birth, entry, exit_date, _in_scope(reference.scope_paths, path, host)
            )
        for event in (
            CareerEvent.objects.filter(officer_id__in=chunk, is_superseded=False)
            .values_list(
                "officer_id", "kind", "effective_date", "unit_id", "grade_id", "status", "function"
            )
            .order_by("effective_date", "id")
        ):
            linked[event[0]].events.append(event[1:])
    plan._linked = linked  # type: ignore[attr-defined]
    for row in plan.rows:
        if row.officer_id is not None and not linked[row.officer_id].in_scope:
            fail(
                row,
                "matricule",
                _(
                    "Cet agent relève d'une unité hors de votre périmètre : sa carrière n'est "
                    "pas modifiée."
                ),
            )


def _day_for(
    row: HistoryRow, officer: Linked, key: str, reference: Reference, fail: HistoryFail
) -> tuple[datetime.date, bool] | None:
    day: Day | None = row.values.get(key)
    if day is None:
        return None
    date = day.date
    if day.two_digit:
        other = (
            date.replace(year=date.year - 100)
            if date.year >= 2000
            else date.replace(year=date.year + 100)
        )
        fits = [d for d in (date, other) if officer.entry_date <= d <= reference.today]
        if fits:
            date = max(fits)
    return date, day.approximate


def _check_day(
    row: HistoryRow,
    officer: Linked,
    key: str,
    date: datetime.date,
    approximate: bool,
    reference: Reference,
    fail: HistoryFail,
    *,
    exit_event: bool = False,
) -> datetime.date | None:
    """The date, moved to the entry date when approximate in that year; None if refused."""
    if date > reference.today:
        fail(row, key, _("La date d'effet ne peut pas être dans le futur."))
        return None
    if date < officer.birth_date + SIXTEEN_YEARS:
        fail(row, key, _("La date d'effet précède les 16 ans de l'agent."))
        return None
    if date < officer.entry_date:
        if approximate and date.year == officer.entry_date.year:
            return officer.entry_date
        fail(
            row,
            key,
            _("La date d'effet précède l'entrée en service de l'agent (%(date)s).")
            % {"date": f"{officer.entry_date:%d/%m/%Y}"},
        )
        return None
    if officer.exit_date is not None and date > officer.exit_date and not exit_event:
        fail(
            row,
            key,
            _("L'agent a quitté le service le %(date)s : aucun événement ne peut être daté après.")
            % {"date": f"{officer.exit_date:%d/%m/%Y}"},
        )
        return None
    return date


def _reading(plan: HistoryPlan, name: str, row: HistoryRow) -> str | None:
    key = row.values.get(name)
    if key is None:
        return None
    reading = plan.book.readings.get(name, {}).get(key)
    if reading is None or reading.code is None:
        row.errors += 1  # reported once for the value
        return None
    return reading.code


def _build_events(plan: HistoryPlan, reference: Reference, fail: HistoryFail) -> None:
    linked: dict[int, Linked] = getattr(plan, "_linked", {})
    groups: dict[int, list[HistoryRow]] = defaultdict(list)
    for row in plan.rows:
        if row.officer_id is not None and not row.errors:
            groups[row.officer_id].append(row)
    grades = {g.pk: g for index in reference.grades.values() for g in index.values()}
    builders: dict[str, Any] = {
        ImportJob.Kind.POSTING: _postings,
        ImportJob.Kind.GRADE: _grades,
        ImportJob.Kind.STATUS: _statuses,
        ImportJob.Kind.EXIT: _exits,
        ImportJob.Kind.FUNCTION: _functions,
    }
    builder = builders[plan.kind]
    for officer_id, rows in groups.items():
        officer = linked[officer_id]
        events = builder(plan, officer, rows, reference, fail, grades)
        by_row = {r.row: r for r in rows}
        for event in events:
            if any(by_row[n].errors for n in event.rows):
                continue
            plan.events.append(event)
            for n in event.rows:
                by_row[n].events += 1


def _dated(
    plan: HistoryPlan,
    officer: Linked,
    rows: list[HistoryRow],
    reference: Reference,
    fail: HistoryFail,
    *,
    exit_event: bool = False,
) -> list[tuple[HistoryRow, datetime.date, bool]]:
    """Rows with their effective date (start date, promotion date, or the year's 1 January)."""
    out = []
    for row in rows:
        found = _day_for(row, officer, "promotion_date", reference, fail) or _day_for(
            row, officer, "start_date", reference, fail
        )
        key = "promotion_date" if "promotion_date" in row.values else "start_date"
        if found is None and "year" in row.values:
            found = (datetime.date(row.values["year"], 1, 1), True)
            key = "year"
        if found is None:
            fail(row, "start_date", _("Date de début (ou année) obligatoire."))
            continue
        checked = _check_day(
            row, officer, key, found[0], found[1], reference, fail, exit_event=exit_event
        )
        if checked is not None:
            out.append((row, checked, found[1]))
    out.sort(key=lambda item: (item[1], item[0].row))
    return out


def _act(row: HistoryRow) -> dict[str, Any]:
    act_date = row.values.get("act_date")
    return {
        "act_number": row.values.get("act_number", "")[:60],
        "act_date": act_date.date if isinstance(act_date, Day) else None,
        "detail": row.values.get("detail", ""),
    }


def _in_force(officer: Linked, index: int, day: datetime.date, accepted: list[NewEvent]) -> Any:
    """The value of timeline field `index` (2 unit, 3 grade, 5 function) on `day`, from the
    officer's events on file and the events accepted so far, the later date winning."""
    value = None
    best: datetime.date | None = None
    kinds = {
        2: (EventKind.ENTRY, EventKind.POSTING),
        3: (EventKind.ENTRY, EventKind.GRADE),
        5: (EventKind.ENTRY, EventKind.POSTING, EventKind.FUNCTION),
    }[index]
    for event in officer.events:
        if event[0] in kinds and event[1] <= day and (best is None or event[1] >= best):
            candidate = event[index]
            if index == 5 and event[0] == EventKind.POSTING and not candidate:
                continue
            if candidate is not None:
                value, best = candidate, event[1]
    attr = {2: "unit_id", 3: "grade_id", 5: "function"}[index]
    for new in accepted:
        if new.effective_date <= day and (best is None or new.effective_date >= best):
            candidate = getattr(new, attr)
            if candidate:
                value, best = candidate, new.effective_date
    return value


def _postings(
    plan: HistoryPlan,
    officer: Linked,
    rows: list[HistoryRow],
    reference: Reference,
    fail: HistoryFail,
    grades: dict[int, Grade],
) -> list[NewEvent]:
    periods: list[NewEvent] = []
    for row, start, approximate in _dated(plan, officer, rows, reference, fail):
        code = _reading(plan, "unit", row)
        if code is None:
            continue
        unit = reference.units.get(fold(code))
        if unit is None:
            fail(row, "unit", _("Plusieurs unités portent ce nom : indiquez le code de l'unité."))
            continue
        end = _day_for(row, officer, "end_date", reference, fail)
        end_date = end[0] if end else None
        if end_date is not None and end_date < start:
            fail(row, "end_date", _("La date de fin précède la date de début."))
            continue
        if end_date is not None and end_date > reference.today:
            end_date = None  # still posted there
        current = periods[-1] if periods else None
        if (
            current is not None
            and current.unit_id == unit.pk
            and (current.end_date is None or current.end_date >= start - datetime.timedelta(days=1))
        ):
            # The same unit again, without a gap: one posting.
            current.rows.append(row.row)
            current.end_date = (
                None
                if end_date is None or current.end_date is None
                else max(current.end_date, end_date)
            )
            continue
        if current is not None and (current.end_date is None or current.end_date >= start):
            if current.end_date is not None:
                fail(
                    row,
                    "start_date",
                    _(
                        "Affectation qui chevauche la précédente (ligne %(row)d, jusqu'au "
                        "%(end)s) : la précédente est close la veille de celle-ci."
                    )
                    % {"row": current.rows[0], "end": f"{current.end_date:%d/%m/%Y}"},
                    INFO,
                )
            current.end_date = start - datetime.timedelta(days=1)
            if current.end_date < current.effective_date:
                current.end_date = current.effective_date
        periods.append(
            NewEvent(
                officer.id,
                EventKind.POSTING,
                start,
                [row.row],
                unit_id=unit.pk,
                end_date=end_date,
                approximate=approximate,
                **_act(row),
            )
        )
    return _without_redundant(officer, periods, 2, "unit_id", EventKind.POSTING)


def _without_redundant(
    officer: Linked, events: list[NewEvent], index: int, attr: str, kind: str
) -> list[NewEvent]:
    accepted: list[NewEvent] = []
    on_file = {(e[0], e[1], e[index]) for e in officer.events}
    for event in events:
        value = getattr(event, attr)
        if (kind, event.effective_date, value) in on_file:
            continue
        if _in_force(officer, index, event.effective_date, accepted) == value:
            continue
        accepted.append(event)
    return accepted


def _grades(
    plan: HistoryPlan,
    officer: Linked,
    rows: list[HistoryRow],
    reference: Reference,
    fail: HistoryFail,
    grades: dict[int, Grade],
) -> list[NewEvent]:
    periods: list[NewEvent] = []
    for row, start, approximate in _dated(plan, officer, rows, reference, fail):
        code = _reading(plan, "grade", row)
        if code is None:
            continue
        grade = grade_on(reference, fold(code), start)
        if grade is None:
            fail(
                row,
                "grade",
                _("Ce grade n'existe pas dans le statut en vigueur le %(date)s.")
                % {"date": f"{start:%d/%m/%Y}"},
            )
            continue
        current = periods[-1] if periods else None
        if current is not None and grade_in_force(current.grade_id or 0, start) == grade_in_force(
            grade.pk, start
        ):
            current.rows.append(row.row)  # the same grade another year: one period
            if "promotion_date" in row.values and current.approximate:
                current.effective_date, current.approximate = start, approximate
            continue
        periods.append(
            NewEvent(
                officer.id,
                EventKind.GRADE,
                start,
                [row.row],
                grade_id=grade.pk,
                approximate=approximate,
                **_act(row),
            )
        )
    accepted = _without_redundant(officer, periods, 3, "grade_id", EventKind.GRADE)
    # The corps' order is checked as a warning: a past taken over is what it was.
    for event in accepted:
        before = _in_force(
            officer,
            3,
            event.effective_date - datetime.timedelta(days=1),
            [e for e in accepted if e.effective_date < event.effective_date],
        )
        if before is None or event.grade_id is None:
            continue
        previous = grades.get(grade_in_force(before, event.effective_date))
        new = grades.get(event.grade_id)
        if previous is None or new is None:
            continue
        if previous.corps_id != new.corps_id or new.order != previous.order + 1:
            row = next(r for r in rows if r.row == event.rows[0])
            fail(
                row,
                "grade",
                _(
                    "Avancement hors de l'ordre du corps (de « %(old)s » à « %(new)s ») : "
                    "accepté pour la reprise de l'historique, vérifiez-le."
                )
                % {"old": previous.name, "new": new.name},
                INFO,
            )
    return accepted


def _statuses(
    plan: HistoryPlan,
    officer: Linked,
    rows: list[HistoryRow],
    reference: Reference,
    fail: HistoryFail,
    grades: dict[int, Grade],
) -> list[NewEvent]:
    events: list[NewEvent] = []
    on_file = {(e[0], e[1], e[4]) for e in officer.events}
    dated = _dated(plan, officer, rows, reference, fail)
    for position, (row, start, approximate) in enumerate(dated):
        status = _reading(plan, "status", row)
        if status is None:
            continue
        if status in EXIT_STATUSES:
            fail(
                row,
                "status",
                _("Une sortie du service s'importe dans un historique des sorties (--kind exit)."),
            )
            continue
        if status not in STATUS_ROW_CHOICES:
            fail(row, "status", _("Position non reconnue."))
            continue
        if (EventKind.STATUS, start, status) not in on_file:
            events.append(
                NewEvent(
                    officer.id,
                    EventKind.STATUS,
                    start,
                    [row.row],
                    status=status,
                    approximate=approximate,
                    **_act(row),
                )
            )
        end = _day_for(row, officer, "end_date", reference, fail)
        if end is not None and status != Status.ACTIVE:
            back = end[0] + datetime.timedelta(days=1)
            following = dated[position + 1][1] if position + 1 < len(dated) else None
            if (
                back <= reference.today
                and (following is None or following > back)
                and (EventKind.STATUS, back, Status.ACTIVE) not in on_file
                and (officer.exit_date is None or back <= officer.exit_date)
            ):
                events.append(
                    NewEvent(officer.id, EventKind.STATUS, back, [row.row], status=Status.ACTIVE)
                )
    return events


def _exits(
    plan: HistoryPlan,
    officer: Linked,
    rows: list[HistoryRow],
    reference: Reference,
    fail: HistoryFail,
    grades: dict[int, Grade],
) -> list[NewEvent]:
    dated = _dated(plan, officer, rows, reference, fail, exit_event=True)
    if not dated:
        return []
    if len(dated) > 1:
        for row, _start, _approximate in dated[1:]:
            fail(row, "start_date", _("Plusieurs sorties du service pour le même agent."))
        return []
    row, start, approximate = dated[0]
    name = "exit_reason" if "exit_reason" in row.values else "status"
    status = _reading(plan, name, row)
    if status is None:
        return []
    if status not in EXIT_STATUSES:
        fail(row, name, _("Motif de sortie : retraite, démission, révocation ou décès."))
        return []
    exits = [e for e in officer.events if e[0] == EventKind.EXIT]
    if exits:
        if (exits[0][1], exits[0][4]) != (start, status):
            fail(
                row,
                name,
                _(
                    "La sortie du service est déjà enregistrée (le %(date)s) : corrigez-la "
                    "depuis le dossier."
                )
                % {"date": f"{exits[0][1]:%d/%m/%Y}"},
            )
        return []
    if any(e[1] > start for e in officer.events):
        fail(row, "start_date", _("Des événements sont enregistrés après cette date de sortie."))
        return []
    return [
        NewEvent(
            officer.id,
            EventKind.EXIT,
            start,
            [row.row],
            status=status,
            approximate=approximate,
            **_act(row),
        )
    ]


def _functions(
    plan: HistoryPlan,
    officer: Linked,
    rows: list[HistoryRow],
    reference: Reference,
    fail: HistoryFail,
    grades: dict[int, Grade],
) -> list[NewEvent]:
    events = []
    for row, start, approximate in _dated(plan, officer, rows, reference, fail):
        function = row.values.get("function", "")[:150]
        if not function:
            fail(row, "function", _("Indiquez la fonction."))
            continue
        events.append(
            NewEvent(
                officer.id,
                EventKind.FUNCTION,
                start,
                [row.row],
                function=function,
                approximate=approximate,
                **_act(row),
            )
        )
    return _without_redundant(officer, events, 5, "function", EventKind.FUNCTION)


# --- Writing --------------------------------------------------------------------------


def history_write(
    *,
    job: ImportJob,
    plan: HistoryPlan,
    reference: Reference,
    by: User | None,
    atomic: bool,
    size: int | None = None,
    after_batch: Callable[[], None] | None = None,
) -> Outcome:
    """Write the planned events officer by officer, in batches of about `size` events,
    rebuilding each officer's snapshot from all their events in the same transaction.

    On SQLite the next batch is read and replayed during the pause between two batches,
    outside the write lock, and used in its transaction only if no other connection has
    committed since (`others_commits`); otherwise it is read again inside. The lock is
    then held for the writes alone."""
    outcome = Outcome()
    # Events are lighter than officers: up to five per officer row of a batch, the time
    # target (about half a second per transaction) deciding below that.
    sizer = BatchSizer((size or batch_rows()) * 5)
    source = reference.options.source_name
    by_officer: dict[int, list[NewEvent]] = defaultdict(list)
    for event in plan.events:
        by_officer[event.officer_id].append(event)
    rows_of: dict[int, set[int]] = defaultdict(set)
    for event in plan.events:
        rows_of[event.officer_id].update(event.rows)
    ahead = connection.vendor == "sqlite"
    officers = list(by_officer)
    position = 0

    def take() -> list[int]:
        nonlocal position
        batch: list[int] = []
        count = 0
        while position < len(officers) and count < sizer.size:
            batch.append(officers[position])
            count += len(by_officer[officers[position]])
            position += 1
        return batch

    def read(batch: list[int]) -> _Batch:
        return _batch_read(job, batch, by_officer, source, by)

    batch = take()
    ready = read(batch) if ahead and batch else None
    while batch:
        events = sum(len(by_officer[o]) for o in batch)
        try:
            last = position >= len(officers)
            with sizer.timed(events, last=last, pause=not ahead), transaction.atomic():
                # Read ahead, and nobody else has committed since: still true.
                if ready is None or ready.seen != others_commits():
                    ready = read(batch)
                _batch_write(job, ready, by)
                rows = sum(len(rows_of[o]) for o in batch)
                job_progress(job, committed=rows, created=events, updated=len(batch))
        except IntegrityError as error:
            problem = Problem(
                min(min(rows_of[o]) for o in batch),
                "",
                "",
                _("Lot refusé par la base de données : %(error)s") % {"error": str(error)[:200]},
                rows=sorted(r for o in batch for r in rows_of[o]),
            )
            if atomic:
                raise BatchFailed([problem]) from error
            outcome.failed += len(problem.rows)
            outcome.problems.append(problem)
        else:
            outcome.created += events
            outcome.updated += len(batch)
        if after_batch is not None:
            after_batch()
        batch = take()
        ready = None
        if ahead and batch:
            ready = read(batch)
            sizer.rest()
    return outcome


# Ids that order a batch's events after every stored one in its replay, as the ids the
# database gives them on insert do.
_AFTER_STORED = 1 << 62


@dataclass
class _Batch:
    """A batch of officers' events read and replayed, ready to write."""

    events: list[dict[str, Any]]
    audit: list[AuditDraft]
    rebuild: Rebuild
    seen: tuple[int, int] | None  # `others_commits()` before the reads


def _batch_read(
    job: ImportJob,
    officer_ids: list[int],
    by_officer: dict[int, list[NewEvent]],
    source: str,
    by: User | None,
) -> _Batch:
    seen = None if connection.in_atomic_block else others_commits()
    rows: list[dict[str, Any]] = []
    adding: dict[int, list[EventRow]] = {}
    now = timezone.now()
    creator = by.pk if by is not None else None
    for officer_id in officer_ids:
        replayed = adding[officer_id] = []
        for new in by_officer[officer_id]:
            rows.append(
                {
                    "officer_id": officer_id,
                    "kind": new.kind,
                    "effective_date": new.effective_date,
                    "end_date": new.end_date,
                    "unit_id": new.unit_id,
                    "grade_id": new.grade_id,
                    "status": new.status,
                    "function": new.function,
                    "act_number": new.act_number,
                    "act_date": new.act_date,
                    "detail": new.detail[:255],
                    "historical": True,
                    "source": source,
                    "date_approximate": new.approximate,
                    "import_job_id": job.pk,
                    "created_by_id": creator,
                    "created_at": now,
                }
            )
            replayed.append(
                EventRow(
                    _AFTER_STORED + len(rows),
                    new.kind,
                    new.effective_date,
                    new.unit_id,
                    new.grade_id,
                    new.status,
                    new.function,
                    new.end_date,
                )
            )
    audit = [
        AuditDraft(
            action="event.history_import",
            object_type="personnel.officer",
            object_id=str(officer_id),
            subject_officer_id=officer_id,
            after={
                "import": job.pk,
                "kind": job.kind,
                "source": source,
                "events": [
                    [e.effective_date, e.unit_id or e.grade_id or e.status or e.function]
                    for e in by_officer[officer_id]
                ],
            },
        )
        for officer_id in officer_ids
    ]
    rebuild = rebuild_changes(officer_ids, adding=adding)
    return _Batch(rows, audit, rebuild, seen)


def _batch_write(job: ImportJob, batch: _Batch, by: User | None) -> None:
    # The exits' effects (card, login, missions) run once the whole import is written
    # (writing.exits_apply).
    bulk_insert(CareerEvent, batch.events)
    rebuild_write(batch.rebuild)
    audit_record_many(by=by, drafts=batch.audit)
