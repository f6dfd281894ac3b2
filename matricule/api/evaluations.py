"""Evaluation endpoints: scoped list and detail, one's own, each step, cycle completion.

Same rules as the screens: HR and inspectors read in scope, raters and the officer read
what concerns them; each step is for its actor. The mark is sensitive: every answer that
shows one to someone other than the officer writes its access rows.
"""

from __future__ import annotations

import datetime
from decimal import Decimal
from typing import Any, Literal

from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest
from django.utils.translation import gettext as _
from ninja import Field, Query, Router, Schema
from ninja.errors import AuthenticationError, HttpError
from ninja.params.functions import Path as path_param
from ninja.params.functions import Query as query_param

from matricule.accounts.models import User
from matricule.accounts.roles import Perm
from matricule.api.schemas import MAX_ID, MAX_OFFSET, ErrorOut, Text
from matricule.core.models import Unit
from matricule.evaluations import services as s
from matricule.evaluations.models import Evaluation, Step
from matricule.evaluations.selectors import (
    completion,
    cycle_get,
    cycles_visible,
    evaluation_get,
    evaluation_list,
    my_evaluations,
)
from matricule.evaluations.selectors.reports import STEPS_SHOWN
from matricule.personnel.access import record_access_log
from matricule.personnel.models import Channel
from matricule.personnel.services import ConflictError

router = Router(tags=["évaluations"])

ERRORS: dict[int, Any] = {
    400: ErrorOut,
    401: ErrorOut,
    403: ErrorOut,
    404: ErrorOut,
    409: ErrorOut,
    422: ErrorOut,
}
READ_ERRORS = {k: v for k, v in ERRORS.items() if k != 409}
Id: Any = path_param(..., ge=1, le=MAX_ID, description="Numéro de l'évaluation.")
UnitParam: Any = query_param("", max_length=20, description="Code d'unité à détailler.")
CycleId: Any = path_param(..., ge=1, le=MAX_ID, description="Numéro de la campagne.")


class Page(Schema):
    limit: int = Field(50, ge=1, le=500, description="Nombre d'éléments par page (1 à 500).")
    offset: int = Field(0, ge=0, le=MAX_OFFSET, description="Rang du premier élément (0 = début).")


class ListParams(Page):
    cycle: int | None = Field(None, ge=1, le=MAX_ID, description="Numéro de la campagne.")
    unit: str = Field("", max_length=20, description="Code d'unité : l'unité et ses subdivisions.")
    status: Literal["", "self", "rating", "review", "ack", "appeal", "closed"] = Field(
        "", description="Étape : self, rating, review, ack, appeal ou closed (vide : toutes)."
    )


class EvaluationOut(Schema):
    id: int
    year: int
    cycle: int
    matricule: str
    name: str
    unit: str
    status: str
    status_label: str
    evaluator: str | None
    reviewer: str | None
    due: datetime.date | None
    final_mark: Decimal | None
    version: int


class ScoreOut(Schema):
    criterion: str
    label: str
    weight: Decimal
    score: Decimal | None
    comment: str


class EvaluationDetail(EvaluationOut):
    self_comment: str
    rating_mark: Decimal | None
    rating_comment: str
    review_decision: str
    review_justification: str
    acknowledge_by: datetime.date | None
    appeal_reason: str
    appeal_decision: str
    appeal_reasons: str
    scores: list[ScoreOut]


class EvaluationPage(Schema):
    items: list[EvaluationOut]
    count: int


class StepCount(Schema):
    status: str
    label: str
    count: int


class UnitCompletion(Schema):
    unit: str
    name: str
    total: int
    overdue: int
    unassigned: int
    steps: list[StepCount]


class CompletionOut(Schema):
    cycle: int
    year: int
    total: int
    overdue: int
    unassigned: int
    steps: list[StepCount]
    units: list[UnitCompletion]


class CycleOut(Schema):
    id: int
    year: int
    agency: str
    unit: str | None
    status: str
    reference_date: datetime.date
    self_deadline: datetime.date
    rating_deadline: datetime.date
    review_deadline: datetime.date


class CyclePage(Schema):
    items: list[CycleOut]
    count: int


class Versioned(Schema):
    version: int = Field(..., ge=1, le=2**31 - 1, description="Version lue (verrou optimiste).")


