"""The only writes of the reports: the audit of each export (and its consultation row)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django.db import transaction

from matricule.core.audit import audit_record
from matricule.personnel.access import export_access_log_by_agency
from matricule.reports.documents import Document, build
from matricule.reports.selectors.people import ReportFilters

if TYPE_CHECKING:
    from matricule.accounts.models import User


def report_export(
    *,
    viewer: User,
    report: str,
    fmt: str,
    filters: ReportFilters,
    options: dict[str, Any],
    params: dict[str, str],
) -> Document:
    """Build the report's document and record the export before the file is sent.

    Figures name nobody; a list of officers (retirements due) also writes one consultation
    row per agency for the officers it contains, as the officer list's export does.
    """
    doc = build(report, viewer=viewer, filters=filters, options=options)
    with transaction.atomic():
        if doc.officer_pairs:
            export_access_log_by_agency(
                viewer=viewer, officers=doc.officer_pairs, classes=["record"]
            )
        audit_record(
            by=viewer,
            action="report.export",
            object_type="reports.report",
            object_id=report,
            object_repr=f"{doc.title} ({fmt})",
            after={"report": report, "format": fmt, "filters": params},
        )
    return doc


def monthly_state_record(*, viewer: User, month: str, params: dict[str, str]) -> None:
    """Record that the monthly state of the force was printed (who, which month, filters)."""
    with transaction.atomic():
        audit_record(
            by=viewer,
            action="report.monthly_state",
            object_type="reports.report",
            object_id="monthly_state",
            object_repr=month,
            after={"report": "monthly_state", "format": "pdf", "filters": params},
        )
