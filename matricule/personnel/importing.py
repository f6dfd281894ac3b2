"""Importing officers from XLSX and CSV files.

Reading a file and checking its rows are plain functions over reference data
loaded up front (grades, units, the officers the file names), so a file of
thousands of rows is checked without one query per row. Writing goes through
`officer_create` and `officer_update`, which validate and audit each officer;
`import_run` ties it together for an `ImportJob` and keeps the report on it.
"""

from __future__ import annotations

import csv
import datetime
import io
import logging
import re
import unicodedata
import zipfile
from collections import defaultdict
from collections.abc import Callable, Iterable
from contextlib import AbstractContextManager, nullcontext
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.base import ContentFile
from django.core.validators import validate_email
from django.db import IntegrityError, transaction
from django.db.models import Q, QuerySet
from django.http import Http404
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from matricule.accounts.roles import ROLE_PERMISSIONS, Perm
from matricule.core.audit import audit_record
from matricule.core.matricule import matricule_format, matricule_is_valid
from matricule.core.models import Agency, Grade, StatuteVersion, Unit
from matricule.personnel.models import ActKind, ImportJob, Officer, fold
from matricule.personnel.services import (
    IDENTITY_FIELDS,
    Act,
    ConflictError,
    officer_create,
    officer_update,
)

if TYPE_CHECKING:
    from django.utils.functional import _StrPromise

    from matricule.accounts.models import User

logger = logging.getLogger(__name__)

# Files with more data rows than this run in the background (django-tasks).
BACKGROUND_ABOVE = 1000
MAX_FILE_BYTES = 10 * 1024 * 1024
PROGRESS_EVERY = 200
# Lookups by a list of values are cut in chunks: SQLite and PostgreSQL both accept these.
LOOKUP_CHUNK = 500
IGNORE = "ignorer"

ERROR = "error"
INFO = "info"

CREATE = "create"
UPDATE = "update"
UNCHANGED = "unchanged"
SKIP = "error"


class ImportFileError(Exception):
    """The file cannot be read as a table; the message is for the clerk."""


# ---------------------------------------------------------------------------
# Columns: the fields a file may fill, and the headers that name them.
# ---------------------------------------------------------------------------


@dataclass(frozen=True)
class Column:
    label: _StrPromise
    synonyms: tuple[str, ...]


