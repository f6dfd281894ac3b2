"""Exporting the officer list as shown: audited, and logged as one consultation per export."""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from django.db import transaction
from django.utils.translation import gettext_lazy as _

from matricule.core.audit import audit_record
from matricule.core.exports import Column
from matricule.personnel.access import export_access_log_by_agency
from matricule.personnel.models import Channel, Status
from matricule.personnel.selectors import OfficerFilters, officer_list

if TYPE_CHECKING:
    from matricule.accounts.models import User

EXPORT_MAX = 100_000

# Every column the officer list offers, with the field it reads.
OFFICER_EXPORT_COLUMNS: list[tuple[Column, str]] = [
    (Column(_("Matricule"), 12), "matricule"),
    (Column(_("Nom"), 20), "family_name"),
    (Column(_("Prénom(s)"), 24), "given_names"),
    (Column(_("Sexe"), 6), "sex"),
    (Column(_("Date de naissance"), 12), "birth_date"),
    (Column(_("Grade"), 22), "grade__name"),
    (Column(_("Corps"), 22), "corps__name"),
    (Column(_("Unité"), 34), "unit__name"),
    (Column(_("Code unité"), 12), "unit__code"),
    (Column(_("Région"), 16), "unit__region__name"),
    (Column(_("Position"), 14), "status"),
    (Column(_("Fonction"), 20), "function"),
    (Column(_("Date d'entrée"), 12), "entry_date"),
]
_STATUS_COLUMN = [name for _c, name in OFFICER_EXPORT_COLUMNS].index("status")


@dataclass(frozen=True)
class OfficerExport:
    columns: list[Column]
    rows: Iterator[Sequence[Any]]
    count: int


def officer_export(
    *, viewer: User, filters: OfficerFilters, fmt: str, params: dict[str, str]
) -> OfficerExport:
    """The filtered list (every page, up to EXPORT_MAX rows) with its audit and access log.

    The audit entry and the consultation rows are committed before the file is sent:
    an export that was asked for is on record even if the download is interrupted.
    """
    shown = officer_list(viewer=viewer, filters=filters, channel=Channel.EXPORT)
    pairs = list(shown.values_list("id", "agency_id")[:EXPORT_MAX])
    count = len(pairs)
    with transaction.atomic():
        export_access_log_by_agency(viewer=viewer, officers=pairs, classes=["record"])
        audit_record(
            by=viewer,
            action="officer.export",
            object_type="personnel.officer",
            object_repr=f"export {fmt}",
            after={"filters": params, "count": count},
        )
    fields = [name for _column, name in OFFICER_EXPORT_COLUMNS]
    values = shown.values_list(*fields)[:EXPORT_MAX]
    statuses = dict(Status.choices)

    def rows() -> Iterator[Sequence[Any]]:
        for row in values.iterator(chunk_size=2000):
            cells = list(row)
            cells[_STATUS_COLUMN] = str(statuses.get(row[_STATUS_COLUMN], row[_STATUS_COLUMN]))
            yield cells

    return OfficerExport(
        columns=[column for column, _name in OFFICER_EXPORT_COLUMNS], rows=rows(), count=count
    )
