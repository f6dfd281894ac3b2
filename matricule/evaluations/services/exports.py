"""Exports of the completion dashboard and the calibration report (audited)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django.db import transaction
from django.utils.translation import gettext_lazy as _

from matricule.core.audit import audit_record
from matricule.core.exports import Column
from matricule.core.models import Unit
from matricule.evaluations.models import Cycle, Step
from matricule.evaluations.selectors.reports import STEPS_SHOWN, calibration, completion

if TYPE_CHECKING:
    from matricule.accounts.models import User

COMPLETION_COLUMNS = [
    Column(_("Code"), 12),
    Column(_("Unité"), 40),
    *[Column(Step(step).label, 14) for step in STEPS_SHOWN],
    Column(_("Total"), 10),
    Column(_("En retard"), 10),
    Column(_("Évaluateur à désigner"), 14),
    Column(_("Closes (%)"), 10),
]

CALIBRATION_COLUMNS = [
    Column(_("Notateur"), 36),
    Column(_("Unité de comparaison"), 40),
    Column(_("Évaluations notées"), 12),
    Column(_("Moyenne"), 10),
    Column(_("Écart type"), 10),
    Column(_("Moyenne de l'unité"), 12),
    Column(_("Écart type de l'unité"), 12),
    Column(_("Signalement"), 30),
]


def completion_export(*, viewer: User, cycle: Cycle, unit: Unit | None) -> list[list[Any]]:
    """The rows of the completion table (counts only, no marks) and the audit entry."""
    with transaction.atomic():
        result = completion(viewer=viewer, cycle=cycle, unit=unit)
        rows = [
            [
                r.code,
                r.name,
                *[r.counts[step] for step in STEPS_SHOWN],
                r.total,
                r.overdue,
                r.unassigned,
                r.closed_pct,
            ]
            for r in result.rows
        ]
        audit_record(
            by=viewer,
            action="evaluation.completion.export",
            obj=cycle,
            after={"unit": unit.code if unit else "", "rows": len(rows)},
        )
    return rows


def flag_label(stats: Any) -> str:
    labels = []
    if stats.lenient:
        labels.append(str(_("indulgent")))
    if stats.harsh:
        labels.append(str(_("sévère")))
    if stats.flat:
        labels.append(str(_("notes uniformes")))
    return ", ".join(labels)


def calibration_export(*, viewer: User, cycle: Cycle, unit: Unit | None) -> list[list[Any]]:
    """The calibration lines (aggregates per rater) and the audit entry."""
    with transaction.atomic():
        stats = calibration(viewer=viewer, cycle=cycle, unit=unit)
        rows = [
            [
                st.name,
                st.group_name,
                st.n,
                st.mean,
                st.std,
                st.group_mean,
                st.group_std,
                flag_label(st),
            ]
            for st in stats
        ]
        audit_record(
            by=viewer,
            action="evaluation.calibration.export",
            obj=cycle,
            after={"unit": unit.code if unit else "", "rows": len(rows)},
        )
    return rows