COLUMNS: dict[str, Column] = {
    "matricule": Column(
        gettext_lazy("matricule"),
        (
            "matricule",
            "mle",
            "n° matricule",
            "numéro matricule",
            "numéro de matricule",
            "matricule agent",
            "service number",
            "personnel number",
            "employee number",
            "employee id",
            "staff number",
            "badge number",
        ),
    ),
    "nina": Column(
        gettext_lazy("NINA"),
        (
            "nina",
            "n° nina",
            "numéro nina",
            "numéro d'identification nationale",
            "national id",
            "national id number",
            "national identification number",
            "nin",
        ),
    ),
    "family_name": Column(
        gettext_lazy("nom de famille"),
        (
            "nom",
            "noms",
            "nom de famille",
            "nom patronymique",
            "last name",
            "lastname",
            "surname",
            "family name",
        ),
    ),
    "given_names": Column(
        gettext_lazy("prénom(s)"),
        (
            "prénom",
            "prénoms",
            "prénom(s)",
            "first name",
            "first names",
            "firstname",
            "given name",
            "given names",
            "forename",
            "forenames",
            "other names",
        ),
    ),
    "sex": Column(gettext_lazy("sexe"), ("sexe", "genre", "sex", "gender", "m/f", "h/f")),
    "birth_date": Column(
        gettext_lazy("date de naissance"),
        (
            "date de naissance",
            "date naissance",
            "né le",
            "née le",
            "né(e) le",
            "naissance",
            "birth date",
            "date of birth",
            "birthdate",
            "dob",
        ),
    ),
    "birth_place": Column(
        gettext_lazy("lieu de naissance"),
        (
            "lieu de naissance",
            "lieu naissance",
            "né à",
            "née à",
            "né(e) à",
            "birth place",
            "place of birth",
            "birthplace",
        ),
    ),
    "nationality": Column(gettext_lazy("nationalité"), ("nationalité", "nationality")),
    "grade": Column(
        gettext_lazy("grade"),
        ("grade", "grade d'entrée", "code grade", "rank", "grade at entry", "rank at entry"),
    ),
    "unit": Column(
        gettext_lazy("unité"),
        (
            "unité",
            "unités",
            "code unité",
            "unité d'affectation",
            "affectation",
            "service",
            "unit",
            "unit code",
            "posting",
            "duty station",
        ),
    ),
    "entry_date": Column(
        gettext_lazy("date d'entrée"),
        (
            "date d'entrée",
            "date entrée",
            "date d'entrée en service",
            "entrée en service",
            "date de recrutement",
            "date d'incorporation",
            "date d'engagement",
            "appointed date",
            "date appointed",
            "appointment date",
            "date of appointment",
            "date of first appointment",
            "entry date",
            "date of entry",
            "enlistment date",
            "hire date",
            "date joined",
        ),
    ),
    "function": Column(gettext_lazy("fonction"), ("fonction", "function", "job title")),
    "phone": Column(
        gettext_lazy("téléphone"),
        (
            "téléphone",
            "tél",
            "tel",
            "n° de téléphone",
            "numéro de téléphone",
            "portable",
            "cellulaire",
            "phone",
            "phone number",
            "telephone",
            "mobile",
        ),
    ),
    "phone_alt": Column(
        gettext_lazy("autre téléphone"),
        (
            "autre téléphone",
            "téléphone 2",
            "tél 2",
            "tel 2",
            "second téléphone",
            "other phone",
            "phone 2",
            "alternate phone",
        ),
    ),
    "email": Column(
        gettext_lazy("courriel"),
        (
            "courriel",
            "e-mail",
            "email",
            "mail",
            "adresse électronique",
            "adresse mail",
            "adresse e-mail",
            "email address",
        ),
    ),
    "address": Column(
        gettext_lazy("adresse"),
        ("adresse", "domicile", "adresse du domicile", "address", "home address"),
    ),
    "emergency_name": Column(
        gettext_lazy("personne à prévenir"),
        (
            "personne à prévenir",
            "personne à contacter",
            "contact d'urgence",
            "emergency contact",
            "emergency contact name",
            "next of kin",
        ),
    ),
    "emergency_relation": Column(
        gettext_lazy("lien de parenté"),
        ("lien de parenté", "lien", "relationship", "next of kin relationship"),
    ),
    "emergency_phone": Column(
        gettext_lazy("téléphone de la personne à prévenir"),
        (
            "téléphone de la personne à prévenir",
            "téléphone d'urgence",
            "tél urgence",
            "emergency phone",
            "next of kin phone",
        ),
    ),
    "marital_status": Column(
        gettext_lazy("situation de famille"),
        ("situation de famille", "situation matrimoniale", "état matrimonial", "marital status"),
    ),
    "spouse_name": Column(
        gettext_lazy("nom du conjoint"),
        (
            "nom du conjoint",
            "conjoint",
            "conjoint(e)",
            "nom de l'époux(se)",
            "spouse",
            "spouse name",
        ),
    ),
    "blood_group": Column(
        gettext_lazy("groupe sanguin"), ("groupe sanguin", "gs", "blood group", "blood type")
    ),
}

# Career columns only serve to create an officer: an existing record keeps its career.
CAREER_FIELDS = ("grade", "unit", "entry_date", "function")
REQUIRED_TO_CREATE = (
    "family_name",
    "given_names",
    "sex",
    "birth_date",
    "grade",
    "unit",
    "entry_date",
)
_IDENTITY = frozenset(IDENTITY_FIELDS)
_MAX_LENGTH: dict[str, int] = {
    f.name: int(f.max_length)
    for f in Officer._meta.concrete_fields
    if f.max_length and f.name in COLUMNS
}
_NON_ALNUM = re.compile(r"[^a-z0-9]+")


def header_key(text: str) -> str:
    """Accent-, case- and punctuation-free form of a header: 'Prénom(s)' → 'prenoms'."""
    return _NON_ALNUM.sub("", fold(text))


_SYNONYMS: dict[str, str] = {
    header_key(name): key for key, column in COLUMNS.items() for name in (key, *column.synonyms)
}


def field_for(name: str) -> str | None:
    """The field a header or a mapping target names, or None."""
    return _SYNONYMS.get(header_key(name))


def mapping_parse(text: str) -> dict[str, str]:
    """Read 'En-tête=champ' lines (blank lines and '#' comments ignored)."""
    mapping: dict[str, str] = {}
    for number, raw in enumerate(text.splitlines(), start=1):
        line = raw.strip()
        if not line or line.startswith("#"):
            continue
        header, sep, target = line.rpartition("=")
        if not sep or not header.strip():
            raise ValueError(
                _(
                    "Ligne %(n)d : écrivez « En-tête=champ », par exemple "
                    "« Nom du père=ignorer » ou « Tél. perso=phone »."
                )
                % {"n": number}
            )
        target = target.strip()
        if header_key(target) in ("", IGNORE, "ignore", "aucun"):
            mapping[header.strip()] = IGNORE
            continue
        resolved = field_for(target)
        if resolved is None:
            raise ValueError(
                _(
                    "Ligne %(n)d : champ « %(field)s » inconnu. Champs possibles : "
                    "%(fields)s, ou « ignorer »."
                )
                % {"n": number, "field": target, "fields": ", ".join(COLUMNS)}
            )
        mapping[header.strip()] = resolved
    return mapping


