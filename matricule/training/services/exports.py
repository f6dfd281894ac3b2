"""Exports of the training app: audited, formatted by core.exports."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from django.utils.translation import gettext_lazy as _

from matricule.core.audit import audit_record
from matricule.core.exports import Column
from matricule.core.models import Unit
from matricule.personnel.access import export_access_log_by_agency
from matricule.training.selectors import coverage

if TYPE_CHECKING:
    from matricule.accounts.models import User

COVERAGE_COLUMNS = [
    Column(_("Matricule"), 12),
    Column(_("Nom"), 20),
    Column(_("Prénom(s)"), 24),
    Column(_("Grade"), 22),
    Column(_("Unité"), 34),
    Column(_("Fonction"), 20),
    Column(_("Formation"), 14),
    Column(_("Situation"), 12),
    Column(_("Expiré le"), 12),
]
COVERAGE_STATES = {"missing": _("non suivie"), "expired": _("périmée")}


@dataclass(frozen=True)
class TableExport:
    columns: list[Column]
    rows: list[Sequence[Any]]


def coverage_export(*, viewer: User, unit: Unit | None, fmt: str) -> TableExport:
    """The officers missing a required course (or holding an expired one), audited."""
    report = coverage(viewer=viewer, unit=unit)
    rows: list[Sequence[Any]] = [
        [
            r.officer.matricule,
            r.officer.family_name,
            r.officer.given_names,
            r.officer.grade.name,
            r.officer.unit.name,
            r.officer.function,
            r.course.code,
            str(COVERAGE_STATES[r.state]),
            r.expired_on,
        ]
        for r in report.rows
    ]
    export_access_log_by_agency(
        viewer=viewer,
        officers=[(r.officer.pk, r.officer.agency_id) for r in report.rows],
        classes=["record"],
    )
    audit_record(
        by=viewer,
        action="training.coverage.export",
        object_type="training.requiredtraining",
        object_repr=f"couverture {unit.code if unit else ''} {fmt}",
        after={"unit": unit.code if unit else None, "rows": len(rows)},
    )
    return TableExport(columns=COVERAGE_COLUMNS, rows=rows)
