"""Checking the rows of an officers file and deciding what each would do, without writing.

The reference data (grades, units, value maps, the importer's scope) and the officers the
file names are loaded up front in a handful of queries, so a file of tens of thousands of
rows is checked without one query per row.

Reading order of a row: the cells of the mapped columns are collected while the file
streams by (only those: ignored columns cost nothing); the date order of each date column
is then settled from the values (`dates.py`); each row is cleaned, its legacy values
mapped (`values.py`), and matched to an officer on file by matricule, NINA or legacy
identifier.
"""

from __future__ import annotations

import datetime
from collections import defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, Final, Literal, Protocol

from django.db.models import Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from matricule.core.bulk import in_chunks
from matricule.core.dates import add_years
from matricule.core.matricule import matricule_format, matricule_is_valid
from matricule.core.models import Agency, Corps, Grade, StatuteVersion, Unit, UnitType
from matricule.personnel.importing.cells import CellError, Day, cell_text, clean_cell
from matricule.personnel.importing.columns import REQUIRED_TO_CREATE, columns_match
from matricule.personnel.importing.dates import (
    DateOptions,
    OrderEvidence,
    date_columns_found,
    orders_settle,
    resolve_two_digit_years,
    settled_order,
)
from matricule.personnel.importing.reading import Table, read_table
from matricule.personnel.importing.report import ERROR, INFO, Level, Problem, problems_grouped
from matricule.personnel.importing.selectors import import_scope, value_maps_saved
from matricule.personnel.importing.values import (
    BY_CODE,
    BY_MAP,
    BY_NAME,
    MAPPED_FIELDS,
    TO_CREATE,
    UNMAPPED,
    Reading,
    ValueBook,
    ValueMap,
    merged,
    simple_reading,
    suggest,
    unmapped_message,
)
from matricule.personnel.models import (
    EXIT_STATUSES,
    ImportJob,
    LegacyIdentifier,
    Officer,
    Status,
    fold,
    legacy_value,
)
from matricule.personnel.services import IDENTITY_FIELDS

if TYPE_CHECKING:
    from matricule.accounts.models import User

PROGRESS_EVERY = 500
# Lookups by a list of values are cut in chunks: SQLite and PostgreSQL both accept these.
LOOKUP_CHUNK = 500
DEFAULT_SOURCE = "ancien registre"

# What a row does. A row is skipped (not written) when the report holds at least one
# ERROR for it; it counts once among the job's rows in error, however many errors it has.
# Actions and levels are distinct words so that neither can be counted as the other.
Action = Literal["create", "update", "unchanged", "skip"]
CREATE: Final = "create"
UPDATE: Final = "update"
UNCHANGED: Final = "unchanged"
SKIP: Final = "skip"

_IDENTITY = frozenset(IDENTITY_FIELDS)
_MAPPED = frozenset(MAPPED_FIELDS)
_DATES = ("birth_date", "entry_date", "exit_date")


@dataclass
class Options:
    """How to read one file: date orders, value maps, units to create, the source."""

    source: str = ""
    date_order: str = ""  # dmy, mdy, ymd or "" (settled from the values)
    column_orders: dict[str, str] = field(default_factory=dict)  # header → order
    value_map: ValueMap = field(default_factory=dict)
    create_units_under: str = ""  # code of the parent of the units to create
    unit_type: str = ""  # code of their type

    @classmethod
    def from_json(cls, data: dict[str, Any], *, source: str = "") -> Options:
        return cls(
            source=source or data.get("source", ""),
            date_order=data.get("date_order", ""),
            column_orders=dict(data.get("column_orders", {})),
            value_map={k: dict(v) for k, v in data.get("value_map", {}).items()},
            create_units_under=data.get("create_units_under", ""),
            unit_type=data.get("unit_type", ""),
        )

    def as_json(self) -> dict[str, Any]:
        return {
            "date_order": self.date_order,
            "column_orders": self.column_orders,
            "value_map": self.value_map,
            "create_units_under": self.create_units_under,
            "unit_type": self.unit_type,
        }

    @property
    def source_name(self) -> str:
        return self.source.strip() or DEFAULT_SOURCE


@dataclass
class Reference:
    """What checking needs from the database, read in a handful of queries."""

    agency: Agency
    statutes: list[StatuteVersion]  # newest first
    grades: dict[int, dict[str, Grade]]  # statute id → folded code or name → grade
    units: dict[str, Unit | None]  # folded code or name → unit (None: two units share it)
    # Unit path prefixes the importer may write in; None for the whole agency.
    scope_paths: list[str] | None
    today: datetime.date
    options: Options = field(default_factory=Options)
    value_map: ValueMap = field(default_factory=dict)  # saved for the source + the clerk's
    retirement_ages: dict[int, int] = field(default_factory=dict)  # corps id → age
    new_units_parent: Unit | None = None
    new_units_type: UnitType | None = None
    problems: list[Problem] = field(default_factory=list)  # about the options themselves
    # The date order the source's earlier imports settled (its system writes dates so).
    source_date_order: str = ""

    def grade_keys(self) -> dict[str, str]:
        """Every folded grade code and name of the agency → the grade's code."""
        return {key: g.code for index in self.grades.values() for key, g in index.items()}

    def unit_keys(self) -> dict[str, str]:
        return {key: u.code for key, u in self.units.items() if u is not None}


