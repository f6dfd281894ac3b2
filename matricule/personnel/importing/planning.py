"""Checking the rows of a file and deciding what each would do, without writing.

The reference data (grades, units, the importer's scope) and the officers the file
names are loaded up front in a handful of queries, so a file of thousands of rows is
checked without one query per row.
"""

from __future__ import annotations

import datetime
from collections import defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, Final, Literal, Protocol

from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from matricule.core.matricule import matricule_format, matricule_is_valid
from matricule.core.models import Agency, Grade, StatuteVersion, Unit
from matricule.personnel.importing.cells import CellError, cell_text, clean_cell
from matricule.personnel.importing.columns import COLUMNS, REQUIRED_TO_CREATE, columns_match
from matricule.personnel.importing.reading import Table, read_table
from matricule.personnel.importing.report import ERROR, INFO, Level, Problem
from matricule.personnel.importing.selectors import import_scope
from matricule.personnel.models import Officer, fold
from matricule.personnel.services import IDENTITY_FIELDS

if TYPE_CHECKING:
    from matricule.accounts.models import User

PROGRESS_EVERY = 200
# Lookups by a list of values are cut in chunks: SQLite and PostgreSQL both accept these.
LOOKUP_CHUNK = 500

# What a row does. A row is skipped (not written) when the report holds at least one
# ERROR for it; it counts once among the job's rows in error, however many errors it has.
# Actions and levels are distinct words so that neither can be counted as the other.
Action = Literal["create", "update", "unchanged", "skip"]
CREATE: Final = "create"
UPDATE: Final = "update"
UNCHANGED: Final = "unchanged"
SKIP: Final = "skip"

_IDENTITY = frozenset(IDENTITY_FIELDS)


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


def reference_load(*, agency: Agency, by: User | None) -> Reference:
    statutes = list(StatuteVersion.objects.filter(agency=agency).order_by("-effective_from"))
    grades: dict[int, dict[str, Grade]] = defaultdict(dict)
    for grade in Grade.objects.filter(statute__agency=agency).select_related("statute", "corps"):
        index = grades[grade.statute_id]
        index.setdefault(fold(grade.name), grade)
        index[fold(grade.code)] = grade
    units: dict[str, Unit | None] = {}
    for unit in Unit.objects.filter(agency=agency).order_by("path"):
        key = fold(unit.name)
        units[key] = None if key in units else unit
    for unit in Unit.objects.filter(agency=agency):
        units[fold(unit.code)] = unit
    return Reference(
        agency=agency,
        statutes=statutes,
        grades=dict(grades),
        units=units,
        scope_paths=import_scope(by=by, agency=agency),
        today=timezone.localdate(),
    )


def _in_scope(paths: list[str] | None, *unit_paths: str | None) -> bool:
    if paths is None:
        return True
    return any(p and any(p.startswith(s) for s in paths) for p in unit_paths)


@dataclass
class Existing:
    id: int
    agency_id: int
    matricule: str
    nina: str | None
    version: int
    in_scope: bool
    identity: dict[str, Any]


def existing_load(
    *, reference: Reference, matricules: set[str], ninas: set[str]
) -> tuple[dict[str, Existing], dict[str, Existing]]:
    """Officers the file names, by matricule (any agency) and by NINA (this agency)."""
    fields = [
        "id",
        "agency_id",
        "matricule",
        "nina",
        "version",
        "unit__path",
        "host_unit__path",
        *IDENTITY_FIELDS,
    ]
    by_matricule: dict[str, Existing] = {}
    by_nina: dict[str, Existing] = {}

    def load(q: Q) -> Iterable[Existing]:
        for row in Officer.objects.filter(q).values(*fields):
            yield Existing(
                id=row["id"],
                agency_id=row["agency_id"],
                matricule=row["matricule"],
                nina=row["nina"],
                version=row["version"],
                in_scope=_in_scope(
                    reference.scope_paths, row["unit__path"], row["host_unit__path"]
                ),
                identity={k: row[k] for k in IDENTITY_FIELDS},
            )

    for chunk in _chunks(sorted(matricules)):
        for officer in load(Q(matricule__in=chunk)):
            by_matricule[officer.matricule] = officer
    for chunk in _chunks(sorted(ninas)):
        for officer in load(Q(agency=reference.agency, nina__in=chunk)):
            by_nina[officer.nina or ""] = officer
    return by_matricule, by_nina