# ---------------------------------------------------------------------------
# Reading the file.
# ---------------------------------------------------------------------------


@dataclass
class Table:
    headers: list[str]
    header_row: int
    # (spreadsheet row number, cells); blank rows are already left out.
    rows: list[tuple[int, list[Any]]]


def _is_blank(cells: Iterable[Any]) -> bool:
    return all(c is None or (isinstance(c, str) and not c.strip()) for c in cells)


HEADER_SEARCH_ROWS = 10


def _looks_like_header(cells: list[Any]) -> bool:
    return sum(1 for c in cells if isinstance(c, str) and header_key(c) in _SYNONYMS) >= 2


def _table_from(records: Iterable[tuple[int, list[Any]]]) -> Table:
    """Header and data rows; title lines above the header ("Liste du personnel…") are skipped."""
    leading: list[tuple[int, list[Any]]] = []
    header: tuple[int, list[Any]] | None = None
    rows: list[tuple[int, list[Any]]] = []
    for number, cells in records:
        if _is_blank(cells):
            continue
        if header is not None:
            rows.append((number, cells))
        elif _looks_like_header(cells):
            header = (number, cells)
        else:
            leading.append((number, cells))
            if len(leading) == HEADER_SEARCH_ROWS:
                header, rows = leading[0], leading[1:]
    if header is None:
        # No row names known fields: take the first one, the report will say what is missing.
        if not leading:
            raise ImportFileError(
                _(
                    "Le fichier est vide : la première ligne doit contenir les "
                    "en-têtes des colonnes (Nom, Prénom(s), Date de naissance…)."
                )
            )
        header, rows = leading[0], leading[1:]
    headers = [cell_text(c) for c in header[1]]
    while headers and not headers[-1]:
        headers.pop()
    return Table(headers=headers, header_row=header[0], rows=rows)


def csv_decode(data: bytes) -> str:
    """UTF-8 (with or without BOM), else Windows-1252 as saved by Excel in French."""
    if b"\x00" in data[:4096]:
        raise ImportFileError(
            _(
                "Ce fichier n'est pas un fichier CSV (texte) : enregistrez-le "
                "au format CSV ou XLSX depuis votre tableur."
            )
        )
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        pass
    try:
        return data.decode("cp1252")
    except UnicodeDecodeError as error:
        raise ImportFileError(
            _(
                "Encodage du fichier CSV non reconnu : enregistrez-le en "
                "« CSV UTF-8 » depuis votre tableur."
            )
        ) from error


def xlsx_looks_valid(data: bytes) -> bool:
    """An XLSX file is a zip holding the workbook parts openpyxl reads."""
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            names = set(archive.namelist())
    except (zipfile.BadZipFile, ValueError):
        return False
    return "[Content_Types].xml" in names and "xl/workbook.xml" in names


def read_table(data: bytes, filename: str) -> Table:
    """The header row and the non-blank data rows of a CSV or XLSX file."""
    if filename.lower().endswith(".xlsx"):
        return _read_xlsx(data)
    if filename.lower().endswith(".csv"):
        return _read_csv(data)
    raise ImportFileError(_("Seuls les fichiers .xlsx et .csv sont acceptés."))


def _read_csv(data: bytes) -> Table:
    text = csv_decode(data)
    first_lines = "\n".join(text.split("\n", HEADER_SEARCH_ROWS)[:HEADER_SEARCH_ROWS])
    # French Excel writes ';', others ','; tabs come from copy-paste exports.
    delimiter = max((";", ",", "\t"), key=first_lines.count)
    if not first_lines.count(delimiter):
        delimiter = ","
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    try:
        return _table_from(enumerate(reader, start=1))
    except csv.Error as error:
        raise ImportFileError(_("Fichier CSV mal formé : %(error)s") % {"error": error}) from error


