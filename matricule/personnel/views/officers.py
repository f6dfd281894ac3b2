"""Officer list, export, record (identity), edit and create; the establishment table."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from matricule.accounts.access import (
    AgencyChoiceNeeded,
    acting_agency,
    agency_choice_page,
    require_perm,
    signed_in,
)
from matricule.accounts.roles import Perm
from matricule.accounts.scopes import agency_ids_with, unit_scope_q
from matricule.core.exports import tabular_response
from matricule.core.forms import add_service_errors
from matricule.core.models import Unit
from matricule.core.once import submit_once
from matricule.personnel import forms as f
from matricule.personnel.filters import PARAMS, filters_from_params, scoped_units
from matricule.personnel.profile import profile_context
from matricule.personnel.selectors import (
    duplicates_by_nina,
    establishment_strength,
    officer_read,
    viewer_perms_for,
)
from matricule.personnel.selectors import officer_list as select_officers
from matricule.personnel.services import (
    Act,
    ConflictError,
    officer_create,
    officer_update,
)
from matricule.personnel.services import (
    officer_export as export_officers,
)

PAGE_SIZE = 50


@login_required
@require_GET
def officer_list(request: HttpRequest) -> HttpResponse:
    viewer = require_perm(request, Perm.PERSONNEL_VIEW)
    filters, errors = filters_from_params(request.GET, viewer=viewer)
    form = f.FilterForm(
        request.GET or None,
        units=scoped_units(viewer),
        agencies=agency_ids_with(viewer, Perm.PERSONNEL_VIEW),
    )
    qs = select_officers(viewer=viewer, filters=filters)
    page = Paginator(qs, PAGE_SIZE).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    sort_query = request.GET.copy()
    sort_query.pop("page", None)
    sort_query.pop("sort", None)
    context = {
        "form": form,
        "page": page,
        "errors": errors,
        "query": query.urlencode(),
        "sort": filters.sort,
        "sort_query": sort_query.urlencode(),
        "can_edit": viewer.has_perm_anywhere(Perm.PERSONNEL_EDIT),
        "can_import": viewer.has_perm_anywhere(Perm.PERSONNEL_IMPORT),
    }
    template = "personnel/_officer_rows.html" if request.htmx else "personnel/officer_list.html"  # type: ignore[attr-defined]
    return render(request, template, context)


@login_required
@require_GET
def officer_export(request: HttpRequest, fmt: str) -> HttpResponseBase:
    """The filtered list as shown (all pages), in CSV or XLSX."""
    if fmt not in ("csv", "xlsx"):
        raise Http404
    viewer = require_perm(request, Perm.PERSONNEL_VIEW)
    filters, _errors = filters_from_params(request.GET, viewer=viewer)
    export = export_officers(
        viewer=viewer,
        filters=filters,
        fmt=fmt,
        params={k: v for k in PARAMS if (v := request.GET.get(k, ""))},
    )
    return tabular_response(
        fmt=fmt,
        filename=f"agents-{timezone.localdate():%Y-%m-%d}",
        title=_("Agents"),
        columns=export.columns,
        rows=export.rows,
    )


@login_required
@require_GET
def officer_profile(request: HttpRequest, matricule: str) -> HttpResponse:
    viewer = signed_in(request)
    officer = officer_read(
        viewer=viewer, matricule=matricule, shows="record", sensitive=("identity", "health")
    )
    context = profile_context(request, viewer=viewer, officer=officer, tab="identity")
    context.update(
        {
            "children": list(officer.children.all()),
            "education": list(officer.education.all()),
            "languages": list(officer.languages.select_related("language")),
            "duplicates": list(duplicates_by_nina(viewer=viewer, officer=officer)),
            "legacy_ids": list(officer.legacy_ids.all()),
        }
    )
    return render(request, "personnel/officer_profile.html", context)


@login_required
@require_http_methods(["GET", "POST"])
@submit_once
def officer_edit(request: HttpRequest, matricule: str) -> HttpResponse:
    viewer = signed_in(request)
    # The form shows the NINA and the blood group to those allowed: a read like the profile.
    officer = officer_read(
        viewer=viewer,
        matricule=matricule,
        shows="record",
        sensitive=("identity", "health"),
        for_edit=True,
        log=request.method == "GET",
    )
    perms = viewer_perms_for(viewer, officer)
    form = f.OfficerForm(
        request.POST or None,
        instance=officer,
        show_nina=Perm.SEE_IDENTITY in perms,
        show_health=Perm.SEE_HEALTH in perms,
    )
    conflict = False
    if request.method == "POST" and form.is_valid():
        data = {k: v for k, v in form.cleaned_data.items() if k != "version"}
        try:
            officer_update(
                officer=officer, data=data, expected_version=form.cleaned_data["version"], by=viewer
            )
        except ConflictError as error:
            conflict = True
            form.add_error(None, str(error))
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("Dossier enregistré."))
            return redirect("personnel:officer_profile", matricule=officer.matricule)
    return render(
        request,
        "personnel/officer_form.html",
        {"form": form, "officer": officer, "conflict": conflict},
        status=409 if conflict else 200,
    )


@login_required
@require_http_methods(["GET", "POST"])
@submit_once
def officer_create_view(request: HttpRequest) -> HttpResponse:
    viewer = require_perm(request, Perm.PERSONNEL_EDIT)
    try:
        agency = acting_agency(viewer, Perm.PERSONNEL_EDIT, requested=request.GET.get("agency"))
    except AgencyChoiceNeeded as choice:
        return agency_choice_page(request, choice)
    units = Unit.objects.filter(
        unit_scope_q(viewer, Perm.PERSONNEL_EDIT), is_active=True, agency_id=agency.pk
    ).order_by("path")
    form = f.OfficerCreateForm(request.POST or None, units=units, agency_id=agency.pk)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        identity = {k: data.get(k) for k in form._meta.fields if k in data}  # type: ignore[union-attr]
        try:
            officer = officer_create(
                agency=agency,
                identity=identity,
                unit=data["unit"],
                grade=data["grade"],
                entry_date=data["entry_date"],
                function=data.get("function") or "",
                origin_service_number=data.get("origin_service_number") or "",
                secondment_end=data.get("secondment_end"),
                act=Act(
                    kind=data.get("act_kind") or "",
                    number=data.get("act_number") or "",
                    date=data.get("act_date"),
                    signatory=data.get("act_signatory"),
                ),
                by=viewer,
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(
                request, _("Dossier créé : matricule %(m)s.") % {"m": officer.matricule}
            )
            return redirect("personnel:officer_profile", matricule=officer.matricule)
    return render(request, "personnel/officer_create.html", {"form": form, "agency": agency})


@login_required
@require_GET
def establishment_view(request: HttpRequest) -> HttpResponse:
    viewer = require_perm(request, Perm.PERSONNEL_VIEW)
    units = scoped_units(viewer)
    code = request.GET.get("unit", "")
    root = next((u for u in units if u.code == code), None) if code else None
    if root is None and units:
        root = units[0]
    rows = establishment_strength(viewer=viewer, root=root, on=timezone.localdate())
    totals = {"authorised": sum(r.authorised for r in rows), "actual": sum(r.actual for r in rows)}
    return render(
        request,
        "personnel/establishment.html",
        {
            "rows": rows,
            "units": units,
            "root": root,
            "totals": totals,
        },
    )
