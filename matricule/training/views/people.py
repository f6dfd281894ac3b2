"""Training seen from people: an officer's tab, "Mes formations", expiring certifications,
coverage, skill search, certificate download and the public certificate check."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from matricule.accounts.access import require_perm
from matricule.accounts.models import User
from matricule.accounts.roles import Perm
from matricule.core.exports import tabular_response
from matricule.core.forms import add_service_errors
from matricule.core.models import Unit
from matricule.core.ratelimit import over_limit
from matricule.core.refcache import refdata
from matricule.personnel.filters import filters_from_params, scoped_units
from matricule.personnel.profile import profile_context
from matricule.personnel.selectors import officer_list, officer_read, viewer_perms_for
from matricule.training import forms as f
from matricule.training.certificates import (
    certificate_number_from_token,
    certificate_pdf,
)
from matricule.training.models import Certificate, OfficerSkill
from matricule.training.selectors import (
    certificate_for_download,
    coverage,
    expiring_certificates,
    officer_training,
)
from matricule.training.services import officer_skill_add, officer_skill_verify
from matricule.training.services.exports import coverage_export

PUBLIC_LIMIT_PER_MINUTE = 30


@login_required
@require_http_methods(["GET", "POST"])
def officer_training_view(request: HttpRequest, matricule: str) -> HttpResponse:
    """The "Formation" tab of an officer's record, with skill declaration and verification."""
    viewer = require_perm(request, Perm.PERSONNEL_VIEW)
    officer = officer_read(
        viewer=viewer, matricule=matricule, shows="training", log=request.method == "GET"
    )
    perms = viewer_perms_for(viewer, officer)
    can_edit = Perm.PERSONNEL_EDIT in perms or Perm.TRAINING_MANAGE in perms
    form = f.SkillDeclareForm(request.POST if request.method == "POST" else None)
    if request.method == "POST":
        if not can_edit:
            raise PermissionDenied
        if viewer.officer_id == officer.pk:
            # Nobody confirms or declares verified skills on their own record.
            raise PermissionDenied
        if request.POST.get("verify"):
            verify = request.POST["verify"]
            row = (
                OfficerSkill.objects.filter(officer=officer, pk=int(verify)).first()
                if verify.isdigit()
                else None
            )
            if row is None:
                raise Http404
            try:
                officer_skill_verify(row=row, by=viewer)
            except ValidationError as error:
                messages.error(request, " ".join(error.messages))
            else:
                messages.success(request, _("Compétence vérifiée."))
            return redirect("training:officer_training", matricule=officer.matricule)
        if form.is_valid():
            try:
                officer_skill_add(officer=officer, by=viewer, **form.cleaned_data)
            except ValidationError as error:
                add_service_errors(form, error)
            else:
                messages.success(request, _("Compétence ajoutée."))
                return redirect("training:officer_training", matricule=officer.matricule)
    context = profile_context(request, viewer=viewer, officer=officer, tab="training")
    context.update(
        {
            "training": officer_training(officer=officer),
            "form": form,
            "can_declare": can_edit,
        }
    )
    return render(request, "training/officer_training.html", context)


@login_required
@require_GET
def my_training(request: HttpRequest) -> HttpResponse:
    """ "Mes formations": the signed-in officer's own history, certificates and skills."""
    user = request.user
    officer = getattr(user, "officer", None)
    if officer is None:
        raise Http404
    return render(
        request,
        "training/my_training.html",
        {"officer": officer, "training": officer_training(officer=officer)},
    )


@login_required
@require_GET
def certificate_download(request: HttpRequest, number: str) -> HttpResponse:
    user = request.user
    assert isinstance(user, User)
    cert = certificate_for_download(viewer=user, number=number)
    pdf = certificate_pdf(cert, base_url=request.build_absolute_uri("/"))
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="{cert.number}.pdf"'
    return response


