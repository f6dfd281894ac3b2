"""Home page and health check."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.db import connection
from django.http import HttpRequest, HttpResponse, HttpResponsePermanentRedirect, JsonResponse
from django.shortcuts import render
from django.templatetags.static import static
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from matricule.accounts.access import signed_in
from matricule.accounts.hooks import tasks_for
from matricule.accounts.roles import Perm, Role
from matricule.web.selectors import home_counts


@require_GET
@never_cache
def healthz(request: HttpRequest) -> HttpResponse:
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except Exception:  # any database failure means unhealthy
        return JsonResponse({"status": "error", "database": "unreachable"}, status=503)
    return JsonResponse({"status": "ok", "database": "ok"})


@require_GET
def favicon(request: HttpRequest) -> HttpResponse:
    return HttpResponsePermanentRedirect(static("favicon.svg"))


@login_required
@require_GET
def home(request: HttpRequest) -> HttpResponse:
    user = signed_in(request)
    notices = list(user.notifications.order_by("read_at", "-created_at", "-id")[:5])
    return render(
        request,
        "web/home.html",
        {
            "grants": [g for g in user.active_grants if g.role != Role.OFFICER],
            "tasks": tasks_for(user),
            "notices": notices,
            "counts": home_counts(viewer=user),
            "is_admin": user.has_perm_anywhere(Perm.USERS_MANAGE),
        },
    )