def _chunks(values: list[str]) -> Iterable[list[str]]:
    for start in range(0, len(values), LOOKUP_CHUNK):
        yield values[start : start + LOOKUP_CHUNK]


@dataclass
class PlannedRow:
    row: int
    values: dict[str, Any]  # cleaned, non-blank cells only
    raw: dict[str, str]  # as read, for the report
    action: Action = SKIP
    officer_id: int | None = None
    version: int = 0
    changes: dict[str, Any] = field(default_factory=dict)
    grade: Grade | None = None
    unit: Unit | None = None
    matricule: str | None = None
    errors: int = 0


@dataclass
class Plan:
    columns: dict[int, str]  # column index → field
    headers: list[str]
    rows: list[PlannedRow]
    problems: list[Problem]
    fatal: bool = False  # the header itself is wrong: no row can be imported

    def count(self, action: Action) -> int:
        return sum(1 for r in self.rows if r.action == action)

    @property
    def error_rows(self) -> int:
        return self.count(SKIP) + (1 if self.fatal else 0)

    def header_of(self, key: str) -> str:
        for index, name in self.columns.items():
            if name == key:
                return self.headers[index]
        return str(COLUMNS[key].label) if key in COLUMNS else ""


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
    plan = Plan(columns=columns, headers=table.headers, rows=[], problems=problems, fatal=fatal)
    header = {key: table.headers[index] for index, key in columns.items()}
    items = list(columns.items())

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

    for done, (number, cells) in enumerate(table.rows, start=1):
        planned = PlannedRow(row=number, values={}, raw={})
        for index, key in items:
            value = cells[index] if index < len(cells) else None
            if value is None or (isinstance(value, str) and not value.strip()):
                continue
            planned.raw[key] = cell_text(value)
            try:
                planned.values[key] = clean_cell(key, value)
            except CellError as error:
                fail(planned, key, str(error))
        if not planned.raw:
            continue  # only ignored columns are filled: nothing to import
        _check_dates(planned, reference, fail)
        plan.rows.append(planned)
        if progress is not None and done % PROGRESS_EVERY == 0:
            progress(done)

    _flag_duplicates(
        plan, "matricule", fail, _("Matricule en double dans le fichier (lignes %(rows)s).")
    )
    _flag_duplicates(plan, "nina", fail, _("NINA en double dans le fichier (lignes %(rows)s)."))
    by_matricule, by_nina = existing_load(
        reference=reference,
        matricules={r.values["matricule"] for r in plan.rows if "matricule" in r.values},
        ninas={r.values["nina"] for r in plan.rows if "nina" in r.values},
    )
    present = set(columns.values())
    for planned in plan.rows:
        _decide(planned, reference, by_matricule, by_nina, present, fail)
        if planned.errors:
            planned.action = SKIP
    plan.problems.sort(key=lambda p: p.row)
    return plan


class Fail(Protocol):
    """Report a problem of a row's column; an ERROR also keeps the row out of the import."""

    def __call__(
        self, planned: PlannedRow, key: str, message: str, level: Level = ERROR
    ) -> None: ...


def _check_dates(planned: PlannedRow, reference: Reference, fail: Fail) -> None:
    birth = planned.values.get("birth_date")
    today = reference.today
    if birth is not None and not datetime.date(1900, 1, 1) <= birth <= today:
        fail(planned, "birth_date", _("Date de naissance invraisemblable."))
        del planned.values["birth_date"]
        birth = None
    entry = planned.values.get("entry_date")
    if entry is None:
        return
    if entry > today:
        fail(planned, "entry_date", _("La date d'entrée ne peut pas être dans le futur."))
    elif birth is not None and entry < birth + datetime.timedelta(days=16 * 365):
        fail(
            planned,
            "entry_date",
            _("La date d'entrée précède les 16 ans de l'agent (né le %(date)s).")
            % {"date": f"{birth:%d/%m/%Y}"},
        )
    else:
        return
    del planned.values["entry_date"]