class SelfIn(Versioned):
    comment: Text = Field(..., max_length=5000)


class ScoreIn(Schema):
    criterion: Text = Field(..., max_length=30, description="Code du critère.")
    score: float = Field(..., ge=0, le=100, description="Sur le barème de la fiche.")
    comment: Text = Field("", max_length=2000)


class RatingIn(Versioned):
    scores: list[ScoreIn] = Field(..., max_length=50)
    comment: Text = Field(..., max_length=5000)


class ReviewIn(Versioned):
    decision: str = Field(..., max_length=10, description="agree ou adjust.")
    mark: float | None = Field(None, ge=0, le=20, description="Sur 20, au quart de point.")
    justification: Text = Field("", max_length=5000)


class AppealIn(Versioned):
    reason: Text = Field(..., max_length=5000)


class DecisionIn(Versioned):
    decision: str = Field(..., max_length=10, description="maintained ou revised.")
    mark: float | None = Field(None, ge=0, le=20, description="Sur 20, au quart de point.")
    reasons: Text = Field(..., max_length=5000)


def _decimal(value: float) -> Decimal:
    """A JSON number as the decimal a clerk typed (15.25 stays 15.25)."""
    return Decimal(repr(value))


def _viewer(request: HttpRequest) -> User:
    user = getattr(request, "auth", None)
    if not isinstance(user, User):
        raise AuthenticationError
    return user


def _out(e: Evaluation) -> dict[str, Any]:
    return {
        "id": e.pk,
        "year": e.cycle.year,
        "cycle": e.cycle_id,
        "matricule": e.officer.matricule,
        "name": e.officer.full_name,
        "unit": e.unit.code,
        "status": e.status,
        "status_label": str(e.get_status_display()),
        "evaluator": e.evaluator.matricule if e.evaluator else None,
        "reviewer": e.reviewer.matricule if e.reviewer else None,
        "due": e.due_date(),
        "final_mark": e.final_mark
        if e.status in (Step.ACKNOWLEDGEMENT, Step.APPEAL, Step.CLOSED)
        else None,
        "version": e.version,
    }


def _detail(e: Evaluation) -> dict[str, Any]:
    scores = {sc.criterion_id: sc for sc in e.scores.all()}
    return {
        **_out(e),
        "self_comment": e.self_comment,
        "rating_mark": e.rating_mark,
        "rating_comment": e.rating_comment,
        "review_decision": e.review_decision,
        "review_justification": e.review_justification,
        "acknowledge_by": e.acknowledge_by,
        "appeal_reason": e.appeal_reason,
        "appeal_decision": e.appeal_decision,
        "appeal_reasons": e.appeal_reasons,
        "scores": [
            {
                "criterion": c.code,
                "label": c.label,
                "weight": c.weight,
                "score": scores[c.pk].score if c.pk in scores else None,
                "comment": scores[c.pk].comment if c.pk in scores else "",
            }
            for c in e.form.criteria.all()
        ],
    }


def _log(viewer: User, rows: list[Evaluation]) -> None:
    if rows:
        record_access_log(
            viewer=viewer,
            officers=[e.officer for e in rows],
            channel=Channel.API,
            classes=["evaluation"],
        )


def _get(viewer: User, pk: int, *, for_edit: bool = False) -> Evaluation:
    try:
        return evaluation_get(viewer=viewer, pk=pk, for_edit=for_edit)
    except Http404:
        raise HttpError(404, _("Évaluation introuvable : n° %(n)s.") % {"n": pk}) from None
    except PermissionDenied:
        raise HttpError(403, _("Vous ne pouvez que consulter cette évaluation.")) from None


@router.get(
    "/evaluations",
    response={200: EvaluationPage, **READ_ERRORS},
    summary="Évaluations",
    description="Les évaluations que vous pouvez lire : votre périmètre (RH, inspection), "
    "celles que vous notez ou revoyez, la vôtre. Filtres : campagne, unité (et "
    "subdivisions), étape.",
)
def list_evaluations(request: HttpRequest, params: Query[ListParams]) -> Any:
    viewer = _viewer(request)
    unit = None
    if params.unit:
        unit = Unit.objects.filter(code=params.unit.strip().upper()).first()
        if unit is None:
            raise HttpError(404, _("Unité inconnue : %(code)s.") % {"code": params.unit})
    qs = evaluation_list(
        viewer=viewer, cycle_id=params.cycle, unit=unit, status=params.status or None
    )
    count = qs.count()
    rows = list(qs[params.offset : params.offset + params.limit]) if params.offset < count else []
    _log(viewer, rows)
    return {"items": [_out(e) for e in rows], "count": count}


