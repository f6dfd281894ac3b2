"""Self-service API: the caller's own record and correction requests; the HR review queue."""

from __future__ import annotations

import datetime
from typing import Any

from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest
from django.utils.translation import gettext as _
from ninja import Field, File, Form, Query, Router, Schema, Status
from ninja.files import UploadedFile

from matricule.accounts.models import User
from matricule.accounts.roles import ROLE_PERMISSIONS
from matricule.api.officers import Page, officer_detail_out
from matricule.api.schemas import ERRORS, OfficerDetail, Text, scope_refusal
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
    Upload,
    correction_approve,
    correction_file,
    correction_is_stale,
    correction_reject,
)
from matricule.personnel.models import Channel

router = Router(tags=["libre-service"])


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


@router.post(
    "/me/corrections",
    response={201: CorrectionOut, **ERRORS},
    summary="Demander une correction",
    description="Envoi en multipart : `field_name` (information du dossier) ou "
    "`event_id` (événement de carrière), `value` ou les champs corrigés de "
    "l'événement, `justification` et une ou plusieurs pièces `files` (PDF, JPEG, "
    "PNG ; 5 Mo au plus chacune).",
)
def file_correction(
    request: HttpRequest,
    justification: Form[str],
    files: File[list[UploadedFile]],
    field_name: Form[str] = "",
    event_id: Form[int | None] = None,
    value: Form[str] = "",
    effective_date: Form[str] = "",
    unit: Form[str] = "",
    grade: Form[str] = "",
    function: Form[str] = "",
    detail: Form[str] = "",
    act_number: Form[str] = "",
    act_date: Form[str] = "",
) -> Any:
    user = _user(request)
    officer = own_officer(viewer=user)
    event = None
    if event_id is not None:
        event = officer.events.filter(pk=event_id, is_superseded=False).first()
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
    uploads = [Upload(name=f.name or "piece", data=f.read()) for f in files]
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
def queue(request: HttpRequest, params: Query[Page], state: Text = "pending") -> Any:
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
def approve(request: HttpRequest, correction_id: int, payload: DecisionIn) -> Any:
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
def reject(request: HttpRequest, correction_id: int, payload: DecisionIn) -> Any:
    user, correction = _decidable(request, correction_id)
    try:
        done = correction_reject(request=correction, by=user, reason=payload.reason)
    except ValidationError as error:
        return Status(400, _invalid(error))
    return _out(done)
