"""Positions: their requirements, the candidate search, the shortlist export, assignments."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from matricule.accounts.models import User
from matricule.accounts.roles import Perm
from matricule.core.exports import tabular_response
from matricule.core.forms import add_service_errors
from matricule.core.models import Unit
from matricule.core.refcache import refdata
from matricule.deployments import services as s
from matricule.deployments.forms import (
    AssignForm,
    CancelForm,
    EndForm,
    PositionForm,
    RequirementForm,
    SearchForm,
)
from matricule.deployments.models import Assignment, Requirement
from matricule.deployments.selectors.operations import (
    assignment_get,
    can_plan,
    candidate_officer,
    operation_get,
    position_get,
)
from matricule.deployments.selectors.search import (
    DEFAULT_MAX_MISSING,
    EXPORT_LIMIT,
    NEAR_RULE,
    RANKING_RULE,
    SearchFilters,
    candidate_search,
    rotation_label,
    search_period,
    seniority_label,
)
from matricule.deployments.services.exports import SHORTLIST_COLUMNS, shortlist_export
from matricule.deployments.views.common import planner, reader, reading_perm, today, units_for

PAGE_SIZE = 20


def _position_form(
    request: HttpRequest, viewer: User, agency_id: int, **kwargs: Any
) -> PositionForm:
    unit_ids = [u.id for u in units_for(viewer, Perm.DEPLOYMENT_PLAN) if u.agency_id == agency_id]
    return PositionForm(
        request.POST if request.method == "POST" else None,
        agency_id=agency_id,
        unit_ids=unit_ids,
        **kwargs,
    )


def _position_data(form: PositionForm) -> dict[str, Any]:
    data = dict(form.cleaned_data)
    data["sex"] = data.get("sex") or ""
    data["notes"] = data.get("notes") or ""
    return data


@login_required
@require_http_methods(["GET", "POST"])
def position_create_view(request: HttpRequest, pk: int) -> HttpResponse:
    viewer = planner(request)
    operation = operation_get(viewer=viewer, pk=pk, for_edit=True)
    form = _position_form(request, viewer, operation.agency_id)
    if request.method == "POST" and form.is_valid():
        try:
            position = s.position_create(operation=operation, data=_position_data(form), by=viewer)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("Poste créé : précisez ses exigences."))
            return redirect("deployments:position_detail", pk=position.pk)
    return render(
        request,
        "deployments/position_form.html",
        {"form": form, "operation": operation, "position": None},
    )


@login_required
@require_http_methods(["GET", "POST"])
def position_edit_view(request: HttpRequest, pk: int) -> HttpResponse:
    viewer = planner(request)
    position = position_get(viewer=viewer, pk=pk, for_edit=True)
    initial = {name: getattr(position, name) for name in s.operations.POSITION_FIELDS}
    form = _position_form(request, viewer, position.operation.agency_id, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            s.position_update(position=position, data=_position_data(form), by=viewer)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("Poste enregistré."))
            return redirect("deployments:position_detail", pk=position.pk)
    return render(
        request,
        "deployments/position_form.html",
        {"form": form, "operation": position.operation, "position": position},
    )


def _position_page(
    request: HttpRequest, viewer: User, position: Any, form: RequirementForm, status: int = 200
) -> HttpResponse:
    return render(
        request,
        "deployments/position_detail.html",
        {
            "position": position,
            "operation": position.operation,
            "requirements": list(
                position.requirements.select_related("skill", "language").order_by("id")
            ),
            "assignments": list(
                position.assignments.select_related(
                    "officer", "officer__grade", "officer__unit"
                ).order_by("state", "start_date", "id")
            ),
            "can_plan": can_plan(viewer, position.operation),
            "form": form,
        },
        status=status,
    )


@login_required
@require_GET
def position_detail_view(request: HttpRequest, pk: int) -> HttpResponse:
    viewer = reader(request)
    position = position_get(viewer=viewer, pk=pk)
    return _position_page(request, viewer, position, RequirementForm())


@login_required
@require_POST
def requirement_add_view(request: HttpRequest, pk: int) -> HttpResponse:
    viewer = planner(request)
    position = position_get(viewer=viewer, pk=pk, for_edit=True)
    form = RequirementForm(request.POST)
    if form.is_valid():
        data = form.cleaned_data
        try:
            s.requirement_add(
                position=position,
                kind=data["kind"],
                skill=data["skill"],
                language=data["language"],
                min_level=data["min_level"],
                years_held=data["years_held"],
                by=viewer,
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("Exigence ajoutée."))
            return redirect("deployments:position_detail", pk=position.pk)
    return _position_page(request, viewer, position, form, status=400)


@login_required
@require_POST
def requirement_remove_view(request: HttpRequest, pk: int, requirement_pk: int) -> HttpResponse:
    viewer = planner(request)
    position = position_get(viewer=viewer, pk=pk, for_edit=True)
    requirement = Requirement.objects.filter(pk=requirement_pk, position=position).first()
    if requirement is None:
        raise Http404
    s.requirement_remove(requirement=requirement, by=viewer)
    messages.success(request, _("Exigence retirée."))
    return redirect("deployments:position_detail", pk=position.pk)


def _search_filters(
    request: HttpRequest, viewer: User, perm: str
) -> tuple[SearchForm, SearchFilters, dict[str, Any]]:
    ref = refdata()
    units = units_for(viewer, perm)
    form = SearchForm(request.GET or None, units=units, regions=ref.regions, grades=ref.grades_now)
    filters = SearchFilters()
    dates: dict[str, Any] = {"start": None, "end": None}
    if form.is_valid():
        data = form.cleaned_data
        dates = {"start": data.get("start"), "end": data.get("end")}
        if data.get("unit"):
            row = next(u for u in units if u.code == data["unit"])
            filters.unit = Unit(id=row.id, agency_id=row.agency_id, code=row.code, path=row.path)
        if data.get("region"):
            filters.region_id = next(r.pk for r in ref.regions if r.code == data["region"])
        if data.get("grade"):
            filters.grade = next(g for g in ref.grades_now if g.code == data["grade"])
        max_missing = data.get("max_missing")
        filters.max_missing = DEFAULT_MAX_MISSING if max_missing is None else max_missing
        filters.include_unavailable = bool(data.get("include_unavailable"))
    return form, filters, dates


@login_required
@require_GET
def position_search_view(request: HttpRequest, pk: int) -> HttpResponse:
    """The ranked candidates of a position, with what each matches and lacks."""
    viewer = reader(request)
    perm = reading_perm(viewer)
    position = position_get(viewer=viewer, pk=pk)
    form, filters, dates = _search_filters(request, viewer, perm)
    day = today()
    period = search_period(position, start=dates["start"], end=dates["end"], today=day)
    try:
        number = max(1, int(request.GET.get("page", "1")))
    except ValueError:
        number = 1
    result = candidate_search(
        viewer=viewer,
        perm=perm,
        position=position,
        period=period,
        filters=filters,
        offset=(number - 1) * PAGE_SIZE,
        limit=PAGE_SIZE,
        today=day,
    )
    query = request.GET.copy()
    query.pop("page", None)
    pages = max(1, -(-result.total // PAGE_SIZE))
    return render(
        request,
        "deployments/position_search.html",
        {
            "position": position,
            "operation": position.operation,
            "form": form,
            "result": result,
            "rows": [(c, rotation_label(c, period), seniority_label(c)) for c in result.rows],
            "ranking_rule": RANKING_RULE,
            "near_rule": NEAR_RULE % {"n": filters.max_missing},
            "can_plan": can_plan(viewer, position.operation),
            "query": query.urlencode(),
            "number": number,
            "pages": pages,
            "previous": number - 1 if number > 1 else None,
            "next": number + 1 if number < pages else None,
            "period_start": period.start,
            "period_end": period.end,
        },
    )


@login_required
@require_GET
def position_export_view(request: HttpRequest, pk: int, fmt: str) -> HttpResponseBase:
    if fmt not in ("xlsx", "csv"):
        raise Http404
    viewer = reader(request)
    perm = reading_perm(viewer)
    position = position_get(viewer=viewer, pk=pk)
    _form, filters, dates = _search_filters(request, viewer, perm)
    day = today()
    period = search_period(position, start=dates["start"], end=dates["end"], today=day)
    result = candidate_search(
        viewer=viewer,
        perm=perm,
        position=position,
        period=period,
        filters=filters,
        limit=EXPORT_LIMIT,
        today=day,
    )
    rows = shortlist_export(viewer=viewer, position=position, result=result, fmt=fmt)
    return tabular_response(
        fmt=fmt,
        filename=f"candidats-poste-{position.pk}-{period.start:%Y%m%d}",
        title=_("Candidats"),
        columns=SHORTLIST_COLUMNS,
        rows=rows,
        preamble=[
            (_("Opération"), position.operation.name),
            (_("Poste"), position.title),
            (_("Période"), period.label),
            (_("Classement"), str(RANKING_RULE)),
        ],
    )


@login_required
@require_POST
def assign_view(request: HttpRequest, pk: int) -> HttpResponse:
    viewer = planner(request)
    position = position_get(viewer=viewer, pk=pk, for_edit=True)
    form = AssignForm(request.POST)
    back = request.POST.get("next") or reverse("deployments:position_detail", args=[position.pk])
    if not back.startswith("/") or back.startswith("//"):
        back = reverse("deployments:position_detail", args=[position.pk])
    if not form.is_valid():
        messages.error(request, _("Indiquez le matricule de l'agent."))
        return redirect(back)
    try:
        officer = candidate_officer(viewer=viewer, matricule=form.cleaned_data["matricule"])
    except Http404:
        messages.error(
            request,
            _("Aucun agent de votre périmètre n'a le matricule « %(m)s ».")
            % {"m": form.cleaned_data["matricule"][:20]},
        )
        return redirect(back)
    try:
        assignment = s.assignment_create(
            position=position,
            officer=officer,
            start_date=form.cleaned_data.get("start_date"),
            end_date=form.cleaned_data.get("end_date"),
            by=viewer,
        )
    except ValidationError as error:
        for message in error.messages:
            messages.error(request, message)
    else:
        messages.success(
            request,
            _("%(name)s est affecté(e) au poste « %(title)s » (%(days)s).")
            % {
                "name": officer.full_name,
                "title": position.title,
                "days": assignment.days_label(),
            },
        )
    return redirect(back)


def _assignment_back(assignment: Assignment) -> HttpResponse:
    return redirect("deployments:position_detail", pk=assignment.position_id)


@login_required
@require_http_methods(["GET", "POST"])
def assignment_end_view(request: HttpRequest, pk: int) -> HttpResponse:
    viewer = planner(request)
    assignment = assignment_get(viewer=viewer, pk=pk)
    form = EndForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        try:
            s.assignment_end(
                assignment=assignment,
                last_day=form.cleaned_data["last_day"],
                reason=form.cleaned_data["reason"],
                by=viewer,
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("Fin de mission enregistrée."))
            return _assignment_back(assignment)
    return render(
        request,
        "deployments/assignment_end.html",
        {"form": form, "assignment": assignment, "action": "end"},
    )


@login_required
@require_http_methods(["GET", "POST"])
def assignment_cancel_view(request: HttpRequest, pk: int) -> HttpResponse:
    viewer = planner(request)
    assignment = assignment_get(viewer=viewer, pk=pk)
    form = CancelForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        try:
            s.assignment_cancel(
                assignment=assignment, reason=form.cleaned_data["reason"], by=viewer
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("Affectation annulée."))
            return _assignment_back(assignment)
    return render(
        request,
        "deployments/assignment_end.html",
        {"form": form, "assignment": assignment, "action": "cancel"},
    )
