"""The school cohort: creation, training results, assignment table, graduation."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from matricule.accounts.roles import Perm
from matricule.accounts.scopes import agency_ids_with
from matricule.core.forms import add_service_errors, flash_service_errors
from matricule.recruitment import forms as f
from matricule.recruitment import selectors as sel
from matricule.recruitment import services
from matricule.recruitment.selectors import (
    can_manage,
    cohort_get,
    member_get,
)
from matricule.recruitment.services.graduation import cohort_graduate, entry_grade
from matricule.recruitment.services.imports import (
    ImportRefused,
    assignments_import,
)
from matricule.recruitment.views.common import (
    PAGE_SIZE,
    intake_for,
)

# --- Cohort and graduation --------------------------------------------------------------


@login_required
@require_http_methods(["GET", "POST"])
def cohort_view(request: HttpRequest, pk: int) -> HttpResponse:
    """The promotion: create it from the admitted list, then follow its trainees."""
    viewer, intake = intake_for(request, pk)
    cohort = sel.cohort_of(intake)
    if cohort is None:
        if request.method == "POST" and not can_manage(viewer, intake):
            raise PermissionDenied
        form = f.CohortForm(request.POST or None)
        if request.method == "POST" and form.is_valid():
            try:
                services.cohort_create(intake=intake, by=viewer, **form.cleaned_data)
            except ValidationError as error:
                add_service_errors(form, error)
            else:
                messages.success(request, _("Promotion constituée à l'École nationale de police."))
                return redirect("recruitment:cohort", pk=intake.pk)
        return render(
            request,
            "recruitment/cohort_create.html",
            {"intake": intake, "form": form, "can_manage": can_manage(viewer, intake)},
        )
    if request.method == "POST":
        raise PermissionDenied
    members = sel.cohort_members(cohort)
    page = Paginator(members, PAGE_SIZE).get_page(request.GET.get("page"))
    summary = sel.cohort_summary(cohort)
    try:
        grade = entry_grade(intake, timezone.localdate())
    except ValidationError:
        grade = None
    context = {
        "intake": intake,
        "cohort": cohort,
        "page": page,
        "summary": summary,
        "grade": grade,
        "can_manage": can_manage(viewer, intake),
        "graduate_form": f.GraduateForm(initial={"graduated_on": timezone.localdate()}),
        "import_form": f.ImportForm(),
        "can_see_officers": intake.agency_id in agency_ids_with(viewer, Perm.PERSONNEL_VIEW),
    }
    return render(request, "recruitment/cohort.html", context)


@login_required
@require_POST
def cohort_assignments_import(request: HttpRequest, pk: int) -> HttpResponse:
    """The assignment table (and training averages) from one XLSX file."""
    viewer, intake = intake_for(request, pk, edit=True)
    cohort = cohort_get(intake=intake)
    form = f.ImportForm(request.POST, request.FILES)
    problems: list[str] = []
    if not form.is_valid():
        problems = [_("Choisissez un fichier Excel (.xlsx).")]
    else:
        upload = form.cleaned_data["file"]
        try:
            count = assignments_import(
                cohort=cohort, data=upload.read(), filename=upload.name, by=viewer
            )
        except ImportRefused as refused:
            problems = refused.problems
        else:
            messages.success(
                request, _("Tableau d'affectation importé : %(n)s élèves.") % {"n": count}
            )
            return redirect("recruitment:cohort", pk=intake.pk)
    context = {"intake": intake, "problems": problems[:200], "more": len(problems) - 200}
    return render(request, "recruitment/import_refused.html", context, status=400)


@login_required
@require_http_methods(["GET", "POST"])
def member_edit(request: HttpRequest, pk: int, member_pk: int) -> HttpResponse:
    viewer, intake = intake_for(request, pk, edit=True)
    cohort = cohort_get(intake=intake)
    member = member_get(cohort=cohort, pk=member_pk)
    form = f.MemberForm(
        request.POST or None,
        agency_id=intake.agency_id,
        initial={
            "training_mark": member.training_mark,
            "excluded": member.passed is False and member.training_mark is None,
            "remark": member.remark,
            "first_unit": member.first_unit_id,
        },
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.member_update(member=member, by=viewer, **form.cleaned_data)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("Élève mis à jour."))
            return redirect("recruitment:cohort", pk=intake.pk)
    return render(
        request,
        "recruitment/member_form.html",
        {"intake": intake, "cohort": cohort, "member": member, "form": form},
    )


@login_required
@require_POST
def cohort_graduate_view(request: HttpRequest, pk: int) -> HttpResponse:
    viewer, intake = intake_for(request, pk, edit=True)
    cohort = cohort_get(intake=intake)
    form = f.GraduateForm(request.POST)
    if not form.is_valid():
        for errors in form.errors.values():
            for error in errors:
                messages.error(request, str(error))
        return redirect("recruitment:cohort", pk=intake.pk)
    try:
        officers = cohort_graduate(cohort=cohort, by=viewer, **form.cleaned_data)
    except ValidationError as error:
        flash_service_errors(request, error)
    else:
        messages.success(
            request,
            _("Promotion sortie : %(n)s agents créés avec leur matricule et leur affectation.")
            % {"n": len(officers)},
        )
    return redirect("recruitment:cohort", pk=intake.pk)