def _read_xlsx(data: bytes) -> Table:
    import openpyxl

    if not xlsx_looks_valid(data):
        raise ImportFileError(
            _(
                "Ce fichier n'est pas un classeur XLSX valide : enregistrez-le "
                "au format « Classeur Excel (.xlsx) »."
            )
        )
    try:
        workbook = openpyxl.load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except Exception as error:  # openpyxl raises many kinds for a damaged workbook
        message = _("Classeur XLSX illisible : %(error)s") % {"error": error}
        raise ImportFileError(message) from error
    try:
        sheet = workbook.worksheets[0]
        records = (
            (number, list(values))
            for number, values in enumerate(sheet.iter_rows(values_only=True), start=1)
        )
        return _table_from(records)
    finally:
        workbook.close()


def cell_text(value: Any) -> str:
    """How a cell reads in the report and for text fields."""
    if value is None:
        return ""
    if isinstance(value, str):
        return " ".join(unicodedata.normalize("NFC", value).split())
    if isinstance(value, bool):
        return "1" if value else "0"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, datetime.datetime):
        value = value.date()
    if isinstance(value, datetime.date):
        return f"{value:%d/%m/%Y}"
    return str(value)


# ---------------------------------------------------------------------------
# Cell values.
# ---------------------------------------------------------------------------


class CellError(Exception):
    """A cell's value is not acceptable; the message is for the clerk."""


_TIME = r"(?:[ T]\d{1,2}:\d{2}(?::\d{2}(?:\.\d+)?)?)?"  # "00:00:00" left by some exports
_DMY = re.compile(r"^(\d{1,2})[/.\-](\d{1,2})[/.\-](\d{4}|\d{2})" + _TIME + "$")
_YMD = re.compile(r"^(\d{4})[/.\-](\d{1,2})[/.\-](\d{1,2})" + _TIME + "$")
_SERIAL = re.compile(r"^\d{1,6}(?:[.,]\d+)?$")
EXCEL_EPOCH = datetime.date(1899, 12, 30)


def parse_date(value: Any, *, today: datetime.date | None = None) -> datetime.date:
    """21/11/2026, 21-11-26, 2026-11-21, a date cell or an Excel serial number (46347)."""
    if isinstance(value, datetime.datetime):
        return value.date()
    if isinstance(value, datetime.date):
        return value
    if isinstance(value, int | float) and not isinstance(value, bool):
        return _from_serial(float(value))
    text = cell_text(value)
    try:
        if match := _DMY.match(text):
            day, month, year = (int(g) for g in match.groups())
            if len(match.group(3)) == 2:
                this_year = (today or timezone.localdate()).year
                year += 2000 if 2000 + year <= this_year else 1900
            return datetime.date(year, month, day)
        if match := _YMD.match(text):
            year, month, day = (int(g) for g in match.groups())
            return datetime.date(year, month, day)
    except ValueError as error:
        raise CellError(_("Date impossible : ce jour n'existe pas dans le calendrier.")) from error
    if _SERIAL.match(text):
        return _from_serial(float(text.replace(",", ".")))
    raise CellError(_("Date illisible : écrivez-la sous la forme JJ/MM/AAAA (ex. 21/11/2026)."))


def _from_serial(number: float) -> datetime.date:
    # Excel counts days from 30/12/1899; 1 to 2,958,465 covers years 1900 to 9999.
    if not 1 <= number < 2958466:
        raise CellError(_("Date illisible : écrivez-la sous la forme JJ/MM/AAAA (ex. 21/11/2026)."))
    return EXCEL_EPOCH + datetime.timedelta(days=int(number))


_SEX = {
    "m": "M",
    "h": "M",
    "masculin": "M",
    "homme": "M",
    "male": "M",
    "man": "M",
    "masc": "M",
    "f": "F",
    "feminin": "F",
    "femme": "F",
    "female": "F",
    "woman": "F",
    "fem": "F",
}
_MARITAL = {
    "celibataire": "single",
    "single": "single",
    "marie": "married",
    "mariee": "married",
    "marie e": "married",
    "married": "married",
    "divorce": "divorced",
    "divorcee": "divorced",
    "divorce e": "divorced",
    "divorced": "divorced",
    "veuf": "widowed",
    "veuve": "widowed",
    "veuf veuve": "widowed",
    "widowed": "widowed",
    "widow": "widowed",
    "widower": "widowed",
}
_BLOOD = re.compile(r"^(A|B|AB|O)([+-])$")
NINA_RE = re.compile(r"^\d{14}[A-Z]$")
PHONE_RE = re.compile(r"^\+?[0-9 .-]{8,20}$")


def _clean_text(key: str, value: Any) -> str:
    text = cell_text(value)
    limit = _MAX_LENGTH.get(key)
    if limit and len(text) > limit:
        raise CellError(_("Texte trop long : %(limit)d caractères au plus.") % {"limit": limit})
    return text


