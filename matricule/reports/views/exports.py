"""Exports of every report: XLSX (the numbers, filters on the first rows) and PDF (A4, French,
with the charts); the monthly state of the force as a PDF to sign. Each one audited."""

from __future__ import annotations

import contextlib
import datetime
from typing import Any

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from matricule.core.exports import Sheet, workbook_response
from matricule.reports.documents import REPORTS, Document
from matricule.reports.filters import PARAMS, filter_description, group_by_param
from matricule.reports.selectors.monthly import monthly_state
from matricule.reports.services import monthly_state_record, report_export
from matricule.reports.views.common import read_filters, report_viewer

FORMATS = ("xlsx", "pdf")


def _options(request: HttpRequest) -> dict[str, Any]:
    group_by, _error = group_by_param(request.GET.get("group_by", ""), ["unit"])
    options: dict[str, Any] = {"group_by": group_by}
    for key in ("cycle", "campaign"):
        raw = request.GET.get(key, "")
        if raw:
            if not raw.isdigit() or len(raw) > 12:
                raise Http404
            options[key] = int(raw)
    for key in ("years", "year"):
        with contextlib.suppress(ValueError):
            options[key] = min(9999, max(1, int(request.GET.get(key, ""))))
    if "years" in options:
        options["years"] = min(10, options["years"])
    for key in ("corps_code", "grade_code", "unit_code"):
        options[key] = request.GET.get(key, "")[:40]
    return options


def render_pdf(html: str) -> bytes:
    from weasyprint import HTML

    return bytes(HTML(string=html).write_pdf())


def _pdf(doc: Document, lines: list[tuple[str, str]], request: HttpRequest) -> HttpResponse:
    html = render_to_string(
        "reports/report_pdf.html",
        {"doc": doc, "lines": lines, "printed_at": timezone.localtime()},
        request=request,
    )
    response = HttpResponse(render_pdf(html), content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="{doc.filename}.pdf"'
    return response


@login_required
@require_GET
def report_export_view(request: HttpRequest, report: str, fmt: str) -> HttpResponse:
    viewer = report_viewer(request)
    if report not in REPORTS or fmt not in FORMATS:
        raise Http404
    filters, _errors = read_filters(request, viewer)
    extra = ("group_by", "year", "cycle", "campaign")
    params = {k: str(v)[:100] for k, v in request.GET.items() if k in (*PARAMS, *extra)}
    doc = report_export(
        viewer=viewer,
        report=report,
        fmt=fmt,
        filters=filters,
        options=_options(request),
        params=params,
    )
    lines = [(str(a), str(b)) for a, b in filter_description(filters)]
    if fmt == "pdf":
        return _pdf(doc, lines, request)
    preamble = [(_("Rapport"), doc.title), *lines]
    sheets = [Sheet(t.title, t.columns, t.rows, preamble) for t in doc.tables]
    return workbook_response(filename=doc.filename, sheets=sheets)


@login_required
@require_GET
def monthly_state_view(request: HttpRequest) -> HttpResponse:
    """The "état des effectifs" of a month, as a PDF a director general signs."""
    viewer = report_viewer(request)
    filters, _errors = read_filters(request, viewer)
    today = timezone.localdate()
    raw = request.GET.get("month", "")
    try:
        month = datetime.date.fromisoformat(raw + "-01") if raw else today.replace(day=1)
    except ValueError:
        month = today.replace(day=1)
    if month > today or month.year < 1900:
        month = today.replace(day=1)
    state = monthly_state(viewer=viewer, filters=filters, month=month)
    monthly_state_record(
        viewer=viewer,
        month=f"{month:%Y-%m}",
        params={k: str(v)[:100] for k, v in request.GET.items() if k in (*PARAMS, "month")},
    )
    lines = [(str(a), str(b)) for a, b in filter_description(filters)[1:]]
    html = render_to_string(
        "reports/monthly_pdf.html",
        {"state": state, "lines": lines, "printed_at": timezone.localtime()},
        request=request,
    )
    response = HttpResponse(render_pdf(html), content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="etat-des-effectifs-{month:%Y-%m}.pdf"'
    return response