def reference_load(*, agency: Agency, by: User | None, options: Options | None = None) -> Reference:
    options = options or Options()
    statutes = list(StatuteVersion.objects.filter(agency=agency).order_by("-effective_from"))
    grades: dict[int, dict[str, Grade]] = defaultdict(dict)
    for grade in Grade.objects.filter(statute__agency=agency).select_related("statute", "corps"):
        index = grades[grade.statute_id]
        index.setdefault(fold(grade.name), grade)
        index[fold(grade.code)] = grade
    units: dict[str, Unit | None] = {}
    all_units = list(Unit.objects.filter(agency=agency).order_by("path"))
    for unit in all_units:
        key = fold(unit.name)
        units[key] = None if key in units else unit
    for unit in all_units:
        units[fold(unit.code)] = unit
    reference = Reference(
        agency=agency,
        statutes=statutes,
        grades=dict(grades),
        units=units,
        scope_paths=import_scope(by=by, agency=agency),
        today=timezone.localdate(),
        options=options,
        value_map=merged(
            value_maps_saved(agency=agency, source=options.source_name), options.value_map
        ),
        retirement_ages=dict(
            Corps.objects.filter(agency=agency).values_list("id", "retirement_age")
        ),
    )
    if options.source:
        earlier = (
            ImportJob.objects.filter(
                agency=agency, source=options.source, values__has_key="date_order"
            )
            .order_by("-id")
            .values_list("values", flat=True)
            .first()
        )
        if earlier and earlier.get("date_order") in ("dmy", "mdy", "ymd"):
            reference.source_date_order = earlier["date_order"]
    if options.create_units_under:
        parent = units.get(fold(options.create_units_under))
        unit_type = (
            UnitType.objects.filter(code__iexact=options.unit_type).first()
            if options.unit_type
            else None
        )
        if parent is None or not parent.is_active:
            reference.problems.append(
                Problem(
                    0,
                    "",
                    options.create_units_under,
                    _(
                        "Unité parente « %(code)s » introuvable ou fermée : les unités "
                        "manquantes ne peuvent pas être créées sous elle."
                    )
                    % {"code": options.create_units_under},
                )
            )
        elif not _in_scope(reference.scope_paths, parent.path):
            reference.problems.append(
                Problem(
                    0,
                    "",
                    options.create_units_under,
                    _("L'unité parente choisie est hors de votre périmètre."),
                )
            )
        elif options.unit_type and unit_type is None:
            reference.problems.append(
                Problem(
                    0,
                    "",
                    options.unit_type,
                    _("Type d'unité « %(code)s » inconnu.") % {"code": options.unit_type},
                )
            )
        else:
            reference.new_units_parent = parent
            reference.new_units_type = unit_type or UnitType.objects.get(pk=parent.unit_type_id)
    return reference


def _in_scope(paths: list[str] | None, *unit_paths: str | None) -> bool:
    if paths is None:
        return True
    return any(p and any(p.startswith(s) for s in paths) for p in unit_paths)


@dataclass(slots=True)
class Existing:
    id: int
    agency_id: int
    matricule: str
    nina: str | None
    version: int
    in_scope: bool
    identity: dict[str, Any]
    status: str = Status.ACTIVE
    exit_date: datetime.date | None = None
    entry_date: datetime.date | None = None
    corps_id: int = 0
    legacy: set[str] = field(default_factory=set)  # values for the import's source


_EXISTING_FIELDS = [
    "id",
    "agency_id",
    "matricule",
    "nina",
    "version",
    "status",
    "exit_date",
    "entry_date",
    "corps_id",
    "unit__path",
    "host_unit__path",
    "birth_date_approximate",
    *IDENTITY_FIELDS,
]


def _existing_from(reference: Reference, q: Q) -> Iterable[Existing]:
    for row in Officer.objects.filter(q).values(*_EXISTING_FIELDS):
        yield Existing(
            id=row["id"],
            agency_id=row["agency_id"],
            matricule=row["matricule"],
            nina=row["nina"],
            version=row["version"],
            in_scope=_in_scope(reference.scope_paths, row["unit__path"], row["host_unit__path"]),
            identity={k: row[k] for k in (*IDENTITY_FIELDS, "birth_date_approximate")},
            status=row["status"],
            exit_date=row["exit_date"],
            entry_date=row["entry_date"],
            corps_id=row["corps_id"],
        )


