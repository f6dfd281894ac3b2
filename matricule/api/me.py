"""Self-service API: the caller's own record and correction requests; the HR review queue."""

from __future__ import annotations

import datetime
from typing import Any

from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest
from django.utils.translation import gettext as _
from ninja import Field, Query, Router, Schema, Status
from ninja.params.functions import Path as path_param
from ninja.params.functions import Query as query_param

from matricule.accounts.models import User
from matricule.accounts.roles import ROLE_PERMISSIONS
from matricule.api.officers import Page, officer_detail_out
from matricule.api.schemas import (
    ERRORS,
    EXAMPLE_CORRECTION_ID,
    MAX_ID,
    OfficerDetail,
    Text,
    scope_refusal,
)
from matricule.corrections.models import CorrectionRequest
from matricule.corrections.selectors import (
    my_requests,
    own_officer,
    request_changes,
    request_get,
    requests_access_log,
    review_queue,
)
from matricule.corrections.services import (
    MAX_EVIDENCE_BYTES,
    Upload,
    correction_approve,
    correction_file,
    correction_is_stale,
    correction_reject,
)
from matricule.personnel.models import Channel

router = Router(tags=["libre-service"])
STATE: Any = query_param(
    "pending",
    description="pending (défaut), approved, rejected ou withdrawn.",
    example="pending",
)
CORRECTION_ID: Any = path_param(
    ...,
    ge=1,
    le=MAX_ID,
    description="Numéro de la demande.",
    example=EXAMPLE_CORRECTION_ID,
)


class ChangeOut(Schema):
    label: str
    before: str
    after: str


class CorrectionOut(Schema):
    id: int
    matricule: str
    target: str
    field_name: str
    event_id: int | None
    state: str
    state_label: str
    justification: str
    changes: list[ChangeOut]
    stale: bool
    created_at: datetime.datetime
    decided_at: datetime.datetime | None
    decision_reason: str
    evidence: list[str] = Field(description="Noms des pièces justificatives.")


class CorrectionPage(Schema):
    items: list[CorrectionOut]
    count: int


class DecisionIn(Schema):
    model_config = {
        "json_schema_extra": {
            "examples": [
                {"reason": "Pièce illisible : envoyez un scan net.", "confirm_stale": True}
            ]
        }
    }

    reason: Text = Field("", max_length=2000)
    confirm_stale: bool = False


def _user(request: HttpRequest) -> User:
    user = request.user
    if not isinstance(user, User):
        raise Http404
    return user


def _out(request: CorrectionRequest) -> CorrectionOut:
    return CorrectionOut(
        id=request.pk,
        matricule=request.officer.matricule,
        target=request.target,
        field_name=request.field_name,
        event_id=request.event_id,
        state=request.state,
        state_label=str(request.get_state_display()),
        justification=request.justification,
        changes=[
            ChangeOut(label=c.label, before=str(c.before), after=str(c.after))
            for c in request_changes(request)
        ],
        stale=request.state == CorrectionRequest.State.PENDING and correction_is_stale(request),
        created_at=request.created_at,
        decided_at=request.decided_at,
        decision_reason=request.decision_reason,
        evidence=[e.original_name for e in request.evidence.all()],
    )


@router.get(
    "/me",
    response={200: OfficerDetail, **ERRORS},
    summary="Mon dossier",
    description="Le dossier de l'agent titulaire du jeton (404 si le compte n'est "
    "pas celui d'un agent).",
)
def me(request: HttpRequest) -> Any:
    officer = own_officer(viewer=_user(request))
    everything = set().union(*ROLE_PERMISSIONS.values())  # one's own record, in full
    return officer_detail_out(officer, everything, None)


@router.get(
    "/me/corrections",
    response={200: CorrectionPage, **ERRORS},
    summary="Mes demandes de correction",
)
def my_corrections(request: HttpRequest, params: Query[Page]) -> Any:
    user = _user(request)
    own_officer(viewer=user)
    qs = my_requests(viewer=user).select_related("officer")
    count = qs.count()
    rows = qs[params.offset : params.offset + params.limit]
    return {"items": [_out(r) for r in rows], "count": count}


CORRECTION_TEXT_FIELDS = {
    "field_name": "Information du dossier à corriger (ex. birth_place), ou vide avec `event_id`.",
    "event_id": "Identifiant de l'événement de carrière à corriger, ou vide.",
    "value": "Valeur corrigée de l'information.",
    "effective_date": "Événement : date d'effet corrigée (AAAA-MM-JJ).",
    "unit": "Événement : code de l'unité corrigée.",
    "grade": "Événement : code du grade corrigé.",
    "function": "Événement : fonction corrigée.",
    "detail": "Événement : précision corrigée.",
    "act_number": "Événement : numéro de l'acte corrigé.",
    "act_date": "Événement : date de l'acte corrigée (AAAA-MM-JJ).",
}
CORRECTION_BODY = {
    "required": True,
    "content": {
        "multipart/form-data": {
            "schema": {
                "type": "object",
                "required": ["justification", "files"],
                "properties": {
                    "justification": {
                        "type": "string",
                        "maxLength": 4000,
                        "description": "Pourquoi l'information est inexacte "
                        "(10 caractères au moins).",
                        "example": "Erreur de saisie sur le lieu de naissance",
                    },
                    **{
                        name: {"type": "string", "maxLength": 255, "description": text}
                        for name, text in CORRECTION_TEXT_FIELDS.items()
                    },
                    "files": {
                        "type": "array",
                        "minItems": 1,
                        "maxItems": 5,
                        "items": {"type": "string", "format": "binary"},
                        "description": "Pièces justificatives : PDF, JPEG ou PNG, "
                        "5 Mo au plus chacune.",
                    },
                },
            },
            "encoding": {"files": {"contentType": "application/pdf, image/jpeg, image/png"}},
        }
    },
}


