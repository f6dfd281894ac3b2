"""Missions seen from people: the record's tab, "Mes missions", a head of unit's staff."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from matricule.accounts.access import require_perm, signed_in
from matricule.accounts.roles import Perm
from matricule.deployments.access import READ_PERMS
from matricule.deployments.selectors.operations import officer_assignments, staff_assignments
from matricule.deployments.selectors.readiness import UN_RULES, officer_readiness
from matricule.deployments.views.common import today
from matricule.personnel.access import record_access_log, shown_classes
from matricule.personnel.models import Channel, Officer
from matricule.personnel.profile import profile_context
from matricule.personnel.selectors import officer_get, viewer_perms_for


@login_required
@require_GET
def officer_missions_view(request: HttpRequest, matricule: str) -> HttpResponse:
    """The "Missions" tab of a record: rotation history and UN readiness."""
    viewer = require_perm(request, *READ_PERMS)
    officer = officer_get(viewer=viewer, matricule=matricule)
    perms = viewer_perms_for(viewer, officer)
    if not perms & READ_PERMS:
        raise PermissionDenied
    # The tab shows the missions (career) and the UN readiness, whose clearance is disciplinary.
    record_access_log(
        viewer=viewer,
        officers=[officer],
        channel=Channel.SCREEN,
        classes=shown_classes("career", perms & {Perm.SEE_DISCIPLINE}),
    )
    context = profile_context(request, viewer=viewer, officer=officer, tab="missions")
    context.update(
        {
            "assignments": officer_assignments(officer=officer),
            "readiness": officer_readiness(officer=officer, on=today()),
            "rules": UN_RULES,
        }
    )
    return render(request, "deployments/officer_missions.html", context)


@login_required
@require_GET
def my_missions_view(request: HttpRequest) -> HttpResponse:
    """ "Mes missions" in the officer's own space (/moi/missions/)."""
    user = signed_in(request)
    officer = (
        Officer.objects.select_related("grade", "unit").filter(pk=user.officer_id).first()
        if user.officer_id
        else None
    )
    if officer is None:
        raise Http404
    return render(
        request,
        "deployments/my_missions.html",
        {
            "officer": officer,
            "assignments": officer_assignments(officer=officer),
            "readiness": officer_readiness(officer=officer, on=today()),
            "rules": UN_RULES,
            "tab": "missions",
        },
    )


@login_required
@require_GET
def staff_missions_view(request: HttpRequest) -> HttpResponse:
    """A head of unit's view: the missions of the staff of their unit subtree."""
    viewer = require_perm(request, Perm.DEPLOYMENT_STAFF)
    current = request.GET.get("all") != "1"
    page = Paginator(staff_assignments(viewer=viewer, current_only=current), 50).get_page(
        request.GET.get("page")
    )
    return render(
        request,
        "deployments/staff_missions.html",
        {"page": page, "current": current, "query": "" if current else "all=1"},
    )
