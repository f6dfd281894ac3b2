"""Exports of the recruitment app: audited, formatted by core.exports."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django.db import transaction
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from matricule.core.audit import audit_record
from matricule.core.exports import Column, Sheet
from matricule.recruitment.funnel import intake_funnel, region_table
from matricule.recruitment.models import Intake

if TYPE_CHECKING:
    from matricule.accounts.models import User

FUNNEL_COLUMNS = [
    Column(gettext_lazy("Étape"), 30),
    Column(gettext_lazy("Femmes"), 10),
    Column(gettext_lazy("Hommes"), 10),
    Column(gettext_lazy("Total"), 10),
    Column(gettext_lazy("Taux de réussite des femmes"), 14),
    Column(gettext_lazy("Taux de réussite des hommes"), 14),
    Column(gettext_lazy("Ratio d'impact (F/H)"), 12),
    Column(gettext_lazy("Sous la règle des quatre cinquièmes"), 12),
]


def _ratio(value: Any) -> float | None:
    return float(value) if value is not None else None


def funnel_export(*, intake: Intake, by: User) -> list[Sheet]:
    """The funnel by stage and sex, and by region, as two sheets; audited."""
    funnel = intake_funnel(intake=intake)
    steps = [
        [
            step.label,
            step.women,
            step.men,
            step.total,
            _ratio(step.women_rate),
            _ratio(step.men_rate),
            _ratio(step.impact_ratio),
            _("oui") if step.flagged else _("non"),
        ]
        for step in funnel.steps
    ]
    region_columns = [Column(gettext_lazy("Région"), 20)] + [
        Column(step.label, 14) for step in funnel.steps
    ]
    regions = [[region.name, *counts] for region, counts in region_table(funnel)]
    with transaction.atomic():
        audit_record(
            by=by,
            action="intake.funnel_export",
            obj=intake,
            after={"steps": len(steps), "regions": len(regions)},
        )
    return [
        Sheet(gettext_lazy("Entonnoir"), FUNNEL_COLUMNS, steps),
        Sheet(gettext_lazy("Par région"), region_columns, regions),
    ]
