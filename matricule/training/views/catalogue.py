"""Catalogue screens: courses (modules, skills, prerequisites, trainers), required training."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from matricule.accounts.access import acting_agencies, require_perm
from matricule.accounts.models import User
from matricule.accounts.roles import Perm
from matricule.accounts.scopes import agency_ids_with
from matricule.core.forms import add_service_errors, flash_service_errors
from matricule.core.models import Grade
from matricule.training import forms as f
from matricule.training import services as s
from matricule.training.models import Course, CourseModule, RequiredTraining, TrainerQualification
from matricule.training.selectors import course_get, nominee_get


@login_required
@require_GET
def course_list(request: HttpRequest) -> HttpResponse:
    viewer = require_perm(request, Perm.TRAINING_MANAGE, Perm.TRAINING_NOMINATE)
    courses = Course.objects.all()
    if not viewer.has_perm_anywhere(Perm.TRAINING_MANAGE):
        courses = courses.filter(is_published=True)
    return render(
        request,
        "training/course_list.html",
        {"courses": list(courses), "can_manage": viewer.has_perm_anywhere(Perm.TRAINING_MANAGE)},
    )


@login_required
@require_http_methods(["GET", "POST"])
def course_create_view(request: HttpRequest) -> HttpResponse:
    viewer = require_perm(request, Perm.TRAINING_MANAGE)
    form = f.CourseForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            course = s.course_create(data=form.cleaned_data, by=viewer)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(
                request,
                _(
                    "Formation créée. Ajoutez les modules « droits de l'homme » et « genre » "
                    "avant de la publier."
                ),
            )
            return redirect("training:course_detail", code=course.code)
    return render(request, "training/course_form.html", {"form": form})


@login_required
@require_http_methods(["GET", "POST"])
def course_detail(request: HttpRequest, code: str) -> HttpResponse:
    viewer = require_perm(request, Perm.TRAINING_MANAGE, Perm.TRAINING_NOMINATE)
    course = course_get(viewer=viewer, code=code)
    manage = viewer.has_perm_anywhere(Perm.TRAINING_MANAGE)
    if not manage and not course.is_published:
        raise Http404
    what = request.POST.get("what", "") if request.method == "POST" else ""
    if request.method == "POST" and not manage:
        raise PermissionDenied
    module_form = f.ModuleForm(request.POST if what == "module" else None, prefix="m")
    skill_form = f.CourseSkillForm(request.POST if what == "skill" else None, prefix="s")
    prereq_form = f.PrerequisiteCourseForm(request.POST if what == "prereq" else None, prefix="p")
    trainer_form = f.TrainerQualificationForm(
        request.POST if what == "trainer" else None, prefix="t"
    )
    if request.method == "POST":
        done = _course_post(
            request, viewer, course, what, module_form, skill_form, prereq_form, trainer_form
        )
        if done:
            return redirect("training:course_detail", code=course.code)
    return render(
        request,
        "training/course_detail.html",
        {
            "course": course,
            "manage": manage,
            "modules": list(course.modules.all()),
            "grants": list(course.skills.select_related("skill")),
            "prereq_skills": list(course.prerequisite_skills.select_related("skill")),
            "prereq_courses": list(course.prerequisite_courses.all()),
            "trainers": list(
                TrainerQualification.objects.filter(course=course)
                .select_related("officer", "officer__grade")
                .order_by("level", "officer__family_name")
            ),
            "problems": s.publication_problems(course),
            "module_form": module_form,
            "skill_form": skill_form,
            "prereq_form": prereq_form,
            "trainer_form": trainer_form,
        },
    )


def _course_post(
    request: HttpRequest,
    viewer: User,
    course: Course,
    what: str,
    module_form: f.ModuleForm,
    skill_form: f.CourseSkillForm,
    prereq_form: f.PrerequisiteCourseForm,
    trainer_form: f.TrainerQualificationForm,
) -> bool:
    try:
        if what == "publish":
            s.course_publish(course=course, by=viewer)
            messages.success(request, _("Formation publiée au catalogue."))
            return True
        if what == "unpublish":
            s.course_unpublish(course=course, by=viewer)
            messages.success(request, _("Formation retirée du catalogue."))
            return True
        if what == "module_remove":
            raw = request.POST.get("pk", "")
            module = (
                CourseModule.objects.filter(course=course, pk=int(raw)).first()
                if raw.isdigit()
                else None
            )
            if module is None:
                raise Http404
            s.module_remove(module=module, by=viewer)
            messages.success(request, _("Module retiré."))
            return True
        if what == "module" and module_form.is_valid():
            s.module_add(course=course, by=viewer, **module_form.cleaned_data)
            messages.success(request, _("Module ajouté."))
            return True
        if what == "skill" and skill_form.is_valid():
            data = skill_form.cleaned_data
            if data["kind"] == "grant":
                s.course_skill_set(
                    course=course, skill=data["skill"], level=data["level"], by=viewer
                )
            else:
                s.prerequisite_skill_set(
                    course=course, skill=data["skill"], min_level=data["level"], by=viewer
                )
            messages.success(request, _("Compétence enregistrée."))
            return True
        if what == "prereq" and prereq_form.is_valid():
            s.prerequisite_course_add(
                course=course, required=prereq_form.cleaned_data["required"], by=viewer
            )
            messages.success(request, _("Formation préalable ajoutée."))
            return True
        if what == "trainer" and trainer_form.is_valid():
            officer = nominee_get(viewer=viewer, matricule=trainer_form.cleaned_data["matricule"])
            if officer is None or officer.agency_id not in agency_ids_with(
                viewer, Perm.TRAINING_MANAGE
            ):
                trainer_form.add_error("matricule", _("Agent introuvable."))
                return False
            s.trainer_qualification_set(
                officer=officer, course=course, level=trainer_form.cleaned_data["level"], by=viewer
            )
            messages.success(request, _("Parcours de formateur mis à jour."))
            return True
    except ValidationError as error:
        form = {
            "module": module_form,
            "skill": skill_form,
            "prereq": prereq_form,
            "trainer": trainer_form,
        }.get(what)
        if form is not None:
            add_service_errors(form, error)
        else:
            flash_service_errors(request, error)
    return False


@login_required
@require_http_methods(["GET", "POST"])
def required_training_view(request: HttpRequest) -> HttpResponse:
    """Required courses per grade or function (training officer), used by the coverage report."""
    viewer = require_perm(request, Perm.TRAINING_MANAGE, Perm.TRAINING_NOMINATE)
    agencies = agency_ids_with(viewer, Perm.TRAINING_MANAGE)
    manage = bool(agencies)
    grades = Grade.objects.filter(
        statute__agency_id__in=agencies, statute__effective_to__isnull=True
    ).order_by("order")
    managed = acting_agencies(viewer, Perm.TRAINING_MANAGE)
    form = f.RequiredTrainingForm(request.POST or None, grades=grades, agencies=managed)
    if request.method == "POST":
        if not manage:
            raise PermissionDenied
        remove = request.POST.get("remove", "")
        if remove:
            row = RequiredTraining.objects.filter(
                agency_id__in=agencies, pk=int(remove) if remove.isdigit() else 0
            ).first()
            if row is None:
                raise Http404
            s.required_training_remove(row=row, by=viewer)
            messages.success(request, _("Obligation retirée."))
            return redirect("training:required")
        if form.is_valid():
            grade = form.cleaned_data["grade"]
            agency = form.cleaned_data.get("agency") or (
                grade.statute.agency if grade is not None else managed[0]
            )
            try:
                s.required_training_add(
                    agency=agency,
                    course=form.cleaned_data["course"],
                    grade=form.cleaned_data["grade"],
                    function=form.cleaned_data["function"] or "",
                    by=viewer,
                )
            except ValidationError as error:
                add_service_errors(form, error)
            else:
                messages.success(request, _("Obligation ajoutée."))
                return redirect("training:required")
    rows = RequiredTraining.objects.filter(
        agency_id__in=agencies | agency_ids_with(viewer, Perm.TRAINING_NOMINATE)
    ).select_related("course", "grade")
    return render(
        request,
        "training/required.html",
        {"rows": list(rows), "form": form, "manage": manage},
    )


@login_required
@require_http_methods(["GET", "POST"])
def course_edit_view(request: HttpRequest, code: str) -> HttpResponse:
    viewer = require_perm(request, Perm.TRAINING_MANAGE)
    course = course_get(viewer=viewer, code=code)
    initial = {k: getattr(course, k) for k in s.catalogue.COURSE_FIELDS}
    form = f.CourseForm(request.POST or None, initial=initial)
    form.fields["code"].disabled = True
    if request.method == "POST" and form.is_valid():
        try:
            s.course_update(course=course, data=form.cleaned_data, by=viewer)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("Formation enregistrée."))
            return redirect("training:course_detail", code=course.code)
    return render(request, "training/course_form.html", {"form": form, "course": course})