def _clean_nina(value: Any) -> str:
    text = cell_text(value).replace(" ", "").replace("-", "").upper()
    if not NINA_RE.match(text):
        raise CellError(
            _("Le NINA comporte 14 chiffres suivis d'une lettre majuscule (ex. 12345678901234A).")
        )
    return text


def _clean_matricule(value: Any) -> str:
    return cell_text(value).replace(" ", "").upper()


def _clean_sex(value: Any) -> str:
    sex = _SEX.get(fold(cell_text(value)).replace(".", ""))
    if sex is None:
        raise CellError(
            _("Sexe non reconnu : écrivez M ou F (Masculin, Féminin, H, Homme, Femme).")
        )
    return sex


def _clean_phone(value: Any) -> str:
    text = cell_text(value)
    if not PHONE_RE.match(text):
        raise CellError(
            _(
                "Numéro de téléphone invalide : chiffres, espaces et + seulement "
                "(ex. +223 76 12 34 56)."
            )
        )
    return text


def _clean_email(value: Any) -> str:
    text = cell_text(value).lower()
    try:
        validate_email(text)
    except ValidationError as error:
        raise CellError(_("Adresse de courriel invalide (ex. nom@exemple.ml).")) from error
    return text


def _clean_marital(value: Any) -> str:
    status = _MARITAL.get(fold(cell_text(value)).replace("(", " ").replace(")", "").strip())
    if status is None:
        raise CellError(
            _(
                "Situation de famille non reconnue : célibataire, marié(e), "
                "divorcé(e) ou veuf/veuve."
            )
        )
    return status


def _clean_blood(value: Any) -> str:
    text = cell_text(value).upper().replace(" ", "").replace("−", "-")
    text = text.replace("POSITIF", "+").replace("NEGATIF", "-").replace("NÉGATIF", "-")
    if not _BLOOD.match(text):
        raise CellError(_("Groupe sanguin non reconnu : A+, A-, B+, B-, AB+, AB-, O+ ou O-."))
    return text


_CLEANERS: dict[str, Callable[[Any], Any]] = {
    "matricule": _clean_matricule,
    "nina": _clean_nina,
    "sex": _clean_sex,
    "birth_date": parse_date,
    "entry_date": parse_date,
    "phone": _clean_phone,
    "phone_alt": _clean_phone,
    "emergency_phone": _clean_phone,
    "email": _clean_email,
    "marital_status": _clean_marital,
    "blood_group": _clean_blood,
    # Grade and unit are looked up against the reference data (see _resolve_career).
    "grade": cell_text,
    "unit": cell_text,
}


def clean_cell(key: str, value: Any) -> Any:
    cleaner = _CLEANERS.get(key)
    if cleaner is None:
        return _clean_text(key, value)
    return cleaner(value)


# ---------------------------------------------------------------------------
# Checking: reference data loaded once, then one pass over the rows.
# ---------------------------------------------------------------------------


@dataclass
class Problem:
    row: int
    column: str
    value: str
    message: str
    level: str = ERROR

    def as_dict(self) -> dict[str, Any]:
        return {
            "row": self.row,
            "column": self.column,
            "value": self.value,
            "message": self.message,
            "level": self.level,
        }


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


def import_scope(*, by: User | None, agency: Agency) -> list[str] | None:
    """Unit paths the importer may write in (None: the whole agency).

    A clerk whose grant covers a unit subtree imports into that subtree only. The
    command line, run by an operator without a grant (a superuser), covers the agency.
    """
    if by is None:
        return None
    grants = [g for g in by.grants_with(Perm.PERSONNEL_IMPORT) if g.agency_id == agency.pk]
    if not grants:
        return None if by.is_superuser else []
    if any(g.unit is None for g in grants):
        return None
    return [g.unit.path for g in grants if g.unit is not None]


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
    action: str = SKIP
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

    def count(self, action: str) -> int:
        return sum(1 for r in self.rows if r.action == action)

    @property
    def error_rows(self) -> int:
        return self.count(SKIP) + (1 if self.fatal else 0)

    def header_of(self, key: str) -> str:
        for index, name in self.columns.items():
            if name == key:
                return self.headers[index]
        return str(COLUMNS[key].label) if key in COLUMNS else ""


