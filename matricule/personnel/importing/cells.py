"""Cell values: how a cell reads, and the cleaning that turns it into a field's value.

Each cleaner raises `CellError` with a French message saying how to write the value.
"""

from __future__ import annotations

import datetime
import re
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, Final

from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.utils import timezone
from django.utils.translation import gettext as _

from matricule.personnel.importing.columns import COLUMNS
from matricule.personnel.models import Officer, fold


class CellError(Exception):
    """A cell's value is not acceptable; the message is for the clerk."""


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


_TIME = r"(?:[ T]\d{1,2}:\d{2}(?::\d{2}(?:\.\d+)?)?)?"  # "00:00:00" left by some exports
_DMY = re.compile(r"^(\d{1,2})[/.\-](\d{1,2})[/.\-](\d{4}|\d{2})" + _TIME + "$")
_YMD = re.compile(r"^(\d{4})[/.\-](\d{1,2})[/.\-](\d{1,2})" + _TIME + "$")
_MONTH_YEAR = re.compile(r"^(\d{1,2})[/.\-](\d{4})$")
_YEAR = re.compile(r"^(\d{4})$")
_SERIAL = re.compile(r"^\d{1,6}(?:[.,]\d+)?$")
EXCEL_EPOCH = datetime.date(1899, 12, 30)
# A whole number in this range, in a date column, is a year alone (never a serial number:
# the serial numbers of these values fall in 1902-1906, years no register needs).
YEAR_RANGE = (1800, 2200)
# The day a year alone stands for (flagged « date approximative » on the record).
YEAR_ONLY_MONTH_DAY = (7, 1)

DMY: Final = "dmy"
MDY: Final = "mdy"
YMD: Final = "ymd"
DATE_ORDERS = (DMY, MDY, YMD)
ORDER_LABELS = {DMY: "jj/mm/aaaa", MDY: "mm/jj/aaaa", YMD: "aaaa-mm-jj"}


@dataclass(frozen=True, slots=True)
class Day:
    """A date read from a cell: approximate when only the year (or month) was given;
    `two_digit` when the year had two digits and its century is still to be settled
    against the other dates of the row."""

    date: datetime.date
    approximate: bool = False
    two_digit: bool = False


def order_evidence(value: Any) -> str | None:
    """Which order a text date proves: 'dmy' when its first part is above 12, 'mdy' when
    its second part is; None when it proves nothing (ambiguous, ISO, a date cell…)."""
    if not isinstance(value, str):
        return None
    match = _DMY.match(cell_text(value))
    if match is None:
        return None
    first, second = int(match.group(1)), int(match.group(2))
    if first > 12 >= second:
        return DMY
    if second > 12 >= first:
        return MDY
    return None


def is_ambiguous(value: Any) -> bool:
    """A text date both of whose first parts could be the month (03/04/1960)."""
    if not isinstance(value, str):
        return False
    match = _DMY.match(cell_text(value))
    return (
        match is not None
        and int(match.group(1)) <= 12
        and int(match.group(2)) <= 12
        and (match.group(1) != match.group(2))
    )


def read_day(value: Any, *, order: str = DMY, today: datetime.date | None = None) -> Day:
    """A date cell, 21/11/2026 (or 11/21/2026 in month-first order), 21-11-26, 2026-11-21,
    an Excel serial number (46347), a year alone (1947) or a month and year (03/1965)."""
    if isinstance(value, datetime.datetime):
        return Day(value.date())
    if isinstance(value, datetime.date):
        return Day(value)
    if isinstance(value, int | float) and not isinstance(value, bool):
        number = float(value)
        if number.is_integer() and YEAR_RANGE[0] <= number <= YEAR_RANGE[1]:
            return _year_only(int(number))
        return Day(_from_serial(number))
    text = cell_text(value)
    try:
        if match := _DMY.match(text):
            first, second, year = (int(g) for g in match.groups())
            day, month = (second, first) if order == MDY else (first, second)
            two_digit = len(match.group(3)) == 2
            if two_digit:
                this_year = (today or timezone.localdate()).year
                year += 2000 if 2000 + year <= this_year else 1900
            return Day(datetime.date(year, month, day), two_digit=two_digit)
        if match := _YMD.match(text):
            year, month, day = (int(g) for g in match.groups())
            return Day(datetime.date(year, month, day))
        if match := _YEAR.match(text):
            year = int(match.group(1))
            if YEAR_RANGE[0] <= year <= YEAR_RANGE[1]:
                return _year_only(year)
        if match := _MONTH_YEAR.match(text):
            month, year = int(match.group(1)), int(match.group(2))
            return Day(datetime.date(year, month, 1), approximate=True)
    except ValueError as error:
        if order == MDY:
            raise CellError(
                _(
                    "Date impossible lue dans l'ordre mm/jj/aaaa (mois d'abord) : vérifiez "
                    "l'ordre des dates choisi pour ce fichier."
                )
            ) from error
        raise CellError(_("Date impossible : ce jour n'existe pas dans le calendrier.")) from error
    if _SERIAL.match(text):
        return Day(_from_serial(float(text.replace(",", "."))))
    raise CellError(_("Date illisible : écrivez-la sous la forme JJ/MM/AAAA (ex. 21/11/2026)."))


