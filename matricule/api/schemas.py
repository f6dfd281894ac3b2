"""Shapes of the API's requests and answers, shared by its routers."""

from __future__ import annotations

import datetime
import re
from typing import Annotated, Any

from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.utils.translation import gettext as _
from ninja import Field, Schema
from pydantic import AfterValidator, BeforeValidator

from matricule.personnel.models import ActKind, EventKind, Status

# Realistic values shown in the document (and sent first by the fuzzer, so that a write
# reaches its success path): an officer of Bamako, a pending correction request.
EXAMPLE_MATRICULE = "PN004217F"
EXAMPLE_CORRECTION_ID = 4217

# Largest id or offset accepted: both databases store 64-bit integers, and a larger
# number would fail inside the database driver instead of answering 422.
MAX_ID = 2**63 - 1
MAX_OFFSET = 1_000_000_000


def nul_message() -> str:
    """The refusal of a text holding U+0000, which the API answers 400 (not 422)."""
    return _("Le caractère nul (U+0000) est interdit.")


def unencodable_message() -> str:
    """The refusal of a text holding a lone surrogate: a bad request (400) too."""
    return _("Texte invalide : caractères non codables en UTF-8.")


def _clean_text(value: str) -> str:
    # PostgreSQL refuses NUL in text and lone surrogates cannot be encoded: refuse them
    # here so the database never sees them.
    if "\x00" in value:
        raise ValueError(nul_message())
    try:
        value.encode("utf-8")
    except UnicodeEncodeError:
        raise ValueError(unencodable_message()) from None
    return value


# A string without NUL or lone surrogates.
Text = Annotated[str, AfterValidator(_clean_text)]


ISO_DATE_RE = re.compile(r"\d{4}-\d{2}-\d{2}")


def _iso_date(value: Any) -> Any:
    # Pydantic would also take numbers as Unix timestamps; the document promises AAAA-MM-JJ.
    if isinstance(value, datetime.date) or (
        isinstance(value, str) and ISO_DATE_RE.fullmatch(value)
    ):
        return value
    raise ValueError(_("Date invalide : format AAAA-MM-JJ attendu (ex. 2024-11-21)."))


# A date written AAAA-MM-JJ, nothing else.
IsoDate = Annotated[datetime.date, BeforeValidator(_iso_date)]


class ErrorOut(Schema):
    detail: str = Field(description="Message en français.")
    errors: dict[str, list[str]] | None = Field(
        None, description="Messages par champ (« __all__ » pour l'ensemble)."
    )


# Answers every operation may give besides its success: documented in the OpenAPI document
# so that a client (and the fuzzer) knows them. 400: the input is refused (a message per
# field); 401: no valid token; 403: not allowed; 404: unknown or outside the caller's
# scope; 409: conflicts with the state of the data; 422: the parameters do not match
# the document.
ERRORS: dict[int, Any] = {
    400: ErrorOut,
    401: ErrorOut,
    403: ErrorOut,
    404: ErrorOut,
    409: ErrorOut,
    422: ErrorOut,
}
READ_ERRORS = ERRORS


class UnitRef(Schema):
    code: str
    name: str


class HostUnitRef(UnitRef):
    agency: str = Field(description="Code de l'agence d'accueil.")


class GradeRef(Schema):
    code: str
    name: str


class CorpsRef(Schema):
    code: str
    name: str


class OfficerRow(Schema):
    matricule: str
    family_name: str
    given_names: str
    sex: str
    birth_date: datetime.date
    grade: GradeRef
    unit: UnitRef
    corps: str = Field(description="Code du corps.")
    origin: str | None = Field(
        None,
        description="Corps d'origine (code) d'un agent détaché d'un autre corps "
        "(gendarmerie, douanes…) : son grade est dans la grille de ce corps.",
    )
    status: str
    status_label: str


class OfficerPage(Schema):
    items: list[OfficerRow]
    count: int


class SituationOut(Schema):
    on: datetime.date = Field(description="Date à laquelle la situation est donnée.")
    unit: UnitRef
    grade: GradeRef
    corps: CorpsRef
    status: str
    status_label: str
    function: str
    host_unit: HostUnitRef | None = Field(description="Unité d'accueil en cas de détachement.")
    entry_date: datetime.date
    exit_date: datetime.date | None
    retirement_date: datetime.date


