"""Columns: the fields a file may fill, the headers that name them, and the clerk's mapping."""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import TYPE_CHECKING

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from matricule.personnel.importing.report import INFO, Problem
from matricule.personnel.models import fold

if TYPE_CHECKING:
    from django.utils.functional import _StrPromise

# A mapping target that leaves the column out of the import.
IGNORE = "ignorer"


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
            "date nais",
            "date de nais",
            "dt naissance",
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
            "lieu nais",
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

# Columns of a legacy register beyond identity and contacts (issue 16).
COLUMNS.update(
    {
        "legacy_id": Column(
            gettext_lazy("ancien identifiant"),
            (
                "ancien identifiant",
                "ancien matricule",
                "id agent",
                "code agent",
                "identifiant",
                "identifiant ancien système",
                "id",
                "n° agent",
                "numéro agent",
                "n° personnel",
                "numéro du personnel",
                "legacy id",
                "old id",
                "old number",
                "staff id",
                "personnel id",
                "person id",
            ),
        ),
        "status": Column(
            gettext_lazy("position"),
            (
                "position",
                "statut",
                "état",
                "situation",
                "situation administrative",
                "position administrative",
                "status",
                "employment status",
                "state",
            ),
        ),
        "exit_date": Column(
            gettext_lazy("date de sortie"),
            (
                "date de sortie",
                "date sortie",
                "sortie le",
                "date de cessation",
                "date de départ",
                "date fin de service",
                "exit date",
                "date of exit",
                "separation date",
                "termination date",
                "end of service",
                "date left",
            ),
        ),
        "exit_reason": Column(
            gettext_lazy("motif de sortie"),
            (
                "motif de sortie",
                "motif sortie",
                "motif de départ",
                "motif de cessation",
                "cause de sortie",
                "exit reason",
                "reason for leaving",
                "separation reason",
                "termination reason",
            ),
        ),
    }
)

# The column the downloadable report of rejected rows adds: left out on re-import.
REPORT_COLUMN = gettext_lazy("Problème à corriger (colonne ignorée à l'import)")
_ALWAYS_IGNORED = ("problème à corriger (colonne ignorée à l'import)", "problem to fix")

# A career history file: the officer's key, then the event's columns.
EVENT_COLUMNS: dict[str, Column] = {
    key: COLUMNS[key] for key in ("matricule", "nina", "legacy_id", "family_name", "given_names")
}
EVENT_COLUMNS.update(
    {
        "start_date": Column(
            gettext_lazy("date de début"),
            (
                "date de début",
                "date début",
                "date d'effet",
                "date effet",
                "du",
                "depuis",
                "date d'affectation",
                "date de prise de service",
                "date de nomination",
                "date",
                "start date",
                "date from",
                "from",
                "effective date",
                "posting date",
            ),
        ),
        "end_date": Column(
            gettext_lazy("date de fin"),
            ("date de fin", "date fin", "au", "jusqu'au", "end date", "date to", "to", "until"),
        ),
        "year": Column(gettext_lazy("année"), ("année", "annee", "exercice", "year")),
        "promotion_date": Column(
            gettext_lazy("date de promotion"),
            (
                "date de promotion",
                "date promotion",
                "date d'avancement",
                "date de nomination au grade",
                "promotion date",
                "date of promotion",
                "date promoted",
            ),
        ),
        "grade": COLUMNS["grade"],
        "unit": COLUMNS["unit"],
        "status": COLUMNS["status"],
        "exit_reason": COLUMNS["exit_reason"],
        "function": COLUMNS["function"],
        "act_number": Column(
            gettext_lazy("numéro de l'acte"),
            (
                "numéro de l'acte",
                "n° acte",
                "n° de l'acte",
                "acte",
                "référence",
                "n° décision",
                "décision",
                "arrêté",
                "act number",
                "decision number",
                "reference",
            ),
        ),
        "act_date": Column(
            gettext_lazy("date de l'acte"),
            ("date de l'acte", "date acte", "date de la décision", "act date", "decision date"),
        ),
        "detail": Column(
            gettext_lazy("précision"), ("précision", "observation", "observations", "remarks")
        ),
    }
)
# Every date field a file may carry (the date order applies to these).
DATE_FIELDS = (
    "birth_date",
    "entry_date",
    "exit_date",
    "start_date",
    "end_date",
    "promotion_date",
    "act_date",
)