def columns_match(
    headers: list[str], mapping: dict[str, str], *, header_row: int = 1
) -> tuple[dict[int, str], list[Problem], bool]:
    """Which column holds which field: the explicit mapping first, then the synonyms."""
    problems: list[Problem] = []
    explicit = {header_key(h): target for h, target in mapping.items()}
    wanted = {header_key(h) for h in headers if h}
    # A field named by the mapping wins over a column that merely looks like it.
    claimed = {t for k, t in explicit.items() if k in wanted and t != IGNORE}
    columns: dict[int, str] = {}
    seen: dict[str, int] = {}
    fatal = False
    for index, header in enumerate(headers):
        if not header:
            continue
        key = header_key(header)
        if key in explicit:
            target: str | None = explicit.pop(key)
        else:
            target = _SYNONYMS.get(key)
            if target in claimed:
                continue
        if target == IGNORE:
            continue
        if target is None:
            problems.append(
                Problem(
                    header_row,
                    header,
                    header,
                    _(
                        "Colonne non reconnue, ignorée. Pour l'importer, ajoutez une "
                        "correspondance « %(header)s=champ »."
                    )
                    % {"header": header},
                    INFO,
                )
            )
            continue
        if target in seen:
            fatal = True
            problems.append(
                Problem(
                    header_row,
                    header,
                    header,
                    _(
                        "Les colonnes « %(first)s » et « %(second)s » désignent toutes deux "
                        "le champ « %(field)s » : indiquez une correspondance pour l'une "
                        "d'elles (ou « =ignorer »)."
                    )
                    % {
                        "first": headers[seen[target]],
                        "second": header,
                        "field": COLUMNS[target].label,
                    },
                )
            )
            continue
        seen[target] = index
        columns[index] = target
    for header in mapping:
        if header_key(header) in explicit:
            problems.append(
                Problem(
                    header_row,
                    header,
                    "",
                    _("Cette correspondance ne désigne aucune colonne du fichier."),
                    INFO,
                )
            )
    if "matricule" not in seen and "nina" not in seen:
        # Without a key every row creates an officer: say once what is missing.
        for key in REQUIRED_TO_CREATE:
            if key not in seen:
                fatal = True
                problems.append(
                    Problem(
                        header_row,
                        str(COLUMNS[key].label),
                        "",
                        _(
                            "Colonne obligatoire absente : ajoutez-la, ou une correspondance "
                            "« En-tête=%(field)s »."
                        )
                        % {"field": key},
                    )
                )
    return columns, problems, fatal


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

    def fail(planned: PlannedRow, key: str, message: str, level: str = ERROR) -> None:
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


Fail = Callable[..., None]


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


# ---------------------------------------------------------------------------
# Jobs: starting, running in the foreground or background, writing.
# ---------------------------------------------------------------------------


def import_access(*, viewer: User) -> Agency:
    """The agency the viewer imports into: that of their first grant allowing imports."""
    grants = viewer.grants_with(Perm.PERSONNEL_IMPORT) if viewer.is_authenticated else []
    if not grants:
        raise PermissionDenied
    return grants[0].agency


def import_jobs(*, viewer: User) -> QuerySet[ImportJob]:
    """The imports of the viewer's agency, newest first.

    Reports quote the rows they read (names, NINA): a clerk whose grant covers only
    part of the agency sees the imports they ran, not those of the whole agency.
    """
    agency = import_access(viewer=viewer)
    jobs = ImportJob.objects.filter(agency=agency)
    if import_scope(by=viewer, agency=agency) is not None:
        jobs = jobs.filter(created_by=viewer)
    return jobs.select_related("created_by").order_by("-created_at", "-id")


def import_job_get(*, viewer: User, pk: int) -> ImportJob:
    job = import_jobs(viewer=viewer).filter(pk=pk).first()
    if job is None:
        raise Http404
    return job


def import_start(
    *,
    agency: Agency,
    data: bytes,
    filename: str,
    mode: str,
    mapping: dict[str, str],
    by: User,
    in_background: bool | None = None,
) -> ImportJob:
    """Keep the file and its job; run it now if small, else queue it for the worker.

    `in_background` forces the choice (the command line always runs in the foreground).
    """
    job = ImportJob(
        agency=agency, filename=filename[:255], mode=mode, mapping=mapping, created_by=by
    )
    job.file.save(filename, ContentFile(data), save=False)
    try:
        table: Table | None = read_table(data, filename)
    except ImportFileError:
        table = None  # import_run reads it again and reports why it failed
    job.total_rows = len(table.rows) if table else 0
    job.save()
    _launch(job, by=by, table=table, in_background=in_background)
    return job