@router.post(
    "/me/corrections",
    response={201: CorrectionOut, **ERRORS},
    summary="Demander une correction",
    description="Envoi en multipart : `field_name` (information du dossier) ou "
    "`event_id` (événement de carrière), `value` ou les champs corrigés de "
    "l'événement, `justification` et une ou plusieurs pièces `files` (PDF, JPEG, "
    "PNG ; 5 Mo au plus chacune). Le corps est lu tel quel : une valeur refusée répond 400 "
    "avec le message par champ.",
    openapi_extra={"requestBody": CORRECTION_BODY},
)
def file_correction(request: HttpRequest) -> Any:
    # Every field of a multipart body is text: read as such, checked by the service, which
    # says in French what is missing or wrong.
    form = {name: str(request.POST.get(name, ""))[:4000] for name in CORRECTION_TEXT_FIELDS}
    justification = str(request.POST.get("justification", ""))[:4000]
    files = request.FILES.getlist("files")
    field_name, event_id, value = form["field_name"], form["event_id"], form["value"]
    effective_date, unit, grade = form["effective_date"], form["unit"], form["grade"]
    function, detail = form["function"], form["detail"]
    act_number, act_date = form["act_number"], form["act_date"]
    user = _user(request)
    officer = own_officer(viewer=user)
    event = None
    if event_id.strip():
        if not event_id.strip().isdigit() or len(event_id.strip()) > 18:
            return Status(
                400,
                {
                    "detail": _("Données invalides"),
                    "errors": {"event_id": [_("Nombre entier attendu.")]},
                },
            )
        event = officer.events.filter(pk=int(event_id), is_superseded=False).first()
        if event is None:
            raise Http404
        proposed = {
            k: v
            for k, v in {
                "effective_date": effective_date,
                "unit": unit,
                "grade": grade,
                "function": function,
                "detail": detail,
                "act_number": act_number,
                "act_date": act_date,
            }.items()
            if v
        }
    else:
        proposed = {"value": value}
    # Never more than the limit plus one byte in memory: a larger file is refused as such.
    uploads = [
        Upload(name=f.name or "piece", data=f.read(MAX_EVIDENCE_BYTES + 1)) for f in files or []
    ]
    try:
        created = correction_file(
            officer=officer,
            by=user,
            field_name=field_name,
            event=event,
            proposed=proposed,
            justification=justification,
            uploads=uploads,
        )
    except ValidationError as error:
        return Status(400, _invalid(error))
    return Status(201, _out(created))


def _invalid(error: ValidationError) -> dict[str, Any]:
    errors = error.message_dict if hasattr(error, "error_dict") else {"__all__": error.messages}
    return {"detail": _("Données invalides"), "errors": errors}


@router.get(
    "/corrections",
    response={200: CorrectionPage, **ERRORS},
    summary="File des demandes (RH)",
    description="Demandes sur les agents de votre périmètre, les plus anciennes "
    "d'abord. `state` : pending (défaut), approved, rejected, withdrawn.",
)
def queue(request: HttpRequest, params: Query[Page], state: Text = STATE) -> Any:
    user = _user(request)
    if state not in CorrectionRequest.State.values:
        return Status(
            400, {"detail": _("État inconnu : pending, approved, rejected ou withdrawn.")}
        )
    qs = review_queue(viewer=user, state=state).prefetch_related("evidence")
    count = qs.count()
    rows = list(qs[params.offset : params.offset + params.limit])
    requests_access_log(viewer=user, requests=rows, channel=Channel.API)
    return {"items": [_out(r) for r in rows], "count": count}


def _decidable(request: HttpRequest, correction_id: int) -> tuple[User, CorrectionRequest]:
    user = _user(request)
    correction = request_get(viewer=user, pk=correction_id)
    if correction.officer_id == user.officer_id:
        raise Http404
    return user, correction


@router.post(
    "/corrections/{correction_id}/approve",
    response={200: CorrectionOut, **ERRORS},
    summary="Accepter une demande",
)
def approve(request: HttpRequest, payload: DecisionIn, correction_id: int = CORRECTION_ID) -> Any:
    user, correction = _decidable(request, correction_id)
    try:
        done = correction_approve(request=correction, by=user, confirm_stale=payload.confirm_stale)
    except ValidationError as error:
        if refusal := scope_refusal(error):
            return Status(403, {"detail": refusal})
        return Status(400, _invalid(error))
    return _out(done)


@router.post(
    "/corrections/{correction_id}/reject",
    response={200: CorrectionOut, **ERRORS},
    summary="Refuser une demande",
)
def reject(request: HttpRequest, payload: DecisionIn, correction_id: int = CORRECTION_ID) -> Any:
    user, correction = _decidable(request, correction_id)
    try:
        done = correction_reject(request=correction, by=user, reason=payload.reason)
    except ValidationError as error:
        return Status(400, _invalid(error))
    return _out(done)
