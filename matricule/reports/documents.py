"""Each report as a document: its charts and its tables, shared by the XLSX and the PDF.

The XLSX carries the tables (one sheet each, the filters written on the first rows); the
PDF carries the charts and the same tables, A4, in French.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from django.utils.safestring import SafeString
from django.utils.translation import gettext as _
from django_stubs_ext import StrOrPromise

from matricule.core.exports import Column
from matricule.reports import charts
from matricule.reports.charts import ChartRow
from matricule.reports.selectors.ages import age_pyramid, retirement_list, retirements_due
from matricule.reports.selectors.establishment import establishment_strength
from matricule.reports.selectors.headcount import GROUP_KEYS, headcount
from matricule.reports.selectors.people import ReportFilters

if TYPE_CHECKING:
    from matricule.accounts.models import User

REPORTS = (
    "headcount",
    "pyramid",
    "retirements",
    "establishment",
    "retirement_list",
    "deployments",
    "evaluations",
    "promotions",
)


@dataclass
class Table:
    title: StrOrPromise
    columns: list[Column]
    rows: list[list[Any]]


@dataclass
class Document:
    report: str
    title: str
    charts: list[SafeString] = field(default_factory=list)
    tables: list[Table] = field(default_factory=list)
    officer_pairs: list[tuple[int, int]] = field(default_factory=list)  # (officer, agency)

    @property
    def filename(self) -> str:
        return f"rapport-{self.report.replace('_', '-')}"


def _headcount(viewer: User, filters: ReportFilters, options: dict[str, Any]) -> Document:
    group_by = options.get("group_by") or ["unit"]
    result = headcount(viewer=viewer, filters=filters, group_by=group_by)
    doc = Document("headcount", _("Effectifs en service"))
    columns = [Column(GROUP_KEYS[k], 30) for k in group_by]
    columns += [Column(_("Hommes"), 10), Column(_("Femmes"), 10), Column(_("Détachés"), 10)]
    columns.append(Column(_("Total"), 10))
    rows = [
        [
            *[i.keys[k].label for k in group_by],
            i.count - i.women,
            i.women,
            i.seconded,
            i.count,
        ]
        for i in result.items
    ]
    rows.append(
        [
            _("Total"),
            *[""] * (len(group_by) - 1),
            result.total - result.women,
            result.women,
            result.seconded,
            result.total,
        ]
    )
    doc.tables.append(Table(_("Effectifs"), columns, rows))
    first = group_by[0]
    merged: dict[str, list[int]] = {}
    for item in result.items:
        label = item.keys[first].label
        merged.setdefault(label, [0, 0])
        merged[label][0] += item.count - item.women
        merged[label][1] += item.women
    doc.charts.append(
        charts.bars(
            "headcount",
            _("Agents en service par %(k)s") % {"k": str(GROUP_KEYS[first]).lower()},
            [ChartRow(k, (v[0], v[1])) for k, v in merged.items()],
            [_("Hommes"), _("Femmes")],
            label_header=str(GROUP_KEYS[first]),
        )
    )
    return doc


def _pyramid(viewer: User, filters: ReportFilters, options: dict[str, Any]) -> Document:
    pyramid = age_pyramid(viewer=viewer, filters=filters)
    doc = Document("pyramid", _("Pyramide des âges"))
    doc.charts.append(
        charts.bars(
            "pyramid",
            _("Pyramide des âges"),
            [ChartRow(b.label, (b.men, b.women)) for b in pyramid.bands],
            [_("Hommes"), _("Femmes")],
            mirror=True,
            label_header=_("Âge"),
        )
    )
    columns = [Column(_("Tranche d'âge"), 14), Column(_("Hommes"), 10), Column(_("Femmes"), 10)]
    columns += [Column(c.label, 14) for c in pyramid.corps]
    columns.append(Column(_("Total"), 10))
    rows = [
        [b.label, b.men, b.women, *[b.by_corps.get(c.code, 0) for c in pyramid.corps], b.total]
        for b in pyramid.bands
    ]
    doc.tables.append(Table(_("Pyramide des âges"), columns, rows))
    return doc


def _retirements(viewer: User, filters: ReportFilters, options: dict[str, Any]) -> Document:
    due = retirements_due(viewer=viewer, filters=filters, years=options.get("years", 5))
    doc = Document("retirements", _("Départs à la retraite prévus"))
    doc.charts.append(
        charts.bars(
            "retirements",
            _("Départs à la retraite prévus par année"),
            [ChartRow(str(y), (due.per_year[y],)) for y in due.years],
            [_("Agents")],
            label_header=_("Année"),
        )
    )
    for title, data, labels in (
        (_("Par corps"), due.by_corps, due.labels["corps"]),
        (_("Par grade"), due.by_grade, due.labels["grade"]),
        (_("Par unité"), due.by_unit, due.labels["unit"]),
    ):
        columns = [Column(title, 30), *[Column(str(y), 8) for y in due.years]]
        columns.append(Column(_("Total"), 8))
        rows = [
            [labels[code], *[data[code].get(y, 0) for y in due.years], sum(data[code].values())]
            for code in sorted(data, key=lambda c: -sum(data[c].values()))
        ]
        rows.append([_("Total"), *[due.per_year[y] for y in due.years], due.total])
        doc.tables.append(Table(title, columns, rows))
    return doc


def _establishment(viewer: User, filters: ReportFilters, options: dict[str, Any]) -> Document:
    strength = establishment_strength(viewer=viewer, filters=filters)
    doc = Document("establishment", _("Effectifs autorisés et réels"))
    doc.charts.append(
        charts.bars(
            "establishment",
            _("Effectifs autorisés et réels par région"),
            [ChartRow(r.name, (r.authorised, r.actual)) for r in strength.regions],
            [_("Autorisés"), _("Réels")],
            label_header=_("Région"),
        )
    )
    columns = [
        Column(_("Région"), 20),
        Column(_("Unité"), 40),
        Column(_("Catégorie"), 20),
        Column(_("Autorisés"), 10),
        Column(_("Réels"), 10),
        Column(_("Écart"), 10),
    ]
    rows: list[list[Any]] = []
    for region in strength.regions:
        for unit in region.units:
            for cell in unit.cells:
                rows.append(
                    [region.name, unit.unit.name, cell.band, cell.authorised, cell.actual, cell.gap]
                )
            rows.append(
                [
                    region.name,
                    unit.unit.name,
                    _("Sous-total unité"),
                    unit.authorised,
                    unit.actual,
                    unit.gap,
                ]
            )
        rows.append(
            [region.name, "", _("Sous-total région"), region.authorised, region.actual, region.gap]
        )
    rows.append([_("Total"), "", "", strength.authorised, strength.actual, strength.gap])
    doc.tables.append(Table(_("Effectifs"), columns, rows))
    return doc


def _retirement_list(viewer: User, filters: ReportFilters, options: dict[str, Any]) -> Document:
    year = options.get("year") or datetime.date.today().year  # noqa: DTZ011 -- a year only
    people = retirement_list(
        viewer=viewer,
        filters=filters,
        year=year,
        corps=options.get("corps_code", ""),
        grade=options.get("grade_code", ""),
        unit=options.get("unit_code", ""),
    )
    doc = Document(
        "retirement_list", _("Agents atteignant l'âge de la retraite en %(y)s") % {"y": year}
    )
    columns = [
        Column(_("Matricule"), 12),
        Column(_("Nom"), 20),
        Column(_("Prénom(s)"), 20),
        Column(_("Corps"), 20),
        Column(_("Grade"), 20),
        Column(_("Unité"), 36),
        Column(_("Date de naissance"), 14),
        Column(_("Date de retraite"), 14),
    ]
    rows = [
        [
            o.matricule,
            o.family_name,
            o.given_names,
            o.corps.name,
            o.grade.name,
            o.unit.name,
            o.birth_date,
            day,
        ]
        for o, day in people
    ]
    doc.tables.append(Table(doc.title, columns, rows))
    doc.officer_pairs = [(o.pk, o.agency_id) for o, _day in people]
    return doc


def _deployments(viewer: User, filters: ReportFilters, options: dict[str, Any]) -> Document:
    from django.core.exceptions import PermissionDenied

    from matricule.accounts.roles import Perm
    from matricule.reports.selectors.sections import deployments_by_month

    if not viewer.has_perm_anywhere(Perm.DEPLOYMENT_VIEW):
        raise PermissionDenied
    data = deployments_by_month(viewer=viewer, on=filters.as_of)
    doc = Document("deployments", _("Agents en mission par opération et par mois"))
    doc.charts.append(
        charts.bars(
            "deployments",
            _("Agents en mission par mois"),
            [ChartRow(f"{m:%m/%Y}", (n,)) for m, n in zip(data.months, data.totals, strict=True)],
            [_("Agents")],
            label_header=_("Mois"),
        )
    )
    columns = [Column(_("Opération"), 36), *[Column(f"{m:%m/%Y}", 9) for m in data.months]]
    rows: list[list[Any]] = [[op.name, *op.counts] for op in data.operations]
    rows.append([_("Total"), *data.totals])
    doc.tables.append(Table(_("Missions"), columns, rows))
    return doc


def _evaluations(viewer: User, filters: ReportFilters, options: dict[str, Any]) -> Document:
    from django.core.exceptions import PermissionDenied

    from matricule.accounts.roles import Perm
    from matricule.evaluations.selectors import cycle_get
    from matricule.reports.selectors.careers import MARK_BANDS, evaluation_report, latest_cycle

    if not viewer.has_perm_anywhere(Perm.EVALUATION_VIEW):
        raise PermissionDenied
    pk = options.get("cycle")
    cycle = cycle_get(viewer=viewer, pk=pk) if pk else latest_cycle(viewer)
    doc = Document("evaluations", _("Évaluations : avancement et notes"))
    if cycle is None:
        return doc
    data = evaluation_report(viewer=viewer, cycle=cycle)
    columns = [
        Column(_("Unité"), 36),
        Column(_("Évaluations"), 12),
        Column(_("Clôturées"), 12),
        Column(_("En retard"), 12),
    ]
    rows: list[list[Any]] = [
        [r.name, r.total, r.counts.get("closed", 0), r.overdue] for r in data.completion.rows
    ]
    totals = data.completion.totals
    rows.append([_("Total"), totals.total, totals.counts.get("closed", 0), totals.overdue])
    doc.tables.append(Table(str(cycle), columns, rows))
    columns = [Column(_("Corps"), 30), *[Column(name, 9) for _low, name in MARK_BANDS]]
    columns.append(Column(_("Total"), 9))
    doc.tables.append(
        Table(
            _("Notes finales par corps"),
            columns,
            [[d.corps, *d.counts, d.total] for d in data.marks],
        )
    )
    return doc


def _promotions(viewer: User, filters: ReportFilters, options: dict[str, Any]) -> Document:
    from django.core.exceptions import PermissionDenied

    from matricule.promotions.selectors.access import READ_PERMS, campaign_get
    from matricule.promotions.selectors.campaigns import campaign_list
    from matricule.promotions.selectors.fairness import dimension_label
    from matricule.reports.selectors.careers import promotion_report

    if not any(viewer.has_perm_anywhere(p) for p in READ_PERMS):
        raise PermissionDenied
    pk = options.get("campaign")
    campaign = campaign_get(viewer=viewer, pk=pk) if pk else campaign_list(viewer=viewer).first()
    doc = Document("promotions", _("Avancement : promouvables, promus, équité"))
    if campaign is None:
        return doc
    data = promotion_report(viewer=viewer, campaign=campaign)
    doc.charts.append(
        charts.bars(
            "promo-grades",
            _("Promouvables et promus par grade"),
            [ChartRow(g.grade, (g.eligible, g.promoted)) for g in data.grades],
            [_("Promouvables"), _("Promus")],
            label_header=_("Grade visé"),
        )
    )
    doc.tables.append(
        Table(
            campaign.name,
            [Column(_("Grade visé"), 30), Column(_("Promouvables"), 12), Column(_("Promus"), 12)],
            [[g.grade, g.eligible, g.promoted] for g in data.grades],
        )
    )
    doc.tables.append(
        Table(
            _("Audit d'équité"),
            [
                Column(_("Critère"), 16),
                Column(_("Groupe"), 24),
                Column(_("Promouvables"), 12),
                Column(_("Promus"), 10),
                Column(_("Taux"), 10),
                Column(_("Rapport d'impact"), 14),
                Column(_("p (Fisher)"), 12),
            ],
            [
                [
                    dimension_label(r.dimension),
                    r.group,
                    r.eligible,
                    r.selected,
                    r.rate,
                    r.impact_ratio if r.impact_ratio is not None else "",
                    r.fisher_p if r.fisher_p is not None else "",
                ]
                for r in data.fairness
            ],
        )
    )
    return doc


BUILDERS = {
    "headcount": _headcount,
    "pyramid": _pyramid,
    "retirements": _retirements,
    "establishment": _establishment,
    "retirement_list": _retirement_list,
    "deployments": _deployments,
    "evaluations": _evaluations,
    "promotions": _promotions,
}


def build(
    report: str, *, viewer: User, filters: ReportFilters, options: dict[str, Any]
) -> Document:
    return BUILDERS[report](viewer, filters, options)
