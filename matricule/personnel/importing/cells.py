"""Cell values: how a cell reads, and the cleaning that turns it into a field's value.

Each cleaner raises `CellError` with a French message saying how to write the value.
"""

from __future__ import annotations

import datetime
import re
import unicodedata
from collections.abc import Callable
from typing import Any

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
    "birth_date": parse_date,
    "entry_date": parse_date,
    "phone": _clean_phone,
    "phone_alt": _clean_phone,
    "emergency_phone": _clean_phone,
    "email": _clean_email,
    "marital_status": _clean_marital,
    "blood_group": _clean_blood,
    # Grade and unit are looked up in the reference data when the row is planned.
    "grade": cell_text,
    "unit": cell_text,
}


def clean_cell(key: str, value: Any) -> Any:
    """The value of field `key` read from a non-blank cell; raises CellError."""
    cleaner = _CLEANERS.get(key)
    if cleaner is None:
        return _clean_text(key, value)
    return cleaner(value)