class OfficerDetail(Schema):
    matricule: str
    agency: str = Field(description="Code de l'agence.")
    family_name: str
    given_names: str
    sex: str
    birth_date: datetime.date
    birth_place: str
    nationality: str
    nina: str | None = Field(description="Visible seulement avec le droit d'identité.")
    blood_group: str | None = Field(description="Visible seulement avec le droit de santé.")
    phone: str
    phone_alt: str
    email: str
    address: str
    emergency_name: str
    emergency_relation: str
    emergency_phone: str
    marital_status: str
    spouse_name: str
    origin: str | None = Field(
        None,
        description="Corps d'origine (code) d'un agent détaché d'un autre corps "
        "(gendarmerie, douanes…) : son grade est dans la grille de ce corps.",
    )
    origin_service_number: str = Field(
        "", description="Matricule de l'agent dans son corps d'origine."
    )
    secondment_end: datetime.date | None = Field(
        None, description="Fin du détachement en cours (acte et renouvellements)."
    )
    situation: SituationOut | None = Field(
        description="Situation à la date demandée ; vide avant l'entrée en service."
    )


class SignatoryRef(Schema):
    id: int
    name: str
    title: str


class ActOut(Schema):
    kind: str
    kind_label: str
    number: str
    date: datetime.date | None
    signatory: SignatoryRef | None


class EventOut(Schema):
    id: int
    kind: str
    kind_label: str
    effective_date: datetime.date
    end_date: datetime.date | None
    unit: UnitRef | None
    host_agency: str | None = Field(description="Agence d'accueil d'un détachement.")
    grade: GradeRef | None
    status: str
    status_label: str
    function: str
    detail: str
    act: ActOut
    exceptional: bool
    justification: str
    supersedes: int | None = Field(description="Événement corrigé par celui-ci.")
    is_superseded: bool
    created_at: datetime.datetime


class EventPage(Schema):
    items: list[EventOut]
    count: int


class ActIn(Schema):
    kind: ActKind | None = None
    number: Text = Field(default="", max_length=60)
    date: IsoDate | None = None
    signatory_id: int | None = Field(default=None, ge=1, le=MAX_ID)


class EventIn(Schema):
    model_config = {
        "json_schema_extra": {
            "examples": [
                {
                    "kind": "posting",
                    "effective_date": "2020-03-01",
                    "unit": "BKO-CA02",
                    "function": "Chef de poste",
                    "act": {"kind": "decision", "number": "2020-112/DGPN", "date": "2020-02-20"},
                }
            ]
        }
    }

    kind: EventKind
    effective_date: IsoDate
    unit: Text | None = Field(
        None,
        max_length=20,
        description="Code de l'unité : dans l'agence de l'agent, ou d'une autre agence pour "
        "un détachement.",
    )
    unit_agency: Text | None = Field(
        None,
        max_length=10,
        description="Code de l'agence de l'unité, si le code d'unité existe dans plusieurs.",
    )
    grade: Text | None = Field(
        None, max_length=10, description="Code du grade dans le statut en vigueur à la date."
    )
    status: Status | None = None
    function: Text = Field("", max_length=150)
    detail: Text = Field("", max_length=255)
    end_date: IsoDate | None = None
    exceptional: bool = False
    justification: Text = Field("", max_length=4000)
    act: ActIn | None = None
    supersedes: int | None = Field(
        None, ge=1, le=MAX_ID, description="Identifiant de l'événement corrigé par celui-ci."
    )


# Service field names that the API spells differently (the act is nested in the body).
_FIELD_NAMES = {
    "act_kind": "act.kind",
    "act_number": "act.number",
    "act_date": "act.date",
    "act_signatory": "act.signatory_id",
}


def validation_messages(exc: ValidationError) -> dict[str, list[str]]:
    """French messages of a Django ValidationError, keyed by the API's field names."""
    raw = exc.message_dict if hasattr(exc, "error_dict") else {NON_FIELD_ERRORS: exc.messages}
    return {_FIELD_NAMES.get(key, key): [str(m) for m in messages] for key, messages in raw.items()}


def scope_refusal(exc: ValidationError) -> str | None:
    """The French message when a service refused for lack of rights (answered 403), else None."""
    if not hasattr(exc, "error_dict"):
        return None
    for errors in exc.error_dict.values():
        for error in errors:
            if error.code == "unit_scope":
                return " ".join(error.messages)
    return None