def matricules_lookup(matricules: list[str]) -> QuerySet[Officer, tuple[str, int, int]]:
    """(matricule, id, agency id) of the officers with these matricules.

    By matricule alone (unique across agencies), the caller checking the agency: given the
    agency too, SQLite's planner walks that agency's whole index for each chunk of
    matricules (0.2 s per 500 at 100,000 officers) instead of the matricule's."""
    return (
        Officer.objects.filter(matricule__in=matricules)
        .order_by()
        .values_list("matricule", "id", "agency_id")
    )


def existing_load(
    *,
    reference: Reference,
    matricules: set[str],
    ninas: set[str],
    legacy: set[str] | None = None,
) -> tuple[dict[str, Existing], dict[str, Existing], dict[str, Existing]]:
    """Officers the file names: by matricule (any agency), NINA and legacy id (this agency)."""
    by_matricule: dict[str, Existing] = {}
    by_nina: dict[str, Existing] = {}
    by_legacy: dict[str, Existing] = {}
    for chunk in in_chunks(sorted(matricules), LOOKUP_CHUNK):
        for officer in _existing_from(reference, Q(matricule__in=chunk)):
            by_matricule[officer.matricule] = officer
    for chunk in in_chunks(sorted(ninas), LOOKUP_CHUNK):
        for officer in _existing_from(reference, Q(agency=reference.agency, nina__in=chunk)):
            by_nina[officer.nina or ""] = officer
    source = reference.options.source_name
    legacy_of: dict[int, set[str]] = defaultdict(set)
    for chunk in in_chunks(sorted(legacy or ()), LOOKUP_CHUNK):
        pairs = LegacyIdentifier.objects.filter(
            agency=reference.agency, source=source, value__in=chunk
        ).values_list("value", "officer_id")
        ids: dict[int, list[str]] = defaultdict(list)
        for value, officer_id in pairs:
            ids[officer_id].append(value)
        for officer in _existing_from(reference, Q(id__in=list(ids))):
            for value in ids[officer.id]:
                by_legacy[value] = officer
    # Which legacy ids of this source the officers found otherwise already carry.
    found = {o.id: o for o in [*by_matricule.values(), *by_nina.values(), *by_legacy.values()]}
    for some in in_chunks(sorted(found), LOOKUP_CHUNK):
        for officer_id, value in LegacyIdentifier.objects.filter(
            officer_id__in=some, source=source
        ).values_list("officer_id", "value"):
            legacy_of[officer_id].add(value)
    for officers in (by_matricule, by_nina, by_legacy):
        for officer in officers.values():
            officer.legacy = legacy_of.get(officer.id, set())
    return by_matricule, by_nina, by_legacy


@dataclass(slots=True)
class PlannedRow:
    row: int
    values: dict[str, Any]  # cleaned, non-blank cells only
    raw: dict[str, str]  # as read, for the report
    action: Action = SKIP
    officer_id: int | None = None
    version: int = 0
    changes: dict[str, Any] = field(default_factory=dict)
    before: dict[str, Any] = field(default_factory=dict)  # the changed fields as on file
    grade: Grade | None = None
    unit: Unit | None = None
    new_unit: str = ""  # key of a unit to create under the chosen parent
    matricule: str | None = None
    legacy: str = ""  # legacy identifier read from the file (for the import's source)
    add_legacy: bool = False  # to record on an existing officer
    exit: tuple[datetime.date, str, bool] | None = None  # date, status, approximate
    status: str = ""  # a position other than active, recorded on the import's date
    approximate: set[str] = field(default_factory=set)  # date fields given as a year alone
    errors: int = 0


@dataclass
class Plan:
    columns: dict[int, str]  # column index → field
    headers: list[str]
    rows: list[PlannedRow]
    problems: list[Problem]
    fatal: bool = False  # the header itself is wrong: no row can be imported
    book: ValueBook = field(default_factory=ValueBook)
    units_to_create: dict[str, str] = field(default_factory=dict)  # key → name as written
    read_rows: int = 0
    date_order: str = ""  # the order the file's ambiguous dates were read in, if any
    date_columns: list[dict[str, Any]] = field(default_factory=list)  # for the mapping step

    def count(self, action: Action) -> int:
        return sum(1 for r in self.rows if r.action == action)

    @property
    def error_rows(self) -> int:
        return self.count(SKIP) + (1 if self.fatal else 0)

    def header_of(self, key: str) -> str:
        from matricule.personnel.importing.columns import COLUMNS

        for index, name in self.columns.items():
            if name == key:
                return self.headers[index]
        return str(COLUMNS[key].label) if key in COLUMNS else ""


