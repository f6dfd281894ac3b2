"""The director's dashboard (/rapports/) and the links to the other domains' figures."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from matricule.accounts.roles import Perm
from matricule.promotions.selectors.access import READ_PERMS as PROMOTION_READ
from matricule.reports import charts
from matricule.reports.charts import ChartRow
from matricule.reports.selectors.dashboard import CERTIFICATE_DAYS, dashboard
from matricule.reports.views.common import (
    filter_query,
    filters_context,
    read_filters,
    report_viewer,
)


@login_required
@require_GET
def dashboard_view(request: HttpRequest) -> HttpResponse:
    viewer = report_viewer(request)
    filters, errors = read_filters(request, viewer)
    board = dashboard(viewer=viewer, filters=filters)
    query = filter_query(request)
    headcount_url = reverse("reports:headcount")
    sep = "&" if query else ""
    region_chart = charts.bars(
        "dash-region",
        _("Agents en service par région"),
        [
            ChartRow(
                key.label,
                (n,),
                f"{headcount_url}?{query}{sep}region={key.code}&group_by=unit" if key.code else "",
            )
            for key, n in board.by_region
        ],
        [_("Agents")],
        label_header=_("Région"),
    )
    band_chart = charts.bars(
        "dash-band",
        _("Agents en service par catégorie"),
        [ChartRow(key.label, (n,)) for key, n in board.by_band],
        [_("Agents")],
        label_header=_("Catégorie"),
    )
    pyramid_chart = charts.bars(
        "dash-pyramid",
        _("Pyramide des âges"),
        [ChartRow(b.label, (b.men, b.women)) for b in board.pyramid.bands],
        [_("Hommes"), _("Femmes")],
        mirror=True,
        label_header=_("Âge"),
    )
    retirements_chart = charts.bars(
        "dash-retirements",
        _("Départs à la retraite prévus"),
        [ChartRow(str(y), (board.retirements.per_year[y],)) for y in board.retirements.years],
        [_("Agents")],
        label_header=_("Année"),
    )
    series_chart = charts.trend(
        "dash-series",
        _("Agents en service, mois par mois"),
        [ChartRow(f"{day:%d/%m/%Y}", (n,)) for day, n in board.series],
        [_("Agents")],
        label_header=_("Date"),
    )
    context = {
        **filters_context(request, viewer, filters, errors),
        "board": board,
        "region_chart": region_chart,
        "band_chart": band_chart,
        "pyramid_chart": pyramid_chart,
        "retirements_chart": retirements_chart,
        "series_chart": series_chart,
        "certificate_days": CERTIFICATE_DAYS,
        "links": domain_links(request),
    }
    return render(request, "reports/dashboard.html", context)


def domain_links(request: HttpRequest) -> list[tuple[str, str, str]]:
    """The other domains' reports, shown to those who may open them."""
    user = request.user
    links: list[tuple[str, str, str]] = []

    def add(perm: str, label: str, url_name: str, hint: str) -> None:
        if user.has_perm_anywhere(perm):  # type: ignore[union-attr]
            links.append((label, reverse(url_name), hint))

    add(
        Perm.RECRUITMENT_VIEW,
        _("Recrutement : entonnoir des concours"),
        "recruitment:intake_list",
        _("Par étape, sexe et région, dans chaque concours."),
    )
    add(
        Perm.TRAINING_NOMINATE,
        _("Formation : couverture des formations obligatoires"),
        "training:coverage",
        _("Qui manque d'une formation exigée ou n'est plus à jour."),
    )
    add(
        Perm.TRAINING_NOMINATE,
        _("Formation : certifications qui expirent"),
        "training:expiring",
        _("Certifications qui expirent dans les 90 jours."),
    )
    add(
        Perm.EVALUATION_VIEW,
        _("Évaluations : avancement par unité et notes par corps"),
        "reports:evaluations",
        _("Évaluations clôturées, en cours et en retard ; distribution des notes finales."),
    )
    if any(user.has_perm_anywhere(p) for p in PROMOTION_READ):  # type: ignore[union-attr]
        links.append(
            (
                _("Avancement : promouvables, promus et équité"),
                reverse("reports:promotions"),
                _("Par grade visé, et l'audit d'équité de chaque campagne."),
            )
        )
    add(
        Perm.DEPLOYMENT_VIEW,
        _("Déploiements : agents par opération et par mois"),
        "reports:deployments",
        _("Agents en mission par opération, mois par mois."),
    )
    add(
        Perm.DEPLOYMENT_VIEW,
        _("Déploiements : aptitude ONU"),
        "deployments:un_roster",
        _("Agents aptes aux missions des Nations unies."),
    )
    return links


@login_required
@require_GET
def deployments_view(request: HttpRequest) -> HttpResponse:
    """Officers deployed per operation and month, and the UN roster's counts."""
    from django.core.exceptions import PermissionDenied
    from django.utils import timezone

    from matricule.reports.selectors.sections import deployments_by_month

    viewer = report_viewer(request)
    if not viewer.has_perm_anywhere(Perm.DEPLOYMENT_VIEW):
        raise PermissionDenied
    data = deployments_by_month(viewer=viewer, on=timezone.localdate())
    chart = charts.bars(
        "deployments",
        _("Agents en mission par mois"),
        [ChartRow(f"{m:%m/%Y}", (n,)) for m, n in zip(data.months, data.totals, strict=True)],
        [_("Agents")],
        label_header=_("Mois"),
    )
    return render(request, "reports/deployments.html", {"data": data, "chart": chart})