@require_GET
def certificate_verify(request: HttpRequest, token: str) -> HttpResponse:
    """Public page opened by the QR: genuine or not, valid or expired. No login."""
    if over_limit(
        request, scope="certificate-check", limit=PUBLIC_LIMIT_PER_MINUTE, window_seconds=60
    ):
        return render(request, "training/certificate_verify.html", {"limited": True}, status=429)
    number = certificate_number_from_token(token)
    cert = None
    if number is not None:
        cert = (
            Certificate.objects.select_related("officer", "course", "enrolment__session")
            .filter(number=number)
            .first()
        )
    today = timezone.localdate()
    return render(
        request,
        "training/certificate_verify.html",
        {
            "certificate": cert,
            "valid": cert is not None and cert.is_valid_on(today),
            "today": today,
        },
        status=200 if cert is not None else 404,
    )


@login_required
@require_GET
def expiring_view(request: HttpRequest) -> HttpResponse:
    viewer = require_perm(request, Perm.TRAINING_MANAGE, Perm.TRAINING_NOMINATE)
    qs = expiring_certificates(viewer=viewer)
    page = Paginator(qs, 50).get_page(request.GET.get("page"))
    return render(request, "training/expiring.html", {"page": page, "query": ""})


def _coverage_unit(request: HttpRequest, viewer: User) -> tuple[Unit | None, list[Any]]:
    units = scoped_units(viewer, Perm.TRAINING_NOMINATE)
    code = request.GET.get("unit", "")
    row = next((u for u in units if u.code == code), None) if code else None
    if row is None and units:
        row = units[0]
    if row is None:
        return None, units
    return Unit(
        id=row.id,
        agency_id=row.agency_id,
        code=row.code,
        name=row.name,
        path=row.path,
        depth=row.depth,
    ), units


@login_required
@require_GET
def coverage_view(request: HttpRequest) -> HttpResponse:
    viewer = require_perm(request, Perm.TRAINING_MANAGE, Perm.TRAINING_NOMINATE)
    unit, units = _coverage_unit(request, viewer)
    report = coverage(viewer=viewer, unit=unit)
    page = Paginator(report.rows, 100).get_page(request.GET.get("page"))
    return render(
        request,
        "training/coverage.html",
        {
            "report": report,
            "units": units,
            "unit": unit,
            "page": page,
            "query": f"unit={unit.code}" if unit else "",
        },
    )


@login_required
@require_GET
def coverage_export_view(request: HttpRequest, fmt: str) -> HttpResponseBase:
    if fmt not in ("csv", "xlsx"):
        raise Http404
    viewer = require_perm(request, Perm.TRAINING_MANAGE, Perm.TRAINING_NOMINATE)
    unit, _units = _coverage_unit(request, viewer)
    export = coverage_export(viewer=viewer, unit=unit, fmt=fmt)
    return tabular_response(
        fmt=fmt,
        filename=f"couverture-{unit.code if unit else 'tout'}-{timezone.localdate():%Y-%m-%d}",
        title=_("Couverture"),
        columns=export.columns,
        rows=export.rows,
    )


@login_required
@require_GET
def skill_search_view(request: HttpRequest) -> HttpResponse:
    """Officers having all the chosen skills at the levels asked, valid on a date, in scope."""
    viewer = require_perm(request, Perm.PERSONNEL_VIEW)
    params = request.GET.copy()
    rows = []
    for i in range(1, 4):
        code, level = params.get(f"c{i}", ""), params.get(f"n{i}", "")
        rows.append((i, code, level))
        if code:
            params.appendlist("skill", f"{code}:{level or 1}")
    filters, errors = filters_from_params(params, viewer=viewer)
    asked = bool(filters.skills or filters.languages)
    page = None
    if asked and not errors:
        page = Paginator(officer_list(viewer=viewer, filters=filters), 50).get_page(
            request.GET.get("page")
        )
    from matricule.core.models import Language, Skill

    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "training/skill_search.html",
        {
            "skills": list(Skill.objects.select_related("category")),
            "languages": list(Language.objects.all()),
            "rows": rows,
            "errors": errors,
            "page": page,
            "asked": asked,
            "units": scoped_units(viewer),
            "grades": refdata().grades_now,
            "unit": request.GET.get("unit", ""),
            "grade": request.GET.get("grade", ""),
            "valid_on": request.GET.get("valid_on", ""),
            "query": query.urlencode(),
        },
    )
