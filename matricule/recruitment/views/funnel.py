"""The recruitment funnel: chart and XLSX export."""

from __future__ import annotations

import io

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from matricule.recruitment.funnel import intake_funnel, region_table
from matricule.recruitment.views._common import _intake

# --- Funnel -----------------------------------------------------------------------------


@login_required
@require_GET
def funnel_view(request: HttpRequest, pk: int) -> HttpResponse:
    intake = _intake(request, pk)[1]
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
    intake = _intake(request, pk)[1]
    funnel = intake_funnel(intake=intake)
    from openpyxl import Workbook

    book = Workbook(write_only=True)
    sheet = book.create_sheet(_("Entonnoir"))
    sheet.append(
        [
            _("Étape"),
            _("Femmes"),
            _("Hommes"),
            _("Total"),
            _("Taux de réussite des femmes"),
            _("Taux de réussite des hommes"),
            _("Ratio d'impact (F/H)"),
            _("Sous la règle des quatre cinquièmes"),
        ]
    )
    for step in funnel.steps:
        sheet.append(
            [
                step.label,
                step.women,
                step.men,
                step.total,
                float(step.women_rate) if step.women_rate is not None else None,
                float(step.men_rate) if step.men_rate is not None else None,
                float(step.impact_ratio) if step.impact_ratio is not None else None,
                _("oui") if step.flagged else _("non"),
            ]
        )
    regions = book.create_sheet(_("Par région"))
    regions.append([_("Région"), *[s.label for s in funnel.steps]])
    for region, counts in region_table(funnel):
        regions.append([region.name, *counts])
    out = io.BytesIO()
    book.save(out)
    response = HttpResponse(
        out.getvalue(),
        content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    )
    response["Content-Disposition"] = f'attachment; filename="entonnoir-concours-{intake.pk}.xlsx"'
    return response