class Fail(Protocol):
    """Report a problem of a row's column; an ERROR also keeps the row out of the import."""

    def __call__(
        self, planned: PlannedRow, key: str, message: str, level: Level = ERROR
    ) -> None: ...


def collect_rows(
    table: Table,
    columns: dict[int, str],
    evidence: OrderEvidence,
    progress: Callable[[int], None] | None = None,
) -> tuple[list[tuple[int, dict[str, Any]]], int]:
    """The mapped cells of every data row (only those), and the rows read."""
    items = list(columns.items())
    collected: list[tuple[int, dict[str, Any]]] = []
    read = 0
    for number, cells in table.rows:
        read += 1
        width = len(cells)
        found: dict[str, Any] = {}
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
        if progress is not None and read % PROGRESS_EVERY == 0:
            progress(read)
    return collected, read


def plan_rows(
    *,
    table: Table,
    mapping: dict[str, str],
    reference: Reference,
    progress: Callable[[int], None] | None = None,
) -> Plan:
    """Check every row and decide what it would do; reads the database only to load
    the officers the file names (a few queries, whatever the number of rows)."""
    columns, problems, fatal = columns_match(table.headers, mapping, header_row=table.header_row)
    plan = Plan(
        columns=columns,
        headers=table.headers,
        rows=[],
        problems=[*problems, *reference.problems],
        fatal=fatal or bool(reference.problems),
    )
    header = {key: table.headers[index] for index, key in columns.items()}
    evidence = OrderEvidence(fields=set(_DATES))
    collected, plan.read_rows = collect_rows(table, columns, evidence, progress)
    dates = DateOptions(
        file_order=reference.options.date_order,
        source_order=reference.source_date_order,
        column_orders={
            key: reference.options.column_orders[h]
            for key, h in ((k, header[k]) for k in header)
            if h in reference.options.column_orders
        },
    )
    orders, order_problems, undecided = orders_settle(
        evidence, dates, header=header, header_row=table.header_row
    )
    plan.problems.extend(order_problems)
    if undecided:
        plan.fatal = True
    plan.date_order = settled_order(evidence, orders)
    plan.date_columns = date_columns_found(evidence, orders, header, undecided)

    def fail(planned: PlannedRow, key: str, message: str, level: Level = ERROR) -> None:
        plan.problems.append(
            Problem(
                planned.row,
                header.get(key) or plan.header_of(key),
                planned.raw.get(key, ""),
                message,
                level,
            )
        )
        if level == ERROR:
            planned.errors += 1

    book = plan.book
    for number, found in collected:
        planned = PlannedRow(row=number, values={}, raw={})
        for key, value in found.items():
            text = cell_text(value)
            planned.raw[key] = text
            if key in _MAPPED:
                planned.values[key] = book.add(key, text, number)
                continue
            try:
                planned.values[key] = clean_cell(key, value, order=orders.get(key, "dmy"))
            except CellError as error:
                fail(planned, key, str(error))
        _settle_dates(planned, reference, fail)
        plan.rows.append(planned)
    collected.clear()

    _read_values(plan, reference)
    _flag_duplicates(plan, "matricule", fail, _("Matricule en double dans le fichier."))
    _flag_duplicates(plan, "nina", fail, _("NINA en double dans le fichier."))
    legacy_key = "legacy_id" if "legacy_id" in columns.values() else "matricule"
    agency = reference.agency
    for planned in plan.rows:
        given: str | None
        if legacy_key == "legacy_id":
            given = planned.values.get("legacy_id")
        else:
            given = planned.values.get("matricule")
            if given and matricule_is_valid(
                given, prefix=agency.matricule_prefix, digits=agency.matricule_digits
            ):
                given = None
        planned.legacy = legacy_value(given) if given else ""
    _flag_duplicate_legacy(plan, fail)
    by_matricule, by_nina, by_legacy = existing_load(
        reference=reference,
        matricules={r.values["matricule"] for r in plan.rows if "matricule" in r.values},
        ninas={r.values["nina"] for r in plan.rows if "nina" in r.values},
        legacy={r.legacy for r in plan.rows if r.legacy},
    )
    present = set(columns.values())
    for planned in plan.rows:
        _decide(planned, reference, plan, by_matricule, by_nina, by_legacy, present, fail)
        if planned.errors:
            planned.action = SKIP
    _warn_probable_duplicates(plan, reference, fail)
    plan.problems = problems_grouped(plan.problems)
    return plan


def _settle_dates(planned: PlannedRow, reference: Reference, fail: Fail) -> None:
    values = planned.values
    days: dict[str, Day] = {k: values[k] for k in _DATES if isinstance(values.get(k), Day)}
    for key, message in resolve_two_digit_years(days, today=reference.today).items():
        fail(planned, key, message)
        days.pop(key, None)
    for key in _DATES:
        if key in days:
            values[key] = days[key].date
            if days[key].approximate:
                planned.approximate.add(key)
        else:
            values.pop(key, None)
    _check_dates(planned, reference, fail)


