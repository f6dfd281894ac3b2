"""The recruitment funnel: chart and XLSX export."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from matricule.core.exports import workbook_response
from matricule.recruitment.funnel import intake_funnel, region_table
from matricule.recruitment.services.exports import funnel_export as export_funnel
from matricule.recruitment.views.common import intake_for

# --- Funnel -----------------------------------------------------------------------------


@login_required
@require_GET
def funnel_view(request: HttpRequest, pk: int) -> HttpResponse:
    intake = intake_for(request, pk)[1]
    funnel = intake_funnel(intake=intake)
    context = {
        "intake": intake,
        "funnel": funnel,
        "bars": funnel.bars(),
        "regions": region_table(funnel),
        "chart_height": 16 + 34 * len(funnel.steps),
    }
    return render(request, "recruitment/funnel.html", context)


@login_required
@require_GET
def funnel_export(request: HttpRequest, pk: int) -> HttpResponse:
    viewer, intake = intake_for(request, pk)
    sheets = export_funnel(intake=intake, by=viewer)
    return workbook_response(filename=f"entonnoir-concours-{intake.pk}", sheets=sheets)
