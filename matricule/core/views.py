"""Home page, health check and the inspectors' audit screen."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db import connection
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from matricule.accounts.roles import Perm
from matricule.core.forms import AuditFilterForm
from matricule.core.selectors import audit_entries, home_counts


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


@login_required
@require_GET
def home(request: HttpRequest) -> HttpResponse:
    user = request.user
    return render(
        request,
        "core/home.html",
        {
            "grants": user.active_grants,  # type: ignore[union-attr]
            "counts": home_counts(viewer=user),  # type: ignore[arg-type]
        },
    )


@login_required
@require_GET
def audit_list(request: HttpRequest) -> HttpResponse:
    user = request.user
    if not user.has_perm_anywhere(Perm.AUDIT_VIEW):  # type: ignore[union-attr]
        raise PermissionDenied
    form = AuditFilterForm(request.GET or None)
    filters = form.cleaned_data if form.is_valid() else {}
    entries = audit_entries(viewer=user, filters=filters)  # type: ignore[arg-type]
    page = Paginator(entries, 50, allow_empty_first_page=True).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    template = "core/_audit_rows.html" if request.htmx else "core/audit_list.html"  # type: ignore[attr-defined]
    return render(request, template, {"form": form, "page": page, "query": query.urlencode()})
