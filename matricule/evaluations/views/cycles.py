"""Campaigns: open, follow (completion per unit), exclusions, extend, close; calibration."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from matricule.accounts.access import (
    AgencyChoiceNeeded,
    acting_agency,
    agency_choice_page,
    require_perm,
)
from matricule.accounts.roles import Perm
from matricule.accounts.scopes import agency_ids_with, unit_scope_q
from matricule.core.confirm import Confirmation, confirm_page, is_confirmed, posted_values
from matricule.core.exports import tabular_response
from matricule.core.forms import add_service_errors
from matricule.core.models import Unit
from matricule.core.once import submit_once
from matricule.evaluations import forms as f
from matricule.evaluations import services as s
from matricule.evaluations.models import Cycle, CycleStatus, Exclusion
from matricule.evaluations.selectors import (
    calibration,
    completion,
    cycle_get,
    cycles_visible,
    exclusions_of,
)
from matricule.evaluations.selectors.reports import BINS, STEPS_SHOWN
from matricule.evaluations.services.exports import (
    CALIBRATION_COLUMNS,
    COMPLETION_COLUMNS,
    calibration_export,
    completion_export,
    flag_label,
)
from matricule.personnel.services import ConflictError


def _can_manage(viewer: Any, cycle: Cycle) -> bool:
    return cycle.agency_id in agency_ids_with(viewer, Perm.EVALUATION_MANAGE)


@login_required
@require_GET
def cycle_list_view(request: HttpRequest) -> HttpResponse:
    viewer = require_perm(request, Perm.EVALUATION_VIEW)
    cycles = list(cycles_visible(viewer=viewer))
    return render(
        request,
        "evaluations/cycle_list.html",
        {
            "cycles": cycles,
            "can_manage": viewer.has_perm_anywhere(Perm.EVALUATION_MANAGE),
            "section": "cycles",
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
@submit_once
def cycle_open_view(request: HttpRequest) -> HttpResponseBase:
    viewer = require_perm(request, Perm.EVALUATION_MANAGE)
    try:
        agency = acting_agency(
            viewer,
            Perm.EVALUATION_MANAGE,
            requested=request.GET.get("agency") or request.POST.get("agency"),
        )
    except AgencyChoiceNeeded as choice:
        return agency_choice_page(request, choice)
    units = Unit.objects.filter(unit_scope_q(viewer, Perm.EVALUATION_MANAGE), agency=agency)
    today = timezone.localdate()
    form = f.CycleOpenForm(
        request.POST or None,
        units=units,
        initial={
            "year": today.year,
            "period_start": today.replace(month=1, day=1),
            "period_end": today.replace(month=12, day=31),
            "reference_date": today,
        },
    )
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        try:
            report = s.cycle_open(agency=agency, by=viewer, **data)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(
                request,
                _("Campagne ouverte : %(created)d évaluations créées, %(excluded)d agents exclus.")
                % {"created": report.created, "excluded": sum(report.excluded.values())},
            )
            return redirect("evaluations:cycle_detail", pk=report.cycle.pk)
    return render(
        request,
        "evaluations/cycle_open.html",
        {"form": form, "agency": agency, "section": "cycles"},
    )


def _unit_param(request: HttpRequest, viewer: Any, cycle: Cycle) -> Unit | None:
    code = request.GET.get("unite", "").strip()
    if not code:
        return None
    unit = Unit.objects.filter(
        unit_scope_q(viewer, Perm.EVALUATION_VIEW), agency_id=cycle.agency_id, code=code
    ).first()
    if unit is None:
        raise Http404
    return unit


@login_required
@require_GET
def cycle_detail_view(request: HttpRequest, pk: int) -> HttpResponseBase:
    """The completion dashboard: counts per step per unit subtree, drill-down, SVG bars."""
    viewer = require_perm(request, Perm.EVALUATION_VIEW)
    cycle = cycle_get(viewer=viewer, pk=pk)
    unit = _unit_param(request, viewer, cycle)
    if request.GET.get("format") in ("xlsx", "csv"):
        rows = completion_export(viewer=viewer, cycle=cycle, unit=unit)
        return tabular_response(
            fmt=request.GET["format"],
            filename=f"notation-{cycle.year}-avancement",
            title=_("Avancement de la notation"),
            columns=COMPLETION_COLUMNS,
            rows=rows,
            preamble=[(_("Campagne"), str(cycle)), (_("Unité"), unit.name if unit else "")],
        )
    result = completion(viewer=viewer, cycle=cycle, unit=unit)
    extend_form = f.CycleExtendForm(
        initial={
            "version": cycle.version,
            "self_deadline": cycle.self_deadline,
            "rating_deadline": cycle.rating_deadline,
            "review_deadline": cycle.review_deadline,
        }
    )
    return render(
        request,
        "evaluations/cycle_detail.html",
        {
            "cycle": cycle,
            "result": result,
            "steps": STEPS_SHOWN,
            "unit": unit,
            "can_manage": _can_manage(viewer, cycle),
            "extend_form": extend_form,
            "exclusion_count": Exclusion.objects.filter(cycle=cycle).count(),
            "section": "cycles",
        },
    )


@login_required
@require_GET
def exclusions_view(request: HttpRequest, pk: int) -> HttpResponse:
    viewer = require_perm(request, Perm.EVALUATION_VIEW)
    cycle = cycle_get(viewer=viewer, pk=pk)
    page = Paginator(exclusions_of(viewer=viewer, cycle=cycle), 50).get_page(
        request.GET.get("page")
    )
    return render(
        request,
        "evaluations/exclusions.html",
        {
            "cycle": cycle,
            "page": page,
            "can_manage": _can_manage(viewer, cycle) and cycle.status == CycleStatus.OPEN,
            "form": f.ReasonForm(),
            "section": "cycles",
        },
    )


@login_required
@require_POST
@submit_once
def reinstate_view(request: HttpRequest, pk: int, exclusion_pk: int) -> HttpResponse:
    viewer = require_perm(request, Perm.EVALUATION_MANAGE)
    cycle = cycle_get(viewer=viewer, pk=pk, for_edit=True)
    exclusion = exclusions_of(viewer=viewer, cycle=cycle).filter(pk=exclusion_pk).first()
    if exclusion is None:
        raise Http404
    form = f.ReasonForm(request.POST)
    if form.is_valid():
        try:
            evaluation = s.exclusion_reinstate(
                exclusion=exclusion, reason=form.cleaned_data["reason"], by=viewer
            )
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            messages.success(request, _("Agent réintégré : son évaluation est créée."))
            return redirect("evaluations:detail", pk=evaluation.pk)
    else:
        messages.error(request, _("Indiquez le motif de la réintégration."))
    return redirect("evaluations:exclusions", pk=cycle.pk)


@login_required
@require_POST
@submit_once
def cycle_extend_view(request: HttpRequest, pk: int) -> HttpResponse:
    viewer = require_perm(request, Perm.EVALUATION_MANAGE)
    cycle = cycle_get(viewer=viewer, pk=pk, for_edit=True)
    form = f.CycleExtendForm(request.POST)
    if form.is_valid():
        data = form.cleaned_data
        try:
            s.cycle_extend(
                cycle=cycle,
                version=data["version"],
                self_deadline=data["self_deadline"],
                rating_deadline=data["rating_deadline"],
                review_deadline=data["review_deadline"],
                reason=data["reason"],
                by=viewer,
            )
        except (ValidationError, ConflictError) as error:
            messages.error(request, " ".join(getattr(error, "messages", [str(error)])))
        else:
            messages.success(request, _("Échéances prolongées."))
    else:
        messages.error(request, _("Vérifiez les dates et le motif."))
    return redirect("evaluations:cycle_detail", pk=cycle.pk)


@login_required
@require_POST
@submit_once
def cycle_close_view(request: HttpRequest, pk: int) -> HttpResponse:
    """Close (or reopen) a campaign, after a confirmation."""
    viewer = require_perm(request, Perm.EVALUATION_MANAGE)
    cycle = cycle_get(viewer=viewer, pk=pk, for_edit=True)
    reopening = cycle.status == CycleStatus.CLOSED
    if not is_confirmed(request):
        unfinished = cycle.evaluations.exclude(status="closed").count()
        return confirm_page(
            request,
            Confirmation(
                title=_("Rouvrir la campagne") if reopening else _("Clore la campagne"),
                question=str(cycle),
                button=_("Rouvrir") if reopening else _("Clore la campagne"),
                cancel_url=f"/evaluations/campagnes/{cycle.pk}/",
                consequences=[
                    _("Les notes des évaluations closes servent à l'avancement.")
                    if not reopening
                    else _("Les étapes en cours pourront de nouveau avancer.")
                ],
                warnings=[
                    _("%(n)d évaluations ne sont pas closes : elles resteront sans note.")
                    % {"n": unfinished}
                ]
                if unfinished and not reopening
                else [],
                undo=_("Une campagne close peut être rouverte, avec un motif."),
                hidden=posted_values(request),
            ),
        )
    try:
        if reopening:
            reason = request.POST.get("reason", "").strip() or _("Réouverture")
            s.cycle_reopen(cycle=cycle, reason=reason, by=viewer)
        else:
            s.cycle_close(cycle=cycle, by=viewer)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("Campagne rouverte.") if reopening else _("Campagne close."))
    return redirect("evaluations:cycle_detail", pk=cycle.pk)


@login_required
@require_GET
def calibration_view(request: HttpRequest, pk: int) -> HttpResponseBase:
    """Calibration of raters: stats, outlier flags, histograms side by side, export."""
    viewer = require_perm(request, Perm.EVALUATION_VIEW)
    cycle = cycle_get(viewer=viewer, pk=pk)
    unit = _unit_param(request, viewer, cycle)
    if request.GET.get("format") in ("xlsx", "csv"):
        rows = calibration_export(viewer=viewer, cycle=cycle, unit=unit)
        return tabular_response(
            fmt=request.GET["format"],
            filename=f"notation-{cycle.year}-harmonisation",
            title=_("Harmonisation des notateurs"),
            columns=CALIBRATION_COLUMNS,
            rows=rows,
            preamble=[(_("Campagne"), str(cycle))],
        )
    stats = calibration(viewer=viewer, cycle=cycle, unit=unit)
    only_flagged = request.GET.get("signales") == "1"
    shown = [st for st in stats if st.flagged] if only_flagged else stats
    page = Paginator(shown, 40).get_page(request.GET.get("page"))
    for st in page:
        st.flag_text = flag_label(st)  # type: ignore[attr-defined]
    return render(
        request,
        "evaluations/calibration.html",
        {
            "cycle": cycle,
            "page": page,
            "unit": unit,
            "flagged": sum(1 for st in stats if st.flagged),
            "total": len(stats),
            "only_flagged": only_flagged,
            "bins": BINS,
            "section": "cycles",
        },
    )
