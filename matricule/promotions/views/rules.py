"""Rules per target grade and route: the list of versions and a new version."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from matricule.accounts.access import AgencyChoiceNeeded, acting_agency, agency_choice_page
from matricule.core.forms import add_service_errors
from matricule.core.once import submit_once
from matricule.promotions.engine import TIE_BREAKS
from matricule.promotions.forms import RuleForm
from matricule.promotions.selectors.access import MANAGE
from matricule.promotions.selectors.campaigns import rule_list
from matricule.promotions.services.rules import rule_version_create
from matricule.promotions.views.common import manager


@login_required
@require_GET
def rule_list_view(request: HttpRequest) -> HttpResponse:
    viewer = manager(request)
    rules = list(rule_list(viewer=viewer).order_by("target_grade__order", "route", "-version"))
    return render(
        request,
        "promotions/rule_list.html",
        {"rules": rules, "tie_breaks": [t() for t in TIE_BREAKS]},
    )


@login_required
@require_http_methods(["GET", "POST"])
@submit_once
def rule_create_view(request: HttpRequest) -> HttpResponse:
    viewer = manager(request)
    try:
        agency = acting_agency(
            viewer, MANAGE, requested=request.GET.get("agency") or request.POST.get("agency")
        )
    except AgencyChoiceNeeded as choice:
        return agency_choice_page(request, choice)
    form = RuleForm(request.POST or None, agency_id=agency.pk)
    if request.method == "POST" and form.is_valid():
        data = form.values()
        try:
            rule_version_create(
                agency=agency,
                target_grade=data["target_grade"],
                route=data["route"],
                valid_from=data["valid_from"],
                source_grades=data["source_grades"],
                required_courses=data["required_courses"],
                components=form.components(),
                values=data,
                by=viewer,
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("Nouvelle version de la règle enregistrée."))
            return redirect("promotions:rule_list")
    return render(request, "promotions/rule_form.html", {"form": form, "agency": agency})
