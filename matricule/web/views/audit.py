"""The inspectors' audit screen and its export."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from matricule.accounts.access import require_perm
from matricule.accounts.roles import Perm
from matricule.core.exports import FORMATS, tabular_response
from matricule.personnel.filters import scoped_units
from matricule.web.forms import AuditFilterForm
from matricule.web.selectors import audit_entries, audit_rows
from matricule.web.services import audit_export

PAGE_SIZE = 25


def _form(request: HttpRequest) -> tuple[AuditFilterForm, dict[str, object]]:
    user = require_perm(request, Perm.AUDIT_VIEW)
    form = AuditFilterForm(request.GET or None, units=scoped_units(user, Perm.AUDIT_VIEW))
    return form, (form.cleaned_data if form.is_valid() else {})


@login_required
@require_GET
def audit_list(request: HttpRequest) -> HttpResponse:
    user = require_perm(request, Perm.AUDIT_VIEW)
    form, filters = _form(request)
    entries = audit_entries(viewer=user, filters=filters)
    page = Paginator(entries, PAGE_SIZE, allow_empty_first_page=True).get_page(
        request.GET.get("page")
    )
    rows = audit_rows(list(page.object_list))
    query = request.GET.copy()
    query.pop("page", None)
    template = "web/_audit_rows.html" if request.htmx else "web/audit_list.html"  # type: ignore[attr-defined]
    return render(
        request,
        template,
        {"form": form, "page": page, "rows": rows, "query": query.urlencode()},
    )


@login_required
@require_GET
def audit_export_view(request: HttpRequest) -> HttpResponseBase:
    user = require_perm(request, Perm.AUDIT_VIEW)
    fmt = request.GET.get("format", "xlsx")
    if fmt not in FORMATS:
        raise Http404
    _form_obj, filters = _form(request)
    columns, rows = audit_export(viewer=user, filters=dict(filters), fmt=fmt)
    return tabular_response(
        fmt=fmt,
        filename=f"piste-audit-{timezone.localdate():%Y-%m-%d}",
        title=_("Piste d'audit"),
        columns=columns,
        rows=rows,
    )
