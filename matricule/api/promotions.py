"""Promotion endpoints: campaigns, eligibility with every criterion, fairness, one's own.

Same scopes as the screens: the HR director and inspectors of the agency, and the members
of a campaign's board, read its lists (never their own case); an officer reads their own.
"""

from __future__ import annotations

import datetime
from typing import Any

from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest
from django.utils import timezone
from django.utils.translation import gettext as _
from ninja import Field, Query, Router, Schema
from ninja.errors import AuthenticationError, HttpError
from ninja.params.functions import Path as path_param

from matricule.accounts.models import User
from matricule.api.schemas import MAX_ID, MAX_OFFSET, ErrorOut
from matricule.corrections.selectors import own_officer
from matricule.personnel.access import export_access_log
from matricule.personnel.models import Channel
from matricule.promotions.models import Campaign
from matricule.promotions.selectors.access import READ_PERMS, campaign_get
from matricule.promotions.selectors.campaigns import (
    campaign_list,
    eligibility_list,
    my_promotion,
    phrased,
    with_labels,
)
from matricule.promotions.selectors.fairness import campaign_fairness

router = Router(tags=["avancement"])

ERRORS: dict[int, Any] = {401: ErrorOut, 403: ErrorOut, 404: ErrorOut, 422: ErrorOut}
Id: Any = path_param(..., ge=1, le=MAX_ID)


class Page(Schema):
    limit: int = Field(50, ge=1, le=500, description="Nombre d'éléments par page (1 à 500).")
    offset: int = Field(0, ge=0, le=MAX_OFFSET, description="Rang du premier élément (0 = début).")


class EligibilityParams(Page):
    eligible: bool | None = Field(
        None, description="true : éligibles seulement ; false : les autres."
    )


class CampaignOut(Schema):
    id: int
    agency: str
    year: int
    name: str
    reference_date: datetime.date
    effective_date: datetime.date
    status: str
    status_label: str


class CampaignPage(Schema):
    items: list[CampaignOut]
    count: int


class CriterionOut(Schema):
    code: str
    label: str
    value: str
    threshold: str
    met: bool
    text: str = Field(description="La phrase en français : valeur, minimum, verdict.")


class ComponentOut(Schema):
    code: str
    label: str
    value: str
    weight: str
    points: str


class EligibilityOut(Schema):
    matricule: str
    full_name: str
    grade: str
    target_grade: str | None
    route: str
    eligible: bool
    points: float
    rank: int | None
    criteria: list[CriterionOut]


class EligibilityPage(Schema):
    items: list[EligibilityOut]
    count: int


class FairnessOut(Schema):
    dimension: str = Field(description="sex, region, corps ou cohort.")
    group: str
    eligible: int
    selected: int
    rate: float
    impact_ratio: float | None = Field(
        description="Taux rapporté au meilleur taux ; sous 0,80 : signalé."
    )
    fisher_p: float | None = Field(description="Test exact de Fisher du groupe contre le reste.")
    flagged: bool


class FairnessPage(Schema):
    items: list[FairnessOut]
    count: int


class MyRowOut(EligibilityOut):
    components: list[ComponentOut]
    lacks: list[str]
    of: int = Field(description="Nombre d'éligibles de la même liste.")


class MyPromotionOut(Schema):
    campaign: CampaignOut | None
    rows: list[MyRowOut]
    decision: str | None = Field(description="Décision publiée de la commission, s'il y en a une.")
    act_number: str | None


def _viewer(request: HttpRequest) -> User:
    user = getattr(request, "auth", None)
    if not isinstance(user, User):
        raise AuthenticationError
    if not any(user.has_perm_anywhere(p) for p in READ_PERMS):
        raise HttpError(403, _("Accès refusé."))
    return user


def _campaign(viewer: User, pk: int) -> Campaign:
    try:
        return campaign_get(viewer=viewer, pk=pk)
    except Http404:
        raise HttpError(404, _("Campagne introuvable : n° %(n)s.") % {"n": pk}) from None
    except PermissionDenied:
        raise HttpError(403, _("Accès refusé.")) from None


