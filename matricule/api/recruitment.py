"""Recruitment endpoints: intakes, candidates and stage results (read), and result entry
(write, recruitment officers only), with the screens' scopes and rules."""

from __future__ import annotations

import datetime
from decimal import Decimal
from typing import Annotated, Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest
from django.utils.translation import gettext as _
from ninja import Field, Path, Query, Router, Schema, Status
from ninja.errors import AuthenticationError, HttpError

from matricule.accounts.models import User
from matricule.api.schemas import (
    ERRORS,
    MAX_ID,
    MAX_OFFSET,
    READ_ERRORS,
    Text,
    validation_messages,
)
from matricule.recruitment.models import Candidate, Intake, Stage, StageResult
from matricule.recruitment.selectors import (
    CANDIDATE_STATES,
    CandidateFilters,
    can_read,
    candidate_get,
    candidate_list,
    intake_get,
    intake_list,
    stage_get,
)
from matricule.recruitment.services import result_record

# A path id within what the database can hold (larger ones answer 422, never 500).
ObjectId = Annotated[int, Path(ge=1, le=MAX_ID)]

router = Router(tags=["recrutement"])


class Page(Schema):
    limit: int = Field(50, ge=1, le=500, description="Nombre d'éléments par page (1 à 500).")
    offset: int = Field(0, ge=0, le=MAX_OFFSET, description="Rang du premier élément (0 = début).")


class StageOut(Schema):
    id: int
    order: int
    kind: str
    kind_label: str
    rule: str
    pass_mark: Decimal | None
    counts_in_ranking: bool
    weight: Decimal


class IntakeOut(Schema):
    id: int
    agency: str = Field(description="Code de l'agence.")
    corps: str = Field(description="Code du corps.")
    title: str
    posts_total: int
    applications_open: datetime.date
    applications_close: datetime.date
    age_reference_date: datetime.date
    age_min: int
    age_max: int
    min_diploma: int
    status: str
    status_label: str
    stages: list[StageOut]


class IntakePage(Schema):
    items: list[IntakeOut]
    count: int


class RankingOut(Schema):
    rank: int
    score: Decimal
    outcome: str
    list_rank: int


class CandidateOut(Schema):
    application_number: str
    family_name: str
    given_names: str
    sex: str
    birth_date: datetime.date
    nina: str
    diploma: int
    centre: str = Field(description="Code du centre d'examen.")
    region: str = Field(description="Code de la région.")
    eligible: bool
    ineligibility_reasons: list[str]
    withdrawn_on: datetime.date | None
    eliminated_stage: int | None = Field(description="Identifiant de l'épreuve éliminatoire.")
    elimination_reason: str
    ranking: RankingOut | None
    officer_matricule: str | None = Field(description="Matricule de l'agent créé à la sortie.")


class CandidatePage(Schema):
    items: list[CandidateOut]
    count: int


class CandidateParams(Page):
    q: Text = Field("", max_length=100, description="Nom, numéro de candidature ou NINA.")
    state: Text = Field(
        "", description="Situation : " + ", ".join(CANDIDATE_STATES) + " ; vide pour tous."
    )
    sex: Text = Field("", max_length=1, description="M ou F.")


class ResultOut(Schema):
    application_number: str
    stage: int
    mark: Decimal | None
    fit: bool | None
    absent: bool
    passed: bool
    detail: dict[str, Any]


class ResultPage(Schema):
    items: list[ResultOut]
    count: int


class ResultIn(Schema):
    application_number: Text = Field(max_length=20)
    absent: bool = False
    values: dict[str, Text | float | int] = Field(
        default_factory=dict,
        description="Par code : note de chaque matière (écrit), performance de chaque épreuve "
        "(physique), « note » (note sur 20) ou « avis » (apte / inapte).",
    )
    note: Text = Field("", max_length=255, description="Observation.")


def _viewer(request: HttpRequest) -> User:
    user = getattr(request, "auth", None)
    if not isinstance(user, User):
        raise AuthenticationError
    if not can_read(user):
        raise HttpError(403, _("Accès refusé : rôle de recrutement ou d'inspection requis."))
    return user


def _intake(viewer: User, intake_id: int, *, for_edit: bool = False) -> Intake:
    try:
        return intake_get(viewer=viewer, pk=intake_id, for_edit=for_edit)
    except Http404:
        raise HttpError(404, _("Concours introuvable.")) from None
    except PermissionDenied:
        raise HttpError(403, _("Lecture seule : vous ne pouvez pas saisir de résultats.")) from None


def _intake_out(intake: Intake, stages: list[Stage]) -> IntakeOut:
    return IntakeOut(
        id=intake.pk,
        agency=intake.agency.code,
        corps=intake.corps.code,
        title=intake.title,
        posts_total=intake.posts_total,
        applications_open=intake.applications_open,
        applications_close=intake.applications_close,
        age_reference_date=intake.age_reference_date,
        age_min=intake.age_min,
        age_max=intake.age_max,
        min_diploma=intake.min_diploma,
        status=intake.status,
        status_label=str(intake.get_status_display()),
        stages=[
            StageOut(
                id=s.pk,
                order=s.order,
                kind=s.kind,
                kind_label=str(s.get_kind_display()),
                rule=s.rule,
                pass_mark=s.pass_mark,
                counts_in_ranking=s.counts_in_ranking,
                weight=s.weight,
            )
            for s in stages
        ],
    )