def _check_dates(planned: PlannedRow, reference: Reference, fail: Fail) -> None:
    values = planned.values
    birth = values.get("birth_date")
    today = reference.today
    if birth is not None and not datetime.date(1900, 1, 1) <= birth <= today:
        fail(planned, "birth_date", _("Date de naissance invraisemblable."))
        del values["birth_date"]
        birth = None
    entry = values.get("entry_date")
    if entry is not None:
        problem = ""
        if entry > today:
            problem = _("La date d'entrée ne peut pas être dans le futur.")
        elif birth is not None and entry < birth + datetime.timedelta(days=16 * 365):
            problem = _("La date d'entrée précède les 16 ans de l'agent (né le %(date)s).") % {
                "date": f"{birth:%d/%m/%Y}"
            }
        if problem:
            fail(planned, "entry_date", problem)
            del values["entry_date"]
            entry = None
    exit_date = values.get("exit_date")
    if exit_date is not None:
        if exit_date > today:
            fail(planned, "exit_date", _("La date de sortie ne peut pas être dans le futur."))
            del values["exit_date"]
        elif entry is not None and exit_date < entry:
            fail(planned, "exit_date", _("La date de sortie précède la date d'entrée."))
            del values["exit_date"]


def _read_values(plan: Plan, reference: Reference) -> None:
    """How each distinct legacy value reads (map, code, name), once per value."""
    book = plan.book
    grade_keys = reference.grade_keys()
    unit_keys = reference.unit_keys()
    for name, counter in book.counts.items():
        readings = book.readings.setdefault(name, {})
        for key in counter:
            label = book.labels[name][key]
            if name in ("status", "sex", "exit_reason"):
                readings[key] = simple_reading(name, label, reference.value_map)
            elif name == "grade":
                readings[key] = _grade_reading(key, reference, grade_keys)
            else:
                readings[key] = _unit_reading(key, label, reference, unit_keys)
                if readings[key].how == TO_CREATE:
                    plan.units_to_create[key] = label
    unmapped = {
        name: {k for k, r in readings.items() if r.how == UNMAPPED}
        for name, readings in book.readings.items()
    }
    rows_of: dict[tuple[str, str], list[int]] = defaultdict(list)
    for planned in plan.rows:
        for name, keys in unmapped.items():
            found: str | None = planned.values.get(name)
            if found is not None and found in keys:
                rows_of[(name, found)].append(planned.row)
    for name, readings in book.readings.items():
        for key, reading in readings.items():
            count = book.counts[name][key]
            label = book.labels[name][key]
            if reading.how == UNMAPPED:
                plan.problems.append(
                    Problem(
                        book.first_rows[name][key],
                        plan.header_of(name),
                        label,
                        unmapped_message(name, label, count, reading.suggestion),
                        rows=rows_of.get((name, key), []),
                    )
                )
            elif reading.how == TO_CREATE:
                parent = reference.new_units_parent
                plan.problems.append(
                    Problem(
                        book.first_rows[name][key],
                        plan.header_of(name),
                        label,
                        _(
                            "Unité absente des référentiels (%(count)d lignes) : elle sera "
                            "créée sous « %(parent)s »."
                        )
                        % {"count": count, "parent": parent.name if parent else ""},
                        INFO,
                    )
                )


def _grade_reading(key: str, reference: Reference, grade_keys: dict[str, str]) -> Reading:
    mapped = reference.value_map.get("grade", {}).get(key)
    if mapped is not None:
        token = fold(mapped)
        return Reading(grade_keys.get(token, mapped), BY_MAP if token in grade_keys else UNMAPPED)
    if key in grade_keys:
        is_code = any(
            key in index and fold(index[key].code) == key for index in reference.grades.values()
        )
        return Reading(grade_keys[key], BY_CODE if is_code else BY_NAME)
    return Reading(None, UNMAPPED, suggest(key, grade_keys))


def _unit_reading(key: str, label: str, reference: Reference, unit_keys: dict[str, str]) -> Reading:
    mapped = reference.value_map.get("unit", {}).get(key)
    if mapped is not None:
        token = fold(mapped)
        if token in reference.units and reference.units[token] is not None:
            return Reading(unit_keys[token], BY_MAP)
        return Reading(None, UNMAPPED, suggest(mapped, unit_keys))
    if key in reference.units:
        unit = reference.units[key]
        return Reading(
            unit.code if unit else None, BY_CODE if unit and fold(unit.code) == key else BY_NAME
        )
    if reference.new_units_parent is not None:
        return Reading(None, TO_CREATE)
    return Reading(None, UNMAPPED, suggest(label, unit_keys))


