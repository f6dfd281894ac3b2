"""Writes of the web shell: the audit export (itself audited)."""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from matricule.core.audit import audit_record
from matricule.core.exports import Column
from matricule.web.selectors import audit_entries, audit_rows

if TYPE_CHECKING:
    from matricule.accounts.models import User

AUDIT_EXPORT_MAX = 20_000
AUDIT_COLUMNS = [
    Column(_("N°"), 8),
    Column(_("Date"), 17),
    Column(_("Auteur"), 18),
    Column(_("Action"), 36),
    Column(_("Agent concerné"), 28),
    Column(_("Matricule"), 12),
    Column(_("Objet"), 40),
    Column(_("Avant"), 50),
    Column(_("Après"), 50),
    Column(_("Adresse IP"), 15),
]


def audit_export(
    *, viewer: User, filters: dict[str, Any], fmt: str
) -> tuple[list[Column], list[Sequence[Any]]]:
    """The filtered audit rows (at most AUDIT_EXPORT_MAX), with an entry saying who took them."""
    entries = list(audit_entries(viewer=viewer, filters=filters)[:AUDIT_EXPORT_MAX])
    rows: list[Sequence[Any]] = []
    for row in audit_rows(entries):
        entry = row.entry
        rows.append(
            [
                entry.seq or "",
                timezone.localtime(entry.created_at).strftime("%d/%m/%Y %H:%M:%S"),
                entry.actor_label,
                row.action,
                row.officer,
                row.officer_matricule,
                row.obj,
                "\n".join(f"{c.label} : {c.before}" for c in row.changes if c.before),
                "\n".join(f"{c.label} : {c.after}" for c in row.changes if c.after),
                entry.ip or "",
            ]
        )
    shown = {
        key: (value.code if hasattr(value, "code") else str(value))
        for key, value in filters.items()
        if value and key != "unit"
    }
    audit_record(
        by=viewer,
        action="audit.export",
        object_type="core.auditentry",
        object_repr=f"export {fmt}",
        after={"filters": shown, "rows": len(rows), "format": fmt},
    )
    return AUDIT_COLUMNS, rows
