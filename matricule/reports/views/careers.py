"""Evaluation and promotion reports: completion per unit, marks per corps, eligible against
promoted per grade, and the fairness audit of a campaign."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from matricule.accounts.access import require_perm
from matricule.accounts.roles import Perm
from matricule.evaluations.selectors import cycle_get, cycles_visible
from matricule.promotions.selectors.access import READ_PERMS, campaign_get
from matricule.promotions.selectors.campaigns import campaign_list
from matricule.promotions.selectors.fairness import dimension_label
from matricule.reports import charts
from matricule.reports.charts import ChartRow
from matricule.reports.selectors.careers import MARK_BANDS, evaluation_report, promotion_report


def _pk(request: HttpRequest, name: str) -> int | None:
    raw = request.GET.get(name, "")
    if not raw:
        return None
    if not raw.isdigit() or len(raw) > 12:
        raise Http404
    return int(raw)


@login_required
@require_GET
def evaluations_view(request: HttpRequest) -> HttpResponse:
    viewer = require_perm(request, Perm.EVALUATION_VIEW)
    cycles = list(cycles_visible(viewer=viewer)[:30])
    pk = _pk(request, "cycle")
    cycle = cycle_get(viewer=viewer, pk=pk) if pk else (cycles[0] if cycles else None)
    context: dict[str, object] = {"cycles": cycles, "cycle": cycle}
    if cycle is not None:
        data = evaluation_report(viewer=viewer, cycle=cycle)
        context["data"] = data
        context["completion_chart"] = charts.bars(
            "eval-completion",
            _("Évaluations clôturées et en cours par unité"),
            [
                ChartRow(
                    row.name,
                    (row.counts.get("closed", 0), row.total - row.counts.get("closed", 0)),
                )
                for row in data.completion.rows
            ],
            [_("Clôturées"), _("En cours")],
            label_header=_("Unité"),
        )
        context["mark_charts"] = [
            charts.bars(
                f"eval-marks-{i}",
                _("%(c)s : notes finales") % {"c": dist.corps},
                [
                    ChartRow(name, (n,))
                    for (_low, name), n in zip(MARK_BANDS, dist.counts, strict=True)
                ],
                [_("Agents")],
                label_header=_("Note sur 20"),
            )
            for i, dist in enumerate(data.marks)
        ]
    return render(request, "reports/evaluations.html", context)


@login_required
@require_GET
def promotions_view(request: HttpRequest) -> HttpResponse:
    viewer = require_perm(request, *READ_PERMS)
    campaigns = list(campaign_list(viewer=viewer)[:30])
    pk = _pk(request, "campaign")
    campaign = campaign_get(viewer=viewer, pk=pk) if pk else (campaigns[0] if campaigns else None)
    context: dict[str, object] = {"campaigns": campaigns, "campaign": campaign}
    if campaign is not None:
        data = promotion_report(viewer=viewer, campaign=campaign)
        context["data"] = data
        context["grades_chart"] = charts.bars(
            "promo-grades",
            _("Promouvables et promus par grade"),
            [ChartRow(g.grade, (g.eligible, g.promoted)) for g in data.grades],
            [_("Promouvables"), _("Promus")],
            label_header=_("Grade visé"),
        )
        dimensions: dict[str, list[object]] = {}
        for row in data.fairness:
            dimensions.setdefault(row.dimension, []).append(row)
        context["fairness"] = [(dimension_label(d), rows) for d, rows in dimensions.items()]
    return render(request, "reports/promotions.html", context)