def _flag_duplicates(plan: Plan, key: str, fail: Fail, message: str) -> None:
    rows: dict[str, list[PlannedRow]] = defaultdict(list)
    for planned in plan.rows:
        if key in planned.values:
            rows[planned.values[key]].append(planned)
    for same in rows.values():
        if len(same) > 1:
            for planned in same:
                fail(planned, key, message)


def _flag_duplicate_legacy(plan: Plan, fail: Fail) -> None:
    rows: dict[str, list[PlannedRow]] = defaultdict(list)
    for planned in plan.rows:
        if planned.legacy:
            rows[planned.legacy].append(planned)
    for same in rows.values():
        if len(same) > 1:
            for planned in same:
                fail(
                    planned,
                    "legacy_id" if "legacy_id" in planned.raw else "matricule",
                    _("Ancien identifiant en double dans le fichier."),
                )


def _decide(
    planned: PlannedRow,
    reference: Reference,
    plan: Plan,
    by_matricule: dict[str, Existing],
    by_nina: dict[str, Existing],
    by_legacy: dict[str, Existing],
    present: set[str],
    fail: Fail,
) -> None:
    values = planned.values
    agency = reference.agency
    matricule: str | None = values.get("matricule")
    nina: str | None = values.get("nina")
    well_formed = matricule is not None and matricule_is_valid(
        matricule, prefix=agency.matricule_prefix, digits=agency.matricule_digits
    )
    target = by_matricule.get(matricule) if matricule else None
    if target is not None and target.agency_id != agency.pk:
        fail(planned, "matricule", _("Ce matricule appartient à un agent d'une autre agence."))
        return
    other = by_nina.get(nina) if nina else None
    legacy = by_legacy.get(planned.legacy) if planned.legacy else None
    if target is not None:
        if other is not None and other.id != target.id:
            fail(
                planned,
                "nina",
                _("Ce NINA est déjà celui d'un autre agent de l'agence (matricule %(matricule)s).")
                % {"matricule": other.matricule},
            )
    elif other is not None:
        target = other
        if well_formed:
            fail(
                planned,
                "matricule",
                _(
                    "Le NINA est celui de l'agent de matricule %(matricule)s : le matricule du "
                    "fichier est différent. Corrigez l'un ou l'autre."
                )
                % {"matricule": other.matricule},
            )
    if target is not None and legacy is not None and legacy.id != target.id:
        fail(
            planned,
            "legacy_id" if "legacy_id" in planned.raw else "matricule",
            _("Cet ancien identifiant est déjà celui d'un autre agent (matricule %(matricule)s).")
            % {"matricule": legacy.matricule},
        )
        return
    target = target or legacy
    if target is not None:
        _plan_update(planned, target, reference, plan, fail)
    else:
        _plan_create(planned, reference, plan, well_formed, present, fail)


def _exit_and_status(
    planned: PlannedRow,
    reference: Reference,
    fail: Fail,
    *,
    birth: datetime.date | None,
    retirement_age: int | None,
) -> None:
    """Read the position, exit date and exit reason of a row into `exit` and `status`."""
    values = planned.values
    status = values.get("_status") or ""
    reason = values.get("_exit_reason") or ""
    exit_date = values.get("exit_date")
    if reason and status and status not in EXIT_STATUSES:
        fail(
            planned,
            "exit_reason",
            _("Motif de sortie donné pour un agent en position « %(status)s ».")
            % {"status": Status(status).label},
        )
        return
    exit_status = reason or (status if status in EXIT_STATUSES else "")
    if exit_status:
        approximate = "exit_date" in planned.approximate
        if exit_date is None:
            if exit_status == Status.RETIRED and birth is not None and retirement_age:
                exit_date = add_years(birth, retirement_age)
                approximate = True
                if exit_date > reference.today:
                    fail(
                        planned,
                        "exit_date",
                        _(
                            "Agent retraité avant l'âge de la retraite de son corps : indiquez "
                            "la date de sortie."
                        ),
                    )
                    return
                fail(
                    planned,
                    "exit_date",
                    _(
                        "Date de sortie absente : la date de la retraite est prise à l'âge de "
                        "la retraite du corps (%(age)d ans), marquée approximative."
                    )
                    % {"age": retirement_age},
                    INFO,
                )
            else:
                fail(
                    planned,
                    "exit_date",
                    _(
                        "Date de sortie obligatoire pour un agent sorti du service "
                        "(démission, révocation, décès)."
                    ),
                )
                return
        planned.exit = (exit_date, exit_status, approximate)
        return
    if exit_date is not None:
        fail(
            planned,
            "status" if "status" in values else "exit_date",
            _(
                "Date de sortie sans motif : indiquez le motif (retraite, démission, "
                "révocation, décès) dans la colonne position ou motif de sortie."
            ),
        )
        return
    if status and status != Status.ACTIVE:
        planned.status = status


