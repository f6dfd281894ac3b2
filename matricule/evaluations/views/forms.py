"""Evaluation forms per corps, dated versions maintained by the HR director."""

from __future__ import annotations

from decimal import Decimal

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from matricule.accounts.access import require_perm
from matricule.accounts.roles import Perm
from matricule.accounts.scopes import agency_ids_with
from matricule.core.forms import add_service_errors
from matricule.core.models import Corps
from matricule.core.once import submit_once
from matricule.evaluations import forms as f
from matricule.evaluations import services as s
from matricule.evaluations.models import Evaluation, FormVersion
from matricule.evaluations.models.forms import plain
from matricule.personnel.services import ConflictError


@login_required
@require_GET
def form_list_view(request: HttpRequest) -> HttpResponse:
    viewer = require_perm(request, Perm.EVALUATION_VIEW)
    forms = (
        FormVersion.objects.filter(agency_id__in=agency_ids_with(viewer, Perm.EVALUATION_VIEW))
        .select_related("corps", "agency")
        .prefetch_related("criteria")
        .order_by("agency__code", "corps__order", "-valid_from")
    )
    return render(
        request,
        "evaluations/form_list.html",
        {
            "forms": forms,
            "can_manage": viewer.has_perm_anywhere(Perm.EVALUATION_MANAGE),
            "section": "forms",
        },
    )


def _corps(viewer: object) -> object:
    return Corps.objects.filter(agency_id__in=agency_ids_with(viewer, Perm.EVALUATION_MANAGE))  # type: ignore[arg-type]


@login_required
@require_http_methods(["GET", "POST"])
@submit_once
def form_create_view(request: HttpRequest) -> HttpResponse:
    viewer = require_perm(request, Perm.EVALUATION_MANAGE)
    form = f.FormVersionForm(request.POST or None, corps=_corps(viewer))
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            created = s.form_create(
                corps=data["corps"],
                name=data["name"],
                valid_from=data["valid_from"],
                valid_to=data["valid_to"],
                scale_max=data["scale_max"],
                step=Decimal(data["step"]),
                comment_below=data["comment_below"],
                comment_above=data["comment_above"],
                criteria=data["criteria"],
                by=viewer,
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("Fiche de notation créée."))
            return redirect("evaluations:form_edit", pk=created.pk)
    return render(
        request, "evaluations/form_edit.html", {"form": form, "creating": True, "section": "forms"}
    )


@login_required
@require_http_methods(["GET", "POST"])
@submit_once
def form_edit_view(request: HttpRequest, pk: int) -> HttpResponse:
    viewer = require_perm(request, Perm.EVALUATION_MANAGE)
    version = (
        FormVersion.objects.filter(
            agency_id__in=agency_ids_with(viewer, Perm.EVALUATION_MANAGE), pk=pk
        )
        .select_related("corps")
        .first()
    )
    if version is None:
        raise Http404
    criteria = list(version.criteria.all())
    used = Evaluation.objects.filter(form=version).exists()
    form = f.FormVersionForm(
        request.POST or None,
        corps=_corps(viewer),
        editing=True,
        initial={
            "corps": version.corps_id,
            "name": version.name,
            "valid_from": version.valid_from,
            "valid_to": version.valid_to,
            "scale_max": version.scale_max,
            "step": plain(version.step),
            "comment_below": version.comment_below,
            "comment_above": version.comment_above,
            "criteria": f.criteria_text(criteria),
            "version": version.version,
        },
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        new_criteria = data["criteria"]
        same = [(c.code, c.label, c.weight) for c in criteria] == [
            (c.code, c.label, c.weight) for c in new_criteria
        ]
        try:
            s.form_update(
                form=version,
                version=data["version"] or 0,
                name=data["name"],
                valid_to=data["valid_to"],
                scale_max=data["scale_max"],
                step=Decimal(data["step"]),
                comment_below=data["comment_below"],
                comment_above=data["comment_above"],
                criteria=None if same else new_criteria,
                by=viewer,
            )
        except ConflictError as error:
            form.add_error(None, str(error))
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("Fiche de notation enregistrée."))
            return redirect("evaluations:form_edit", pk=version.pk)
    return render(
        request,
        "evaluations/form_edit.html",
        {"form": form, "version_obj": version, "used": used, "section": "forms"},
    )
