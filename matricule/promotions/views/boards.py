"""The board's screens: the ranked lists and decisions, the fairness audit, the appeals."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from matricule.core.forms import flash_service_errors
from matricule.core.once import submit_once
from matricule.personnel.access import export_access_log
from matricule.personnel.models import Channel, Officer
from matricule.promotions import forms as f
from matricule.promotions.models import Appeal, Board, Campaign, CampaignStatus
from matricule.promotions.selectors.access import campaign_get, can_manage, sits_on
from matricule.promotions.selectors.campaigns import (
    appeals_of,
    decisions_of,
    eligibility_list,
    phrased,
    vacancies,
    with_labels,
)
from matricule.promotions.selectors.fairness import (
    DIMENSIONS,
    bars_svg,
    campaign_fairness,
    dimension_label,
)
from matricule.promotions.services.appeals import appeal_decide
from matricule.promotions.services.boards import (
    audit_acknowledge,
    board_minutes_save,
    decision_record,
)
from matricule.promotions.views.common import reader

LIST_LIMIT = 300


def _board(request: HttpRequest, pk: int) -> tuple[Any, Campaign, Board]:
    viewer = reader(request)
    campaign = campaign_get(viewer=viewer, pk=pk)
    board = getattr(campaign, "board", None)
    if board is None:
        raise Http404
    return viewer, campaign, board


@login_required
@require_GET
def board_view(request: HttpRequest, pk: int) -> HttpResponse:
    viewer, campaign, board = _board(request, pk)
    member = sits_on(viewer, campaign)
    decided = {d.officer_id: d for d in decisions_of(campaign, viewer=viewer)}
    lists: dict[str, list[dict[str, Any]]] = {}
    rows = list(
        eligibility_list(viewer=viewer, campaign=campaign, eligible=True).select_related(
            "target_grade"
        )[:LIST_LIMIT]
    )
    for e in phrased(rows):
        key = f"{e.target_grade.name if e.target_grade else '—'} — {e.get_route_display()}"
        lists.setdefault(key, []).append(
            {"row": e, "criteria": with_labels(e.criteria), "decision": decided.get(e.officer_id)}
        )
    export_access_log(
        viewer=viewer,
        agency_id=campaign.agency_id,
        officer_ids=[e.officer_id for e in rows],
        channel=Channel.SCREEN,
        classes=["career", "discipline"],
    )
    return render(
        request,
        "promotions/board.html",
        {
            "campaign": campaign,
            "board": board,
            "lists": lists,
            "vacancies": vacancies(campaign),
            "member": member,
            "sitting": member and campaign.status == CampaignStatus.BOARD,
            "minutes_form": f.MinutesForm(initial={"minutes": board.minutes}),
            "exceptional": [d for d in decided.values() if d.route == "exceptional"],
            "exceptional_form": f.ExceptionalForm(agency_id=campaign.agency_id),
        },
    )


@login_required
@require_POST
@submit_once
def decision_view(request: HttpRequest, pk: int) -> HttpResponse:
    viewer, campaign, _b = _board(request, pk)
    if not sits_on(viewer, campaign):
        raise PermissionDenied
    form = f.DecisionForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Choisissez une décision."))
        return redirect("promotions:board", pk=campaign.pk)
    data = form.cleaned_data
    officer = Officer.objects.filter(pk=data["officer"], agency_id=campaign.agency_id).first()
    if officer is None:
        raise Http404
    try:
        decision_record(
            campaign=campaign,
            officer=officer,
            outcome=data["outcome"],
            justification=data.get("justification") or "",
            by=viewer,
            eligibility_id=data.get("row"),
        )
    except ValidationError as error:
        flash_service_errors(request, error)
    else:
        messages.success(
            request, _("Décision enregistrée pour %(name)s.") % {"name": officer.full_name}
        )
    return redirect("promotions:board", pk=campaign.pk)


@login_required
@require_POST
@submit_once
def exceptional_view(request: HttpRequest, pk: int) -> HttpResponse:
    """An exceptional promotion: outside the lists, with its justification and its act."""
    viewer, campaign, _b = _board(request, pk)
    if not sits_on(viewer, campaign):
        raise PermissionDenied
    form = f.ExceptionalForm(request.POST, agency_id=campaign.agency_id)
    if not form.is_valid():
        messages.error(request, _("Indiquez l'agent, le grade, la justification et l'acte."))
        return redirect("promotions:board", pk=campaign.pk)
    data = form.cleaned_data
    officer = Officer.objects.filter(
        agency_id=campaign.agency_id, matricule=data["matricule"].strip()
    ).first()
    if officer is None:
        messages.error(request, _("Aucun agent de l'agence n'a ce matricule."))
        return redirect("promotions:board", pk=campaign.pk)
    try:
        decision_record(
            campaign=campaign,
            officer=officer,
            outcome="promoted",
            by=viewer,
            justification=data["justification"],
            act_number=data["act_number"],
            act_date=timezone.localdate(),
            exceptional_grade_id=data["target_grade"].pk,
        )
    except ValidationError as error:
        flash_service_errors(request, error)
    else:
        messages.success(
            request, _("Décision enregistrée pour %(name)s.") % {"name": officer.full_name}
        )
    return redirect("promotions:board", pk=campaign.pk)


@login_required
@require_POST
@submit_once
def minutes_view(request: HttpRequest, pk: int) -> HttpResponse:
    viewer, campaign, board = _board(request, pk)
    form = f.MinutesForm(request.POST)
    if form.is_valid():
        board_minutes_save(board=board, minutes=form.cleaned_data["minutes"], by=viewer)
        messages.success(request, _("Procès-verbal enregistré."))
    return redirect("promotions:board", pk=campaign.pk)


@login_required
@require_http_methods(["GET", "POST"])
@submit_once
def fairness_view(request: HttpRequest, pk: int) -> HttpResponse:
    viewer, campaign, board = _board(request, pk)
    rows = campaign_fairness(campaign)
    form = f.AcknowledgeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            audit_acknowledge(
                board=board,
                comment=form.cleaned_data["comment"],
                fairness=[r.as_dict() for r in rows],
                by=viewer,
            )
        except ValidationError as error:
            flash_service_errors(request, error)
        else:
            messages.success(request, _("Vous avez pris acte de l'audit d'équité."))
            return redirect("promotions:fairness", pk=campaign.pk)
    return render(
        request,
        "promotions/fairness.html",
        {
            "campaign": campaign,
            "board": board,
            "sections": [
                {
                    "label": dimension_label(d),
                    "rows": [r for r in rows if r.dimension == d],
                    "svg": mark_safe(bars_svg(rows, d)),  # noqa: S308 - built from escaped text
                }
                for d in DIMENSIONS
            ],
            "form": form,
            "is_chair": board.chair_id == viewer.pk,
        },
    )


@login_required
@require_GET
def appeals_view(request: HttpRequest, pk: int) -> HttpResponse:
    viewer, campaign, _b = _board(request, pk)
    appeals = [a for a in appeals_of(campaign) if a.officer_id != viewer.officer_id]
    return render(
        request,
        "promotions/appeals.html",
        {
            "campaign": campaign,
            "appeals": appeals,
            "can_decide": can_manage(viewer, campaign.agency_id) or sits_on(viewer, campaign),
            "form": f.AppealDecisionForm(),
        },
    )


@login_required
@require_POST
@submit_once
def appeal_decide_view(request: HttpRequest, pk: int, appeal_pk: int) -> HttpResponse:
    viewer, campaign, _b = _board(request, pk)
    appeal = Appeal.objects.filter(campaign=campaign, pk=appeal_pk).first()
    if appeal is None or appeal.officer_id == viewer.officer_id:
        raise Http404
    form = f.AppealDecisionForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Choisissez la décision et motivez-la."))
    else:
        try:
            appeal_decide(
                appeal=appeal,
                granted=form.cleaned_data["granted"],
                answer=form.cleaned_data["answer"],
                by=viewer,
            )
        except ValidationError as error:
            flash_service_errors(request, error)
        else:
            messages.success(request, _("Recours décidé."))
    return redirect("promotions:appeals", pk=campaign.pk)


@login_required
@require_GET
def appeal_scan_view(request: HttpRequest, pk: int, appeal_pk: int) -> HttpResponse:
    viewer, campaign, _b = _board(request, pk)
    appeal = Appeal.objects.filter(campaign=campaign, pk=appeal_pk).first()
    if appeal is None:
        raise Http404
    export_access_log(
        viewer=viewer,
        agency_id=campaign.agency_id,
        officer_ids=[appeal.officer_id],
        channel=Channel.SCREEN,
        classes=["promotion"],
    )
    with appeal.scan.open("rb") as handle:
        data = handle.read()
    return HttpResponse(data, content_type="application/pdf")