def _mapped(planned: PlannedRow, plan: Plan, name: str) -> Reading | None:
    key = planned.values.get(name)
    if key is None:
        return None
    return plan.book.readings.get(name, {}).get(key)


def _read_simple_fields(planned: PlannedRow, plan: Plan) -> bool:
    """Sex, position and exit reason of the row from their readings; False if one is unmapped."""
    fine = True
    for name in ("sex", "status", "exit_reason"):
        reading = _mapped(planned, plan, name)
        if reading is None:
            continue
        if reading.code is None:
            planned.errors += 1  # reported once for the value (values.unmapped_message)
            fine = False
            continue
        if name == "sex":
            planned.values["sex"] = reading.code
        else:
            planned.values[f"_{name}"] = reading.code
    return fine


def _plan_update(
    planned: PlannedRow, target: Existing, reference: Reference, plan: Plan, fail: Fail
) -> None:
    planned.officer_id = target.id
    planned.version = target.version
    if not target.in_scope:
        fail(
            planned,
            "matricule" if "matricule" in planned.values else "nina",
            _(
                "Cet agent relève d'une unité hors de votre périmètre : son dossier n'est pas "
                "modifié."
            ),
        )
        return
    if not _read_simple_fields(planned, plan):
        return
    for key, value in planned.values.items():
        if key in _IDENTITY and target.identity.get(key) != value:
            planned.changes[key] = value
            planned.before[key] = target.identity.get(key)
    if "birth_date" in planned.changes:
        planned.changes["birth_date_approximate"] = "birth_date" in planned.approximate
        planned.before["birth_date_approximate"] = target.identity["birth_date_approximate"]
    if planned.legacy and planned.legacy not in target.legacy:
        planned.add_legacy = True
    birth = planned.values.get("birth_date") or target.identity.get("birth_date")
    _exit_and_status(
        planned,
        reference,
        fail,
        birth=birth,
        retirement_age=reference.retirement_ages.get(target.corps_id),
    )
    if planned.exit is not None:
        if target.exit_date is not None or target.status in EXIT_STATUSES:
            planned.exit = None  # already out of the service: the record says when
        elif target.entry_date and planned.exit[0] < target.entry_date:
            fail(planned, "exit_date", _("La date de sortie précède la date d'entrée."))
            return
    if planned.status and (planned.status == target.status or target.status in EXIT_STATUSES):
        planned.status = ""
    changed = planned.changes or planned.add_legacy or planned.exit or planned.status
    planned.action = UPDATE if changed else UNCHANGED


def _plan_create(
    planned: PlannedRow,
    reference: Reference,
    plan: Plan,
    well_formed: bool,
    present: set[str],
    fail: Fail,
) -> None:
    values = planned.values
    matricule = values.get("matricule")
    if well_formed:
        planned.matricule = matricule
    elif matricule:
        fail(
            planned,
            "matricule",
            _(
                "Matricule non conforme au format de l'agence (ex. %(example)s) : il est gardé "
                "comme ancien identifiant et un nouveau matricule sera attribué."
            )
            % {"example": _matricule_example(reference.agency)},
            INFO,
        )
    for key in REQUIRED_TO_CREATE:
        if key in values or key in planned.raw:
            continue
        if key in present:
            fail(planned, key, _("Valeur obligatoire pour créer un nouvel agent."))
        else:
            fail(
                planned,
                key,
                _(
                    "Colonne absente du fichier : obligatoire pour créer un "
                    "nouvel agent (aucun agent trouvé avec ce matricule, ce "
                    "NINA ou cet ancien identifiant)."
                ),
            )
    if not _read_simple_fields(planned, plan):
        return
    entry = values.get("entry_date")
    if "unit" in values:
        planned.unit = _resolve_unit(planned, reference, plan, fail)
    if "grade" in values and entry is not None:
        planned.grade = _resolve_grade(planned, reference, plan, entry, fail)
    if planned.errors:
        return
    grade = planned.grade
    _exit_and_status(
        planned,
        reference,
        fail,
        birth=values.get("birth_date"),
        retirement_age=reference.retirement_ages.get(grade.corps_id) if grade else None,
    )
    if planned.errors:
        return
    birth = values.get("birth_date")
    if planned.exit is None and grade is not None and birth is not None:
        age = reference.retirement_ages.get(grade.corps_id)
        if age and add_years(birth, age) <= reference.today:
            fail(
                planned,
                "birth_date",
                _(
                    "Agent en service au-delà de l'âge de la retraite de son corps (%(age)d ans) "
                    ": vérifiez sa position (retraité ?)."
                )
                % {"age": age},
                INFO,
            )
    planned.action = CREATE