def _candidate_out(c: Candidate) -> CandidateOut:
    ranking = getattr(c, "ranking", None)
    return CandidateOut(
        application_number=c.application_number,
        family_name=c.family_name,
        given_names=c.given_names,
        sex=c.sex,
        birth_date=c.birth_date,
        nina=c.nina,
        diploma=c.diploma,
        centre=c.centre.code,
        region=c.region.code,
        eligible=c.eligible,
        ineligibility_reasons=list(c.ineligibility_reasons),
        withdrawn_on=c.withdrawn_on,
        eliminated_stage=c.eliminated_stage_id,
        elimination_reason=c.elimination_reason,
        ranking=RankingOut(
            rank=ranking.rank,
            score=ranking.score,
            outcome=ranking.outcome,
            list_rank=ranking.list_rank,
        )
        if ranking is not None
        else None,
        officer_matricule=c.officer.matricule if c.officer_id and c.officer else None,
    )


def _result_out(r: StageResult) -> ResultOut:
    return ResultOut(
        application_number=r.candidate.application_number,
        stage=r.stage_id,
        mark=r.mark,
        fit=r.fit,
        absent=r.absent,
        passed=r.passed,
        detail=r.detail,
    )


@router.get(
    "/intakes",
    response={200: IntakePage, **READ_ERRORS},
    summary="Concours",
    description="Concours des agences où vous avez le rôle de recrutement ou d'inspection.",
)
def list_intakes(request: HttpRequest, params: Query[Page]) -> Any:
    viewer = _viewer(request)
    qs = intake_list(viewer=viewer).prefetch_related("stages")
    count = qs.count()
    rows = qs[params.offset : params.offset + params.limit] if params.offset < count else []
    return {"items": [_intake_out(i, list(i.stages.all())) for i in rows], "count": count}


@router.get(
    "/intakes/{intake_id}",
    response={200: IntakeOut, **READ_ERRORS},
    summary="Un concours et ses épreuves",
)
def get_intake(request: HttpRequest, intake_id: ObjectId) -> Any:
    viewer = _viewer(request)
    intake = _intake(viewer, intake_id)
    return _intake_out(intake, list(intake.stages.order_by("order")))


@router.get(
    "/intakes/{intake_id}/candidates",
    response={200: CandidatePage, **READ_ERRORS},
    summary="Candidats d'un concours",
)
def list_candidates(
    request: HttpRequest,
    params: Query[CandidateParams],
    intake_id: ObjectId,
) -> Any:
    viewer = _viewer(request)
    intake = _intake(viewer, intake_id)
    qs = candidate_list(
        intake=intake,
        filters=CandidateFilters(q=params.q, state=params.state, sex=params.sex),
    ).select_related("officer")
    count = qs.count()
    rows = qs[params.offset : params.offset + params.limit] if params.offset < count else []
    return {"items": [_candidate_out(c) for c in rows], "count": count}


@router.get(
    "/intakes/{intake_id}/candidates/{number}",
    response={200: CandidateOut, **READ_ERRORS},
    summary="Un candidat",
)
def get_candidate(request: HttpRequest, number: Text, intake_id: ObjectId) -> Any:
    viewer = _viewer(request)
    intake = _intake(viewer, intake_id)
    try:
        candidate = candidate_get(intake=intake, number=number[:20])
    except Http404:
        raise HttpError(404, _("Candidat introuvable.")) from None
    return _candidate_out(candidate)


@router.get(
    "/intakes/{intake_id}/stages/{stage_id}/results",
    response={200: ResultPage, **READ_ERRORS},
    summary="Résultats d'une épreuve",
)
def list_results(
    request: HttpRequest,
    params: Query[Page],
    intake_id: ObjectId,
    stage_id: ObjectId,
) -> Any:
    viewer = _viewer(request)
    intake = _intake(viewer, intake_id)
    try:
        stage = stage_get(intake=intake, pk=stage_id)
    except Http404:
        raise HttpError(404, _("Épreuve introuvable.")) from None
    qs = (
        StageResult.objects.filter(stage=stage)
        .select_related("candidate")
        .order_by("candidate__application_number", "id")
    )
    count = qs.count()
    rows = qs[params.offset : params.offset + params.limit] if params.offset < count else []
    return {"items": [_result_out(r) for r in rows], "count": count}


@router.post(
    "/intakes/{intake_id}/stages/{stage_id}/results",
    response={201: ResultOut, **ERRORS},
    summary="Saisir ou corriger un résultat",
    description="Même contrôle et même audit que l'écran : un échec ou une absence élimine "
    "le candidat à cette épreuve. Réservé aux chargés du recrutement de l'agence.",
)
def post_result(
    request: HttpRequest,
    payload: ResultIn,
    intake_id: ObjectId,
    stage_id: ObjectId,
) -> Any:
    viewer = _viewer(request)
    intake = _intake(viewer, intake_id, for_edit=True)
    try:
        stage = stage_get(intake=intake, pk=stage_id)
        candidate = candidate_get(intake=intake, number=payload.application_number.strip().upper())
    except Http404:
        raise HttpError(404, _("Épreuve ou candidat introuvable.")) from None
    try:
        result = result_record(
            candidate=candidate,
            stage=stage,
            absent=payload.absent,
            values={k: str(v) for k, v in payload.values.items()},
            note=payload.note,
            by=viewer,
        )
    except ValidationError as error:
        return Status(400, {"detail": _("Résultat refusé."), "errors": validation_messages(error)})
    result.candidate = candidate
    return Status(201, _result_out(result))
