"""The published tableau d'avancement as a French PDF and as XLSX (one consultation row)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from matricule.core.audit import audit_record
from matricule.core.exports import Column, Sheet, workbook_bytes
from matricule.personnel.access import export_access_log
from matricule.personnel.models import Channel
from matricule.promotions.models import Campaign, Decision, Outcome, Route

if TYPE_CHECKING:
    from matricule.accounts.models import User


def tableau_context(campaign: Campaign) -> dict[str, Any]:
    decisions = list(
        Decision.objects.filter(campaign=campaign)
        .select_related("target_grade", "officer", "officer__grade", "eligibility")
        .order_by("target_grade__order", "route", "rank", "officer__matricule")
    )
    grades: dict[str, list[Decision]] = {}
    for d in decisions:
        if d.route != Route.EXCEPTIONAL:
            grades.setdefault(d.target_grade.name, []).append(d)
    board = getattr(campaign, "board", None)
    return {
        "campaign": campaign,
        "board": board,
        "grades": grades,
        "exceptional": [d for d in decisions if d.route == Route.EXCEPTIONAL],
        "deviations": [d for d in decisions if d.deviation],
        "promoted": sum(1 for d in decisions if d.outcome == Outcome.PROMOTED),
        "fairness": campaign.fairness_snapshot,
        "today": timezone.localdate(),
    }


def _log(campaign: Campaign, by: User, fmt: str) -> None:
    ids = list(Decision.objects.filter(campaign=campaign).values_list("officer_id", flat=True))
    export_access_log(
        viewer=by,
        agency_id=campaign.agency_id,
        officer_ids=ids,
        channel=Channel.EXPORT,
        classes=["career", "promotion"],
    )
    audit_record(by=by, action="promotion.export", obj=campaign, after={"format": fmt})


def tableau_pdf(*, campaign: Campaign, by: User) -> bytes:
    from weasyprint import HTML

    _log(campaign, by, "pdf")
    html = render_to_string("promotions/tableau_pdf.html", tableau_context(campaign))
    return bytes(HTML(string=html).write_pdf())


COLUMNS = [
    Column(gettext_lazy("Grade visé"), 24),
    Column(gettext_lazy("Voie"), 22),
    Column(gettext_lazy("Rang"), 8),
    Column(gettext_lazy("Matricule"), 14),
    Column(gettext_lazy("Nom et prénoms"), 30),
    Column(gettext_lazy("Points"), 10),
    Column(gettext_lazy("Décision"), 14),
    Column(gettext_lazy("Acte"), 24),
    Column(gettext_lazy("Justification"), 50),
]


def tableau_xlsx(*, campaign: Campaign, by: User) -> bytes:
    _log(campaign, by, "xlsx")
    rows = [
        [
            d.target_grade.name,
            d.get_route_display(),
            d.rank or "",
            d.officer.matricule,
            d.officer.full_name,
            str(d.eligibility.points) if d.eligibility else "",
            d.get_outcome_display(),
            d.act_number,
            d.justification,
        ]
        for d in Decision.objects.filter(campaign=campaign)
        .select_related("target_grade", "officer", "eligibility")
        .order_by("target_grade__order", "route", "rank", "officer__matricule")
    ]
    return workbook_bytes(
        [
            Sheet(
                title=_("Tableau d'avancement"),
                columns=COLUMNS,
                rows=rows,
                preamble=[(_("Campagne"), campaign.name)],
            )
        ]
    )