@router.get(
    "/evaluations/{evaluation_id}",
    response={200: EvaluationDetail, **READ_ERRORS},
    summary="Une évaluation",
    description="L'évaluation avec ses notes par critère et ses étapes.",
)
def get_evaluation(request: HttpRequest, evaluation_id: int = Id) -> Any:
    viewer = _viewer(request)
    evaluation = _get(viewer, evaluation_id)
    _log(viewer, [evaluation])
    return _detail(evaluation)


@router.get(
    "/me/evaluations",
    response={200: EvaluationPage, **READ_ERRORS},
    summary="Mes évaluations",
    description="Vos propres évaluations, de la plus récente à la plus ancienne.",
)
def my_evaluations_api(request: HttpRequest, params: Query[Page]) -> Any:
    viewer = _viewer(request)
    rows = my_evaluations(viewer=viewer)
    return {
        "items": [_out(e) for e in rows[params.offset : params.offset + params.limit]],
        "count": len(rows),
    }


def _step(viewer: User, pk: int, action: Any) -> Any:
    evaluation = _get(viewer, pk, for_edit=True)
    try:
        done = action(evaluation)
    except ConflictError as error:
        raise HttpError(409, str(error)) from None
    except PermissionDenied:
        raise HttpError(403, _("Cette étape n'est pas la vôtre.")) from None
    fresh = evaluation_get(viewer=viewer, pk=done.pk)
    return _detail(fresh)


@router.post(
    "/evaluations/{evaluation_id}/self-assessment",
    response={200: EvaluationDetail, **ERRORS},
    summary="Remettre son auto-évaluation",
)
def post_self(request: HttpRequest, body: SelfIn, evaluation_id: int = Id) -> Any:
    viewer = _viewer(request)
    return _step(
        viewer,
        evaluation_id,
        lambda e: s.evaluation_self_assess(
            evaluation=e, version=body.version, comment=body.comment, by=viewer
        ),
    )


@router.post(
    "/evaluations/{evaluation_id}/rating",
    response={200: EvaluationDetail, **ERRORS},
    summary="Noter (évaluateur)",
    description="Une note par critère de la fiche (code du critère) ; la note finale est "
    "calculée (moyenne pondérée ramenée sur 20).",
)
def post_rating(request: HttpRequest, body: RatingIn, evaluation_id: int = Id) -> Any:
    viewer = _viewer(request)

    def rate(e: Evaluation) -> Evaluation:
        by_code = {c.code: c.pk for c in e.form.criteria.all()}
        unknown = [sc.criterion for sc in body.scores if sc.criterion not in by_code]
        if unknown:
            raise ValidationError(
                {"scores": _("Critères inconnus : %(c)s.") % {"c": ", ".join(unknown)}}
            )
        scores = {
            by_code[sc.criterion]: s.ScoreInput(_decimal(sc.score), sc.comment)
            for sc in body.scores
        }
        return s.evaluation_rate(
            evaluation=e, version=body.version, scores=scores, comment=body.comment, by=viewer
        )

    return _step(viewer, evaluation_id, rate)


@router.post(
    "/evaluations/{evaluation_id}/review",
    response={200: EvaluationDetail, **ERRORS},
    summary="Revue au second niveau",
)
def post_review(request: HttpRequest, body: ReviewIn, evaluation_id: int = Id) -> Any:
    viewer = _viewer(request)
    return _step(
        viewer,
        evaluation_id,
        lambda e: s.evaluation_review(
            evaluation=e,
            version=body.version,
            decision=body.decision,
            mark=None if body.mark is None else _decimal(body.mark),
            justification=body.justification,
            by=viewer,
        ),
    )


@router.post(
    "/evaluations/{evaluation_id}/acknowledgement",
    response={200: EvaluationDetail, **ERRORS},
    summary="Prendre connaissance (agent)",
)
def post_ack(request: HttpRequest, body: Versioned, evaluation_id: int = Id) -> Any:
    viewer = _viewer(request)
    return _step(
        viewer,
        evaluation_id,
        lambda e: s.evaluation_acknowledge(evaluation=e, version=body.version, by=viewer),
    )