def _matricule_example(agency: Agency) -> str:
    return matricule_format(
        prefix=agency.matricule_prefix, digits=agency.matricule_digits, number=4521
    )


def _resolve_unit(planned: PlannedRow, reference: Reference, plan: Plan, fail: Fail) -> Unit | None:
    key = planned.values["unit"]
    reading = plan.book.readings["unit"][key]
    if reading.how == TO_CREATE:
        planned.new_unit = key
        return None
    if reading.code is None:
        planned.errors += 1  # reported once for the value
        return None
    unit = reference.units.get(fold(reading.code)) if reading.how == BY_MAP else None
    unit = unit or reference.units.get(key)
    if unit is None:
        fail(planned, "unit", _("Plusieurs unités portent ce nom : indiquez le code de l'unité."))
    elif not unit.is_active:
        fail(planned, "unit", _("Cette unité n'est plus active."))
    elif not _in_scope(reference.scope_paths, unit.path):
        fail(planned, "unit", _("Cette unité est hors de votre périmètre."))
    else:
        return unit
    return None


def grade_on(reference: Reference, token: str, day: datetime.date) -> Grade | None:
    """The grade a folded code or name names in the statute in force on `day`."""
    for statute in reference.statutes:
        if statute.is_in_force(day):
            grade = reference.grades.get(statute.pk, {}).get(token)
            if grade is not None:
                return grade
    return None


def _resolve_grade(
    planned: PlannedRow, reference: Reference, plan: Plan, entry: datetime.date, fail: Fail
) -> Grade | None:
    reading = plan.book.readings["grade"][planned.values["grade"]]
    if reading.code is None:
        planned.errors += 1  # reported once for the value
        return None
    token = fold(reading.code) if reading.how == BY_MAP else planned.values["grade"]
    grade = grade_on(reference, token, entry)
    if grade is not None:
        return grade
    in_force = [s for s in reference.statutes if s.is_in_force(entry)]
    statute_name = in_force[0].name if in_force else "—"
    fail(
        planned,
        "grade",
        _(
            "Ce grade n'existe pas dans le %(statute)s, en vigueur à la date d'entrée du "
            "%(date)s : indiquez le grade à l'entrée en service (les avancements "
            "s'enregistrent ensuite dans la carrière)."
        )
        % {"statute": statute_name, "date": f"{entry:%d/%m/%Y}"},
    )
    return None


def _warn_probable_duplicates(plan: Plan, reference: Reference, fail: Fail) -> None:
    """Same names and birth date as another row to create, or as an officer on file."""
    creates = [
        r
        for r in plan.rows
        if r.action == CREATE and "family_name" in r.values and "birth_date" in r.values
    ]
    if not creates:
        return

    def name_of(values: dict[str, Any]) -> str:
        return fold(f"{values.get('family_name', '')} {values.get('given_names', '')}")

    births = sorted({r.values["birth_date"] for r in creates})
    on_file: dict[tuple[str, datetime.date], str] = {}
    for chunk in in_chunks(births, LOOKUP_CHUNK):
        # The agency checked here, not in the query: given both, SQLite walks the agency's
        # whole index instead of the birth dates' (as for matricules, matricules_lookup).
        for search_name, birth, matricule, agency_id in (
            Officer.objects.filter(birth_date__in=chunk)
            .order_by()
            .values_list("search_name", "birth_date", "matricule", "agency_id")
        ):
            if agency_id == reference.agency.pk:
                on_file.setdefault((search_name, birth), matricule)
    in_file: dict[tuple[str, datetime.date], list[PlannedRow]] = defaultdict(list)
    for planned in creates:
        key = (name_of(planned.values), planned.values["birth_date"])
        in_file[key].append(planned)
        if key in on_file:
            fail(
                planned,
                "family_name",
                _(
                    "Doublon probable : mêmes nom, prénoms et date de naissance que l'agent "
                    "%(matricule)s déjà enregistré. Vérifiez avant d'importer."
                )
                % {"matricule": on_file[key]},
                INFO,
            )
    for same in in_file.values():
        if len(same) > 1:
            for planned in same:
                fail(
                    planned,
                    "family_name",
                    _(
                        "Doublon probable dans le fichier : mêmes nom, prénoms et date de "
                        "naissance."
                    ),
                    INFO,
                )


def import_check(
    *,
    agency: Agency,
    data: bytes,
    filename: str,
    mapping: dict[str, str],
    by: User | None,
    options: Options | None = None,
) -> Plan:
    """Read and check a file without writing anything (what a dry run does)."""
    table = read_table(data, filename)
    reference = reference_load(agency=agency, by=by, options=options)
    return plan_rows(table=table, mapping=mapping, reference=reference)