def _flag_duplicates(plan: Plan, key: str, fail: Fail, message: str) -> None:
    rows: dict[str, list[PlannedRow]] = defaultdict(list)
    for planned in plan.rows:
        if key in planned.values:
            rows[planned.values[key]].append(planned)
    for same in rows.values():
        if len(same) > 1:
            numbers = ", ".join(str(p.row) for p in same)
            for planned in same:
                fail(planned, key, message % {"rows": numbers})


def _decide(
    planned: PlannedRow,
    reference: Reference,
    by_matricule: dict[str, Existing],
    by_nina: dict[str, Existing],
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
        elif matricule:
            fail(
                planned,
                "matricule",
                _(
                    "Matricule non conforme, ignoré : l'agent a été retrouvé par son NINA "
                    "(matricule %(matricule)s)."
                )
                % {"matricule": other.matricule},
                INFO,
            )
    if target is not None:
        _plan_update(planned, target, fail)
    else:
        _plan_create(planned, reference, well_formed, present, fail)


def _plan_update(planned: PlannedRow, target: Existing, fail: Fail) -> None:
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
    for key, value in planned.values.items():
        if key in _IDENTITY and target.identity.get(key) != value:
            planned.changes[key] = value
    planned.action = UPDATE if planned.changes else UNCHANGED


def _plan_create(
    planned: PlannedRow, reference: Reference, well_formed: bool, present: set[str], fail: Fail
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
                "Matricule non conforme au format de l'agence (ex. %(example)s) : un nouveau "
                "matricule sera attribué."
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
                    "nouvel agent (aucun agent trouvé avec ce matricule ou ce "
                    "NINA)."
                ),
            )
    entry = values.get("entry_date")
    if "unit" in values:
        planned.unit = _resolve_unit(planned, reference, fail)
    if "grade" in values and entry is not None:
        planned.grade = _resolve_grade(planned, reference, entry, fail)
    if not planned.errors:
        planned.action = CREATE


def _matricule_example(agency: Agency) -> str:
    return matricule_format(
        prefix=agency.matricule_prefix, digits=agency.matricule_digits, number=4521
    )


def _resolve_unit(planned: PlannedRow, reference: Reference, fail: Fail) -> Unit | None:
    key = fold(planned.values["unit"])
    if key not in reference.units:
        fail(
            planned,
            "unit",
            _(
                "Unité inconnue dans l'agence %(agency)s : indiquez son code "
                "(ex. BKO-CA01) ou son nom exact."
            )
            % {"agency": reference.agency.short_name},
        )
        return None
    unit = reference.units[key]
    if unit is None:
        fail(planned, "unit", _("Plusieurs unités portent ce nom : indiquez le code de l'unité."))
    elif not unit.is_active:
        fail(planned, "unit", _("Cette unité n'est plus active."))
    elif not _in_scope(reference.scope_paths, unit.path):
        fail(planned, "unit", _("Cette unité est hors de votre périmètre."))
    else:
        return unit
    return None


def _resolve_grade(
    planned: PlannedRow, reference: Reference, entry: datetime.date, fail: Fail
) -> Grade | None:
    key = fold(planned.values["grade"])
    in_force = [s for s in reference.statutes if s.is_in_force(entry)]
    for statute in in_force:
        grade = reference.grades.get(statute.pk, {}).get(key)
        if grade is not None:
            return grade
    elsewhere = [s for s in reference.statutes if key in reference.grades.get(s.pk, {})]
    statute_name = in_force[0].name if in_force else "—"
    if elsewhere:
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
    else:
        fail(
            planned,
            "grade",
            _(
                "Grade inconnu : indiquez le code (ex. SGT) ou le nom (ex. Sergent) d'un grade "
                "du %(statute)s."
            )
            % {"statute": statute_name},
        )
    return None


def import_check(
    *, agency: Agency, data: bytes, filename: str, mapping: dict[str, str], by: User | None
) -> Plan:
    """Read and check a file without writing anything (what a dry run does)."""
    table = read_table(data, filename)
    reference = reference_load(agency=agency, by=by)
    return plan_rows(table=table, mapping=mapping, reference=reference)
