"""Columns: the fields a file may fill, the headers that name them, and the clerk's mapping."""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import TYPE_CHECKING

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

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