# Career columns only serve to create an officer: an existing record keeps its career.
CAREER_FIELDS = ("grade", "unit", "entry_date", "function", "status", "exit_date", "exit_reason")
REQUIRED_TO_CREATE = (
    "family_name",
    "given_names",
    "sex",
    "birth_date",
    "grade",
    "unit",
    "entry_date",
)
_NON_ALNUM = re.compile(r"[^a-z0-9]+")


def header_key(text: str) -> str:
    """Accent-, case- and punctuation-free form of a header: 'Prénom(s)' → 'prenoms'."""
    return _NON_ALNUM.sub("", fold(text))


def _synonyms(columns: dict[str, Column]) -> dict[str, str]:
    index = {
        header_key(name): key for key, column in columns.items() for name in (key, *column.synonyms)
    }
    for name in _ALWAYS_IGNORED:
        index[header_key(name)] = IGNORE
    return index


_SYNONYMS = _synonyms(COLUMNS)
_EVENT_SYNONYMS = _synonyms(EVENT_COLUMNS)
# "Grade" and "Unité" are the posting's and the rank's own columns in a history file.


def field_for(name: str, *, history: bool = False) -> str | None:
    """The field a header or a mapping target names, or None."""
    found = (_EVENT_SYNONYMS if history else _SYNONYMS).get(header_key(name))
    return None if found == IGNORE else found


def mapping_parse(text: str, *, history: bool = False) -> dict[str, str]:
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
        resolved = field_for(target, history=history)
        if resolved is None:
            raise ValueError(
                _(
                    "Ligne %(n)d : champ « %(field)s » inconnu. Champs possibles : "
                    "%(fields)s, ou « ignorer »."
                )
                % {
                    "n": number,
                    "field": target,
                    "fields": ", ".join(EVENT_COLUMNS if history else COLUMNS),
                }
            )
        mapping[header.strip()] = resolved
    return mapping


def columns_match(
    headers: list[str],
    mapping: dict[str, str],
    *,
    header_row: int = 1,
    history: bool = False,
) -> tuple[dict[int, str], list[Problem], bool]:
    """Which column holds which field: the explicit mapping first, then the synonyms.

    Unknown columns are left out with a single line naming them all.
    """
    catalogue = EVENT_COLUMNS if history else COLUMNS
    synonyms = _EVENT_SYNONYMS if history else _SYNONYMS
    problems: list[Problem] = []
    explicit = {header_key(h): target for h, target in mapping.items()}
    wanted = {header_key(h) for h in headers if h}
    # A field named by the mapping wins over a column that merely looks like it.
    claimed = {t for k, t in explicit.items() if k in wanted and t != IGNORE}
    columns: dict[int, str] = {}
    seen: dict[str, int] = {}
    unknown: list[str] = []
    fatal = False
    for index, header in enumerate(headers):
        if not header:
            continue
        key = header_key(header)
        if key in explicit:
            target: str | None = explicit.pop(key)
        else:
            target = synonyms.get(key)
            if target in claimed:
                continue
        if target == IGNORE:
            continue
        if target is None:
            unknown.append(header)
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
                        "field": catalogue[target].label,
                    },
                )
            )
            continue
        seen[target] = index
        columns[index] = target
    if unknown:
        names = ", ".join(f"« {h} »" for h in unknown)
        problems.append(
            Problem(
                header_row,
                "",
                "",
                ngettext(
                    "%(count)d colonne non reconnue, ignorée : %(names)s. Pour l'importer, "
                    "ajoutez une correspondance « En-tête=champ ».",
                    "%(count)d colonnes non reconnues, ignorées : %(names)s. Pour en importer "
                    "une, ajoutez une correspondance « En-tête=champ ».",
                    len(unknown),
                )
                % {"count": len(unknown), "names": names},
                INFO,
            )
        )
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
    keys = {"matricule", "nina", "legacy_id"}
    if history:
        if not keys & set(seen):
            fatal = True
            problems.append(
                Problem(
                    header_row,
                    "",
                    "",
                    _(
                        "Aucune colonne ne désigne l'agent : ajoutez le matricule, le NINA ou "
                        "l'ancien identifiant (ou une correspondance « En-tête=matricule »)."
                    ),
                )
            )
        if not {"start_date", "year", "promotion_date"} & set(seen):
            fatal = True
            problems.append(
                Problem(
                    header_row,
                    str(catalogue["start_date"].label),
                    "",
                    _(
                        "Colonne obligatoire absente : la date de début (ou l'année) de "
                        "chaque période. Ajoutez-la, ou une correspondance "
                        "« En-tête=start_date »."
                    ),
                )
            )
    elif not keys & set(seen):
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