def import_rerun(*, job: ImportJob, mode: str, by: User) -> ImportJob:
    """Import for real the file a dry run checked, as a new job with its own report."""
    if job.mode != ImportJob.Mode.DRY_RUN or job.state != ImportJob.State.DONE:
        raise ValidationError(_("Seul un essai terminé peut être importé pour de bon."))
    if mode not in (ImportJob.Mode.ATOMIC, ImportJob.Mode.VALID_ROWS):
        raise ValidationError(_("Choisissez « tout ou rien » ou « lignes valides seulement »."))
    new = ImportJob.objects.create(
        agency=job.agency,
        file=job.file.name,
        filename=job.filename,
        mode=mode,
        mapping=job.mapping,
        total_rows=job.total_rows,
        created_by=by,
    )
    _launch(new, by=by, table=None)
    return new


def _launch(
    job: ImportJob, *, by: User, table: Table | None, in_background: bool | None = None
) -> None:
    if in_background is None:
        in_background = job.total_rows > BACKGROUND_ABOVE
    if in_background:
        from matricule.personnel.tasks import import_job_run

        job_id = job.pk
        transaction.on_commit(lambda: import_job_run.enqueue(job_id))
        return
    import_run(job=job, by=by, table=table)


def import_run(*, job: ImportJob, by: User | None, table: Table | None = None) -> ImportJob:
    """Check and (unless a dry run) write the job's file; the report is kept on the job."""
    if job.state in (ImportJob.State.DONE, ImportJob.State.FAILED):
        return job
    with translation.override(settings.LANGUAGE_CODE):
        _job_update(job, state=ImportJob.State.RUNNING, processed_rows=0)
        try:
            if table is None:
                with job.file.open("rb") as handle:
                    table = read_table(handle.read(), job.filename)
            _job_update(job, total_rows=len(table.rows))
            reference = reference_load(agency=job.agency, by=by)
            dry_run = job.mode == ImportJob.Mode.DRY_RUN
            plan = plan_rows(
                table=table,
                mapping=job.mapping,
                reference=reference,
                progress=(lambda n: _job_update(job, processed_rows=n)) if dry_run else None,
            )
            if plan.fatal:
                _finish(job, plan, state=ImportJob.State.FAILED)
            elif dry_run:
                _finish(job, plan, created=plan.count(CREATE), updated=plan.count(UPDATE))
            elif job.mode == ImportJob.Mode.ATOMIC and plan.error_rows:
                _finish(job, plan)
            else:
                _write(job, plan, by=by)
        except ImportFileError as error:
            _fail(job, str(error))
        except Exception:
            logger.exception("import %s interrompu", job.pk)
            _fail(
                job,
                _(
                    "Erreur inattendue : l'import a été interrompu. Les lignes déjà "
                    "enregistrées (mode « lignes valides ») le restent ; signalez ce "
                    "numéro d'import à l'administrateur."
                ),
            )
    return job


def _job_update(job: ImportJob, **values: Any) -> None:
    for key, value in values.items():
        setattr(job, key, value)
    ImportJob.objects.filter(pk=job.pk).update(**values)


def _fail(job: ImportJob, message: str) -> None:
    _job_update(
        job,
        state=ImportJob.State.FAILED,
        finished_at=timezone.now(),
        report=[*job.report, Problem(1, "", job.filename, message).as_dict()],
    )


def _finish(
    job: ImportJob,
    plan: Plan,
    *,
    state: str = ImportJob.State.DONE,
    created: int = 0,
    updated: int = 0,
    write_errors: list[Problem] | None = None,
    failed_rows: int = 0,
) -> None:
    problems = sorted([*plan.problems, *(write_errors or [])], key=lambda p: p.row)
    _job_update(
        job,
        state=state,
        finished_at=timezone.now(),
        processed_rows=job.total_rows,
        created_count=created,
        updated_count=updated,
        unchanged_count=plan.count(UNCHANGED),
        error_count=plan.error_rows + failed_rows,
        report=[p.as_dict() for p in problems],
    )


class _Rollback(Exception):
    """Leaves the all-or-nothing transaction after a row failed to save."""


