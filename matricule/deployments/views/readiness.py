"""UN police readiness (roster, AMS results) and unit readiness (critical skills, chart)."""

from __future__ import annotations

import datetime

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from matricule.accounts.access import AgencyChoiceNeeded, acting_agency, agency_choice_page
from matricule.accounts.roles import Perm
from matricule.core.forms import add_service_errors
from matricule.deployments import services as s
from matricule.deployments.forms import (
    CriticalSkillForm,
    RosterForm,
    UnAssessmentForm,
    UnitReadinessForm,
)
from matricule.deployments.models import CriticalSkill
from matricule.deployments.selectors.availability import Period
from matricule.deployments.selectors.operations import candidate_officer
from matricule.deployments.selectors.readiness import UN_RULES, un_readiness
from matricule.deployments.selectors.units import critical_skills, unit_readiness
from matricule.deployments.views.common import planner, reader, reading_perm, today, units_for
from matricule.personnel.access import record_access_log
from matricule.personnel.models import Channel

PAGE_SIZE = 50
CHART_WIDTH = 520


@login_required
@require_GET
def un_roster_view(request: HttpRequest) -> HttpResponse:
    viewer = reader(request)
    form = RosterForm(request.GET or None)
    show, armed = "cleared", False
    if form.is_valid():
        show = form.cleaned_data.get("show") or "cleared"
        armed = bool(form.cleaned_data.get("armed"))
    try:
        number = max(1, int(request.GET.get("page", "1")))
    except ValueError:
        number = 1
    roster = un_readiness(
        viewer=viewer,
        perm=reading_perm(viewer),
        on=today(),
        armed=armed,
        show=show,
        offset=(number - 1) * PAGE_SIZE,
        limit=PAGE_SIZE,
    )
    # The discipline verdict is shown (no detail): the consultation is logged.
    record_access_log(
        viewer=viewer,
        officers=[r.officer_id for r in roster.rows],
        channel=Channel.SCREEN,
        classes=["record", "discipline"],
    )
    pages = max(1, -(-roster.count // PAGE_SIZE))
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "deployments/un_roster.html",
        {
            "roster": roster,
            "form": form,
            "rules": UN_RULES,
            "can_plan": viewer.has_perm_anywhere(Perm.DEPLOYMENT_PLAN),
            "tabs": [
                ("cleared", _("Habilités"), roster.cleared),
                ("expiring", _("Expirent sous 90 jours"), roster.expiring),
                ("one_short", _("À une épreuve près"), roster.one_short),
                ("all", _("Tous les agents évalués"), roster.assessed),
            ],
            "armed": armed,
            "query": query.urlencode(),
            "number": number,
            "pages": pages,
            "previous": number - 1 if number > 1 else None,
            "next": number + 1 if number < pages else None,
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def un_assessment_view(request: HttpRequest) -> HttpResponse:
    viewer = planner(request)
    form = UnAssessmentForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            officer = candidate_officer(viewer=viewer, matricule=data["matricule"])
        except Http404:
            form.add_error(
                "matricule",
                _("Aucun agent de votre périmètre n'a le matricule « %(m)s ».")
                % {"m": data["matricule"][:20]},
            )
        else:
            try:
                s.un_assessment_record(
                    officer=officer,
                    test=data["test"],
                    taken_on=data["taken_on"],
                    score=data.get("score"),
                    passed=data.get("passed"),
                    language=data.get("language"),
                    session=data.get("session") or "",
                    by=viewer,
                )
            except ValidationError as error:
                add_service_errors(form, error)
            else:
                messages.success(
                    request,
                    _("Résultat enregistré pour %(name)s.") % {"name": officer.full_name},
                )
                return redirect("deployments:un_assessment")
    return render(request, "deployments/un_assessment_form.html", {"form": form})


def _bars(values: list[tuple[str, int, int]]) -> tuple[list[dict[str, object]], int]:
    top = max([1, *[max(a, b) for _label, a, b in values]])
    bars = []
    for i, (label, now, later) in enumerate(values):
        y = 10 + i * 44
        bars.append(
            {
                "label": label,
                "y": y,
                "y2": y + 17,
                "now": now,
                "later": later,
                "now_w": round(CHART_WIDTH * now / top),
                "later_w": round(CHART_WIDTH * later / top),
            }
        )
    return bars, 20 + len(values) * 44


@login_required
@require_GET
def unit_readiness_view(request: HttpRequest) -> HttpResponse:
    viewer = reader(request)
    perm = reading_perm(viewer)
    units = units_for(viewer, perm)
    form = UnitReadinessForm(request.GET or None, units=units)
    day = today()
    start, end = day, day + datetime.timedelta(days=30)
    root = None
    if form.is_valid():
        data = form.cleaned_data
        if data.get("unit"):
            root = next(u for u in units if u.code == data["unit"])
        start = data.get("start") or start
        end = data.get("end") or max(start, end)
        if end < start:
            end = start
    report = unit_readiness(
        viewer=viewer, perm=perm, root=root, period=Period(start, end), today=day
    )
    bars, height = _bars([(c.skill.name, a, b) for c, a, b in report.bars])
    return render(
        request,
        "deployments/unit_readiness.html",
        {
            "report": report,
            "form": form,
            "bars": bars,
            "chart_height": height,
            "chart_width": CHART_WIDTH + 250,
            "can_plan": viewer.has_perm_anywhere(Perm.DEPLOYMENT_PLAN),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def critical_skills_view(request: HttpRequest) -> HttpResponse:
    viewer = planner(request)
    try:
        agency = acting_agency(
            viewer,
            Perm.DEPLOYMENT_PLAN,
            requested=request.GET.get("agency") or request.POST.get("agency"),
        )
    except AgencyChoiceNeeded as choice:
        return agency_choice_page(request, choice)
    form = CriticalSkillForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        try:
            s.critical_skill_add(
                agency=agency,
                skill=form.cleaned_data["skill"],
                min_level=form.cleaned_data["min_level"],
                by=viewer,
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("Compétence ajoutée à la liste."))
            return redirect("deployments:critical_skills")
    return render(
        request,
        "deployments/critical_skills.html",
        {
            "form": form,
            "skills": [
                c
                for c in critical_skills(viewer=viewer, perm=Perm.DEPLOYMENT_PLAN)
                if c.agency_id == agency.pk
            ],
            "agency": agency,
        },
    )


@login_required
@require_POST
def critical_skill_remove_view(request: HttpRequest, pk: int) -> HttpResponse:
    viewer = planner(request)
    critical = CriticalSkill.objects.filter(pk=pk).select_related("skill").first()
    if critical is None or not any(
        g.agency_id == critical.agency_id for g in viewer.grants_with(Perm.DEPLOYMENT_PLAN)
    ):
        raise Http404
    s.critical_skill_remove(critical=critical, by=viewer)
    messages.success(request, _("Compétence retirée de la liste."))
    return redirect("deployments:critical_skills")
