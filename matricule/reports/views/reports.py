"""The report screens: headcount (drill-down), age pyramid, retirements, establishment."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from matricule.core.refcache import refdata
from matricule.reports import charts
from matricule.reports.charts import ChartRow
from matricule.reports.filters import group_by_param
from matricule.reports.selectors.ages import age_pyramid, retirement_list, retirements_due
from matricule.reports.selectors.establishment import establishment_strength
from matricule.reports.selectors.headcount import GROUP_KEYS, cross_table, headcount
from matricule.reports.views.common import filters_context, link, read_filters, report_viewer

DRILL = {"region": "region", "unit": "unit", "corps": "corps", "grade": "grade", "sex": "sex"}
LIST_PAGE = 50


@login_required
@require_GET
def headcount_view(request: HttpRequest) -> HttpResponse:
    viewer = report_viewer(request)
    filters, errors = read_filters(request, viewer)
    group_by, error = group_by_param(request.GET.get("group_by", ""), ["unit"])
    if error:
        errors["group_by"] = error
    result = headcount(viewer=viewer, filters=filters, group_by=group_by)
    first = group_by[0]
    totals: dict[str, tuple[Any, list[int]]] = {}
    for item in result.items:
        key = item.keys[first]
        ident = key.code + key.label
        entry = totals.setdefault(ident, (key, [0, 0]))
        entry[1][0] += item.count - item.women
        entry[1][1] += item.women
    rows = []
    for key, (men, women) in totals.values():
        href = ""
        if first in DRILL and key.code:
            # Drilling keeps the other filters and goes one level down the unit tree.
            href = link(request, **{DRILL[first]: key.code, "group_by": "unit"})
            if first == "unit" and filters.unit is not None and key.code == filters.unit.code:
                href = ""
        rows.append(ChartRow(key.label, (men, women), href))
    chart = charts.bars(
        "headcount",
        _("Agents en service au %(d)s par %(k)s")
        % {"d": f"{filters.as_of:%d/%m/%Y}", "k": str(GROUP_KEYS[first]).lower()},
        rows,
        [_("Hommes"), _("Femmes")],
        label_header=str(GROUP_KEYS[first]),
    )
    cross = None
    if len(group_by) >= 2:
        keys, cols, cells = cross_table(result)
        cross = {
            "cols": cols,
            "matrix": [
                (r, [cells.get((r.code + r.label, c.code + c.label), 0) for c in cols])
                for r in keys
            ],
        }
    crumbs = []
    if filters.unit is not None:
        by_path = {u.path: u for u in refdata().units}
        parts = filters.unit.path.strip("/").split("/")
        for depth in range(len(parts) - 1):
            unit = by_path.get("/".join(parts[: depth + 1]) + "/")
            if unit is not None:
                crumbs.append((unit.name, link(request, unit=unit.code, group_by="unit")))
    context = {
        **filters_context(request, viewer, filters, errors),
        "result": result,
        "chart": chart,
        "cross": cross,
        "group_by": ",".join(group_by),
        "group_keys": GROUP_KEYS,
        "crumbs": crumbs,
        "up": link(request, unit="", group_by="unit") if filters.unit is not None else "",
    }
    return render(request, "reports/headcount.html", context)


@login_required
@require_GET
def pyramid_view(request: HttpRequest) -> HttpResponse:
    viewer = report_viewer(request)
    filters, errors = read_filters(request, viewer)
    pyramid = age_pyramid(viewer=viewer, filters=filters)
    chart = charts.bars(
        "pyramid",
        _("Pyramide des âges au %(d)s") % {"d": f"{filters.as_of:%d/%m/%Y}"},
        [ChartRow(b.label, (b.men, b.women)) for b in pyramid.bands],
        [_("Hommes"), _("Femmes")],
        mirror=True,
        label_header=_("Âge"),
    )
    by_corps = [
        charts.bars(
            f"pyramid-{corps.code.lower()}",
            _("%(c)s : agents par tranche d'âge") % {"c": corps.label},
            [ChartRow(b.label, (b.by_corps.get(corps.code, 0),)) for b in pyramid.bands],
            [_("Agents")],
            label_header=_("Âge"),
        )
        for corps in pyramid.corps
    ]
    context = {
        **filters_context(request, viewer, filters, errors),
        "pyramid": pyramid,
        "chart": chart,
        "by_corps": by_corps,
    }
    return render(request, "reports/pyramid.html", context)


def _years_param(request: HttpRequest) -> int:
    try:
        return min(10, max(1, int(request.GET.get("years", "5"))))
    except ValueError:
        return 5


@login_required
@require_GET
def retirements_view(request: HttpRequest) -> HttpResponse:
    viewer = report_viewer(request)
    filters, errors = read_filters(request, viewer)
    years = _years_param(request)
    due = retirements_due(viewer=viewer, filters=filters, years=years)
    base = request.GET.copy()
    base.pop("page", None)

    def list_link(year: int, **what: str) -> str:
        query = base.copy()
        query["year"] = str(year)
        for k, v in what.items():
            query[k] = v
        return reverse("reports:retirement_list") + "?" + query.urlencode()

    chart = charts.bars(
        "retirements",
        _("Départs à la retraite prévus par année"),
        [ChartRow(str(y), (due.per_year[y],), list_link(y)) for y in due.years],
        [_("Agents")],
        label_header=_("Année"),
    )

    def table(data: dict[str, dict[int, int]], labels: dict[str, str], param: str) -> list[Any]:
        return [
            (
                labels[code],
                [(data[code].get(y, 0), list_link(y, **{param: code})) for y in due.years],
                sum(data[code].values()),
            )
            for code in sorted(data, key=lambda c: -sum(data[c].values()))
        ]

    by_corps_chart = charts.bars(
        "retirements-corps",
        _("Départs prévus par corps (%(a)s–%(b)s)") % {"a": due.years[0], "b": due.years[-1]},
        [
            ChartRow(due.labels["corps"][c], (sum(v.values()),))
            for c, v in sorted(due.by_corps.items())
        ],
        [_("Agents")],
        label_header=_("Corps"),
    )
    context = {
        **filters_context(request, viewer, filters, errors),
        "due": due,
        "years": years,
        "chart": chart,
        "by_corps_chart": by_corps_chart,
        "tables": [
            (_("Par corps"), table(due.by_corps, due.labels["corps"], "corps_code")),
            (_("Par grade"), table(due.by_grade, due.labels["grade"], "grade_code")),
            (_("Par unité"), table(due.by_unit, due.labels["unit"], "unit_code")),
        ],
    }
    return render(request, "reports/retirements.html", context)


def _retirement_people(request: HttpRequest) -> tuple[Any, Any, int, list[Any]]:
    viewer = report_viewer(request)
    filters, _errors = read_filters(request, viewer)
    try:
        year = int(request.GET.get("year", ""))
    except ValueError:
        year = 0
    people = (
        retirement_list(
            viewer=viewer,
            filters=filters,
            year=year,
            corps=request.GET.get("corps_code", "")[:20],
            grade=request.GET.get("grade_code", "")[:20],
            unit=request.GET.get("unit_code", "")[:40],
        )
        if year
        else []
    )
    return viewer, filters, year, people


@login_required
@require_GET
def retirement_list_view(request: HttpRequest) -> HttpResponse:
    """The officers behind one bar of the retirements report."""
    viewer, filters, year, people = _retirement_people(request)
    page = Paginator(people, LIST_PAGE).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    context = {
        **filters_context(request, viewer, filters, {}),
        "year": year,
        "page": page,
        "count": len(people),
        "query": query.urlencode(),
        "what": [
            request.GET.get(k, "")
            for k in ("corps_code", "grade_code", "unit_code")
            if request.GET.get(k)
        ],
    }
    return render(request, "reports/retirement_list.html", context)


@login_required
@require_GET
def establishment_view(request: HttpRequest) -> HttpResponse:
    viewer = report_viewer(request)
    filters, errors = read_filters(request, viewer)
    strength = establishment_strength(viewer=viewer, filters=filters)
    chart = charts.bars(
        "establishment",
        _("Effectifs autorisés et réels par région au %(d)s") % {"d": f"{filters.as_of:%d/%m/%Y}"},
        [
            ChartRow(r.name, (r.authorised, r.actual), link(request, region=r.code))
            for r in strength.regions
        ],
        [_("Autorisés"), _("Réels")],
        label_header=_("Région"),
    )
    context = {
        **filters_context(request, viewer, filters, errors),
        "strength": strength,
        "chart": chart,
        "open_all": bool(filters.region_id or filters.unit),
    }
    return render(request, "reports/establishment.html", context)