def _write(job: ImportJob, plan: Plan, *, by: User | None) -> None:
    atomic = job.mode == ImportJob.Mode.ATOMIC
    created = updated = failed = 0
    write_errors: list[Problem] = []
    block: AbstractContextManager[Any] = transaction.atomic() if atomic else nullcontext()
    try:
        with block:
            for done, planned in enumerate(plan.rows, start=1):
                if planned.action in (CREATE, UPDATE):
                    try:
                        with transaction.atomic():
                            _write_row(job, planned, by=by)
                    except (ValidationError, ConflictError, IntegrityError) as error:
                        write_errors.extend(_write_problems(plan, planned, error))
                        if atomic:
                            raise _Rollback from error
                        failed += 1
                    else:
                        created += planned.action == CREATE
                        updated += planned.action == UPDATE
                if done % PROGRESS_EVERY == 0:
                    # Inside the all-or-nothing transaction others see this only at the end.
                    _job_update(job, processed_rows=done)
            if created or updated:
                audit_record(
                    by=by,
                    action="personnel.import",
                    obj=job,
                    after={
                        "file": job.filename,
                        "mode": job.mode,
                        "created": created,
                        "updated": updated,
                    },
                )
    except _Rollback:
        _finish(job, plan, write_errors=write_errors, failed_rows=1)
        return
    _finish(
        job, plan, created=created, updated=updated, write_errors=write_errors, failed_rows=failed
    )


def _write_row(job: ImportJob, planned: PlannedRow, *, by: User | None) -> None:
    if planned.action == UPDATE:
        assert planned.officer_id is not None
        officer_update(
            officer=Officer(pk=planned.officer_id),
            data=planned.changes,
            expected_version=planned.version,
            by=by,
        )
        return
    assert planned.unit is not None and planned.grade is not None
    values = planned.values
    entry = values["entry_date"]
    officer_create(
        agency=job.agency,
        identity={k: v for k, v in values.items() if k in _IDENTITY},
        unit=planned.unit,
        grade=planned.grade,
        entry_date=entry,
        act=Act(kind=ActKind.NOTE, number=f"IMPORT-{job.pk}", date=entry),
        function=values.get("function", ""),
        matricule=planned.matricule,
        by=by,
    )
    if planned.matricule:
        # A number taken from the file must never be handed out again by the counter.
        agency = job.agency
        number = int(planned.matricule[len(agency.matricule_prefix) : -1])
        Agency.objects.filter(pk=agency.pk, matricule_seq__lt=number).update(matricule_seq=number)


_MODEL_TO_COLUMN = {"effective_date": "entry_date", "act_date": "entry_date"}


def _write_problems(plan: Plan, planned: PlannedRow, error: Exception) -> list[Problem]:
    if isinstance(error, ValidationError) and hasattr(error, "error_dict"):
        problems: list[Problem] = []
        for name, messages in error.message_dict.items():
            key = _MODEL_TO_COLUMN.get(name, name)
            column = plan.header_of(key) if key in COLUMNS else ""
            problems.extend(
                Problem(planned.row, column, planned.raw.get(key, ""), message)
                for message in messages
            )
        return problems
    if isinstance(error, ValidationError):
        return [Problem(planned.row, "", "", message) for message in error.messages]
    if isinstance(error, IntegrityError):
        return [
            Problem(
                planned.row,
                "",
                "",
                _(
                    "Enregistrement refusé par la base de données (matricule ou NINA pris "
                    "entre-temps par un autre enregistrement)."
                ),
            )
        ]
    return [Problem(planned.row, "", "", str(error))]


def job_summary(job: ImportJob) -> str:
    """One sentence on the outcome, for the screen and the command."""
    counts = {
        "created": job.created_count,
        "updated": job.updated_count,
        "unchanged": job.unchanged_count,
        "errors": job.error_count,
    }
    if job.state in (ImportJob.State.PENDING, ImportJob.State.RUNNING):
        return _("Import en cours : ligne %(done)d sur %(total)d.") % {
            "done": job.processed_rows,
            "total": job.total_rows,
        }
    if job.state == ImportJob.State.FAILED:
        return _("L'import a échoué : la raison est donnée dans le rapport.")
    if job.mode == ImportJob.Mode.DRY_RUN:
        return (
            _(
                "Essai terminé — à créer : %(created)d, à mettre à jour : %(updated)d, "
                "inchangés : %(unchanged)d, lignes en erreur : %(errors)d. Rien n'a été "
                "enregistré."
            )
            % counts
        )
    if job.mode == ImportJob.Mode.ATOMIC and job.error_count:
        return (
            _(
                "Tout ou rien — lignes en erreur : %(errors)d. Rien n'a été enregistré : "
                "corrigez le fichier et importez-le de nouveau."
            )
            % counts
        )
    return (
        _(
            "Import terminé — créés : %(created)d, mis à jour : %(updated)d, inchangés : "
            "%(unchanged)d, lignes en erreur (non importées) : %(errors)d."
        )
        % counts
    )


def import_roles() -> list[str]:
    """Roles that carry the import permission (for the command's default author)."""
    return [role for role, perms in ROLE_PERMISSIONS.items() if Perm.PERSONNEL_IMPORT in perms]