@router.post(
    "/evaluations/{evaluation_id}/appeal",
    response={200: EvaluationDetail, **ERRORS},
    summary="Former un recours (agent)",
)
def post_appeal(request: HttpRequest, body: AppealIn, evaluation_id: int = Id) -> Any:
    viewer = _viewer(request)
    return _step(
        viewer,
        evaluation_id,
        lambda e: s.evaluation_appeal(
            evaluation=e, version=body.version, reason=body.reason, by=viewer
        ),
    )


@router.post(
    "/evaluations/{evaluation_id}/appeal-decision",
    response={200: EvaluationDetail, **ERRORS},
    summary="Décider un recours (RH)",
)
def post_decision(request: HttpRequest, body: DecisionIn, evaluation_id: int = Id) -> Any:
    viewer = _viewer(request)
    return _step(
        viewer,
        evaluation_id,
        lambda e: s.evaluation_appeal_decide(
            evaluation=e,
            version=body.version,
            decision=body.decision,
            mark=None if body.mark is None else _decimal(body.mark),
            reasons=body.reasons,
            by=viewer,
        ),
    )


@router.get(
    "/evaluation-cycles",
    response={200: CyclePage, **READ_ERRORS},
    summary="Campagnes de notation",
    description="Les campagnes des agences où vous lisez les évaluations (RH, inspection).",
)
def list_cycles(request: HttpRequest, params: Query[Page]) -> Any:
    viewer = _viewer(request)
    if not viewer.has_perm_anywhere(Perm.EVALUATION_VIEW):
        raise HttpError(403, _("Accès refusé."))
    qs = cycles_visible(viewer=viewer)
    count = qs.count()
    rows = list(qs[params.offset : params.offset + params.limit]) if params.offset < count else []
    return {
        "items": [
            {
                "id": c.pk,
                "year": c.year,
                "agency": c.agency.code,
                "unit": c.unit.code if c.unit else None,
                "status": c.status,
                "reference_date": c.reference_date,
                "self_deadline": c.self_deadline,
                "rating_deadline": c.rating_deadline,
                "review_deadline": c.review_deadline,
            }
            for c in rows
        ],
        "count": count,
    }


def _steps(counts: Any) -> list[dict[str, Any]]:
    return [{"status": st.value, "label": str(st.label), "count": counts[st]} for st in STEPS_SHOWN]


@router.get(
    "/evaluation-cycles/{cycle_id}/completion",
    response={200: CompletionOut, **READ_ERRORS},
    summary="Avancement d'une campagne",
    description="Nombre d'évaluations par étape, en retard et sans évaluateur, pour chaque "
    "unité de premier niveau de votre périmètre (ou les subdivisions de `unit`).",
)
def cycle_completion(
    request: HttpRequest,
    unit: str = UnitParam,
    cycle_id: int = CycleId,
) -> Any:
    viewer = _viewer(request)
    if not viewer.has_perm_anywhere(Perm.EVALUATION_VIEW):
        raise HttpError(403, _("Accès refusé."))
    try:
        cycle = cycle_get(viewer=viewer, pk=cycle_id)
    except Http404:
        raise HttpError(404, _("Campagne introuvable : n° %(n)s.") % {"n": cycle_id}) from None
    unit_obj = None
    if unit:
        unit_obj = Unit.objects.filter(agency_id=cycle.agency_id, code=unit.strip().upper()).first()
        if unit_obj is None:
            raise HttpError(404, _("Unité inconnue : %(code)s.") % {"code": unit})
    result = completion(viewer=viewer, cycle=cycle, unit=unit_obj)
    return {
        "cycle": cycle.pk,
        "year": cycle.year,
        "total": result.totals.total,
        "overdue": result.totals.overdue,
        "unassigned": result.totals.unassigned,
        "steps": _steps(result.totals.counts),
        "units": [
            {
                "unit": r.code,
                "name": r.name,
                "total": r.total,
                "overdue": r.overdue,
                "unassigned": r.unassigned,
                "steps": _steps(r.counts),
            }
            for r in result.rows
        ],
    }
