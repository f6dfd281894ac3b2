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

REPORTS = ("headcount", "pyramid", "retirements", "establishment", "retirement_list")


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


BUILDERS = {
    "headcount": _headcount,
    "pyramid": _pyramid,
    "retirements": _retirements,
    "establishment": _establishment,
    "retirement_list": _retirement_list,
}


def build(
    report: str, *, viewer: User, filters: ReportFilters, options: dict[str, Any]
) -> Document:
    return BUILDERS[report](viewer, filters, options)
