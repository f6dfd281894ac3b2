"""Disciplinary proceedings on the career tab: opened, then closed with their outcome.

Only those who may record a sanction (edit rights over the officer and sight of the
discipline) open or close one; a pending proceeding bars promotion (promotions app).
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from matricule.accounts.access import signed_in
from matricule.accounts.models import User
from matricule.accounts.roles import Perm
from matricule.core.forms import add_service_errors
from matricule.core.once import submit_once
from matricule.personnel import forms as f
from matricule.personnel.access import record_access_log
from matricule.personnel.models import Channel, Officer
from matricule.personnel.profile import profile_context
from matricule.personnel.selectors import (
    disciplinary_cases_visible,
    officer_get,
    viewer_perms_for,
)
from matricule.personnel.services.discipline import (
    disciplinary_case_close,
    disciplinary_case_open,
)


def _officer_for_discipline(viewer: User, matricule: str) -> Officer:
    officer = officer_get(viewer=viewer, matricule=matricule, for_edit=True)
    if Perm.SEE_DISCIPLINE not in viewer_perms_for(viewer, officer):
        raise PermissionDenied
    return officer


def _render(
    request: HttpRequest, viewer: User, officer: Officer, form: object, title: str, submit: str
) -> HttpResponse:
    context = profile_context(request, viewer=viewer, officer=officer, tab="career")
    context.update(
        {
            "form": form,
            "title": title,
            "submit_label": submit,
            "cancel": reverse("personnel:officer_career", args=[officer.matricule]),
        }
    )
    return render(request, "personnel/line_form.html", context)


@login_required
@require_http_methods(["GET", "POST"])
@submit_once
def case_open_view(request: HttpRequest, matricule: str) -> HttpResponse:
    viewer = signed_in(request)
    officer = _officer_for_discipline(viewer, matricule)
    form = f.DisciplinaryCaseOpenForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            disciplinary_case_open(officer=officer, by=viewer, **form.cleaned_data)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("Procédure disciplinaire enregistrée : elle est en cours."))
            return redirect("personnel:officer_career", matricule=officer.matricule)
    return _render(
        request, viewer, officer, form, _("Ouvrir une procédure disciplinaire"), _("Enregistrer")
    )


@login_required
@require_http_methods(["GET", "POST"])
@submit_once
def case_close_view(request: HttpRequest, matricule: str, pk: int) -> HttpResponse:
    viewer = signed_in(request)
    officer = _officer_for_discipline(viewer, matricule)
    case = (
        disciplinary_cases_visible(viewer=viewer, officer=officer)
        .filter(pk=pk, closed_on=None)
        .first()
    )
    if case is None:
        raise Http404
    if request.method == "GET":
        # The form names the proceeding: a read of the officer's discipline.
        record_access_log(
            viewer=viewer,
            officers=[officer],
            channel=Channel.SCREEN,
            classes=["career", "discipline"],
        )
    form = f.DisciplinaryCaseCloseForm(request.POST or None, opened_on=case.opened_on)
    if request.method == "POST" and form.is_valid():
        try:
            disciplinary_case_close(case=case, by=viewer, **form.cleaned_data)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("Procédure close."))
            return redirect("personnel:officer_career", matricule=officer.matricule)
    title = _("Clore la procédure %(reference)s") % {"reference": case.reference}
    return _render(request, viewer, officer, form, title, _("Clore"))