def _year_only(year: int) -> Day:
    month, day = YEAR_ONLY_MONTH_DAY
    return Day(datetime.date(year, month, day), approximate=True)


def parse_date(
    value: Any, *, today: datetime.date | None = None, order: str = DMY
) -> datetime.date:
    """The date of a cell (see read_day)."""
    return read_day(value, order=order, today=today).date


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
# Positions as legacy registers write them (accent- and case-free); a saved value map
# or the clerk's mapping takes precedence.
STATUS_WORDS: dict[str, str] = {
    **dict.fromkeys(
        (
            "actif",
            "active",
            "activite",
            "en activite",
            "en service",
            "service",
            "in service",
            "serving",
            "en fonction",
            "a",
            "act",
        ),
        "active",
    ),
    **dict.fromkeys(
        ("conge", "en conge", "leave", "on leave", "disponibilite", "en disponibilite"), "leave"
    ),
    **dict.fromkeys(("suspendu", "suspendue", "suspension", "suspended"), "suspended"),
    **dict.fromkeys(("detache", "detachee", "detachement", "seconded"), "seconded"),
    **dict.fromkeys(("en mission", "mission", "deploye", "deployed"), "deployed"),
    **dict.fromkeys(
        ("en formation", "formation", "en stage", "training", "in training"), "training"
    ),
    **dict.fromkeys(
        (
            "retraite",
            "retraitee",
            "a la retraite",
            "admis a la retraite",
            "retired",
            "retirement",
            "pensionne",
            "r",
        ),
        "retired",
    ),
    **dict.fromkeys(
        ("demission", "demissionnaire", "demissionnaires", "resigned", "resignation"),
        "resigned",
    ),
    **dict.fromkeys(
        (
            "revoque",
            "revoquee",
            "revocation",
            "licencie",
            "licenciement",
            "radie",
            "radiation",
            "dismissed",
            "dismissal",
            "terminated",
        ),
        "dismissed",
    ),
    **dict.fromkeys(
        ("decede", "decedee", "deces", "dcd", "mort", "deceased", "dead", "died", "death"),
        "deceased",
    ),
}
EXIT_WORDS = {
    k: v for k, v in STATUS_WORDS.items() if v in ("retired", "resigned", "dismissed", "deceased")
}
SEX_WORDS = dict(_SEX)
_BLOOD = re.compile(r"^(A|B|AB|O)([+-])$")
NINA_RE = re.compile(r"^\d{14}[A-Z]$")
PHONE_RE = re.compile(r"^\+?[0-9 .-]{8,20}$")


_MAX_LENGTH: dict[str, int] = {
    f.name: int(f.max_length)
    for f in Officer._meta.concrete_fields
    if f.max_length and f.name in COLUMNS
}


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
    "birth_date": read_day,
    "entry_date": read_day,
    "exit_date": read_day,
    "phone": _clean_phone,
    "phone_alt": _clean_phone,
    "emergency_phone": _clean_phone,
    "email": _clean_email,
    "marital_status": _clean_marital,
    "blood_group": _clean_blood,
    # Grade and unit are looked up in the reference data when the row is planned.
    "grade": cell_text,
    "unit": cell_text,
    "status": cell_text,
    "exit_reason": cell_text,
    "legacy_id": cell_text,
}


def clean_cell(key: str, value: Any, *, order: str = DMY) -> Any:
    """The value of field `key` read from a non-blank cell; raises CellError.

    Dates come back as `Day` (read in `order`), mapped fields (grade, unit, status…) as
    their text: the planner maps them.
    """
    cleaner = _CLEANERS.get(key)
    if cleaner is None:
        return _clean_text(key, value)
    if cleaner is read_day:
        return read_day(value, order=order)
    return cleaner(value)
