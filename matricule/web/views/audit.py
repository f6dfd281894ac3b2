"""The inspectors' audit screen."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from matricule.accounts.access import require_perm
from matricule.accounts.roles import Perm
from matricule.web.forms import AuditFilterForm
from matricule.web.selectors import audit_entries


@login_required
@require_GET
def audit_list(request: HttpRequest) -> HttpResponse:
    user = require_perm(request, Perm.AUDIT_VIEW)
    form = AuditFilterForm(request.GET or None)
    filters = form.cleaned_data if form.is_valid() else {}
    entries = audit_entries(viewer=user, filters=filters)
    page = Paginator(entries, 50, allow_empty_first_page=True).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    template = "web/_audit_rows.html" if request.htmx else "web/audit_list.html"  # type: ignore[attr-defined]
    return render(request, template, {"form": form, "page": page, "query": query.urlencode()})