def _campaign_out(c: Campaign) -> CampaignOut:
    return CampaignOut(
        id=c.pk,
        agency=c.agency.code,
        year=c.year,
        name=c.name,
        reference_date=c.reference_date,
        effective_date=c.effective_date,
        status=c.status,
        status_label=str(c.get_status_display()),
    )


def _row_out(e: Any) -> dict[str, Any]:
    return {
        "matricule": e.matricule,
        "full_name": e.full_name,
        "grade": e.grade_name,
        "target_grade": e.target_grade.name if e.target_grade else None,
        "route": e.route,
        "eligible": e.eligible,
        "points": float(e.points),
        "rank": e.rank,
        "criteria": with_labels(e.criteria),
    }


@router.get(
    "/promotions/campaigns",
    response={200: CampaignPage, **ERRORS},
    summary="Campagnes d'avancement",
    description="Les campagnes des agences de votre périmètre (directeur RH, inspecteur) et "
    "celles dont vous siégez à la commission.",
)
def list_campaigns(request: HttpRequest, params: Query[Page]) -> Any:
    viewer = _viewer(request)
    qs = campaign_list(viewer=viewer)
    count = qs.count()
    rows = list(qs[params.offset : params.offset + params.limit]) if params.offset < count else []
    return {"items": [_campaign_out(c) for c in rows], "count": count}


@router.get(
    "/promotions/campaigns/{campaign_id}/eligibility",
    response={200: EligibilityPage, **ERRORS},
    summary="Éligibilité d'une campagne",
    description="Chaque agent de la version retenue du calcul, avec chaque critère (valeur, "
    "seuil, verdict), ses points et son rang parmi les éligibles de sa liste. Votre propre "
    "cas n'y figure pas.",
)
def campaign_eligibility(
    request: HttpRequest, params: Query[EligibilityParams], campaign_id: int = Id
) -> Any:
    viewer = _viewer(request)
    campaign = _campaign(viewer, campaign_id)
    qs = eligibility_list(
        viewer=viewer, campaign=campaign, eligible=params.eligible
    ).select_related("target_grade")
    count = qs.count()
    rows = list(qs[params.offset : params.offset + params.limit]) if params.offset < count else []
    export_access_log(
        viewer=viewer,
        agency_id=campaign.agency_id,
        officer_ids=[e.officer_id for e in rows],
        channel=Channel.API,
        classes=["career", "discipline"],
    )
    return {"items": [_row_out(e) for e in phrased(rows)], "count": count}


@router.get(
    "/promotions/campaigns/{campaign_id}/fairness",
    response={200: FairnessPage, **ERRORS},
    summary="Audit d'équité d'une campagne",
    description="Taux de sélection parmi les éligibles par sexe, région d'affectation, corps "
    "et promotion (année d'entrée) ; ratio d'impact (règle des quatre cinquièmes) et test "
    "exact de Fisher de chaque groupe contre le reste.",
)
def campaign_fairness_view(request: HttpRequest, campaign_id: int = Id) -> Any:
    viewer = _viewer(request)
    campaign = _campaign(viewer, campaign_id)
    rows = [r.as_dict() for r in campaign_fairness(campaign)]
    return {"items": rows, "count": len(rows)}


@router.get(
    "/me/promotion",
    response={200: MyPromotionOut, **ERRORS},
    summary="Mon avancement",
    description="La situation de l'agent titulaire du jeton dans la dernière campagne calculée : "
    "chaque critère, chaque composante de points, son rang et ce qui lui manque (404 si le "
    "compte n'est pas celui d'un agent).",
)
def my_promotion_view(request: HttpRequest) -> Any:
    user = getattr(request, "auth", None)
    if not isinstance(user, User):
        raise AuthenticationError
    try:
        officer = own_officer(viewer=user)
    except Http404:
        raise HttpError(404, _("Ce compte n'est pas celui d'un agent.")) from None
    mine = my_promotion(officer=officer, today=timezone.localdate())
    return {
        "campaign": _campaign_out(mine.campaign) if mine.campaign else None,
        "rows": [
            {
                **_row_out(item["row"]),
                "components": item["components"],
                "lacks": [c["text"] for c in item["lacks"]],
                "of": item["of"],
            }
            for item in mine.rows
        ],
        "decision": mine.decision.outcome if mine.decision else None,
        "act_number": mine.decision.act_number if mine.decision else None,
    }
