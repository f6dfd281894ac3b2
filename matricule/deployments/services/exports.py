"""Exporting a position's shortlist: the rows as ranked, audited, one consultation per export."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

from django.db import transaction
from django.utils.translation import gettext_lazy as _

from matricule.core.audit import audit_record
from matricule.core.exports import Column
from matricule.deployments.models import Position
from matricule.deployments.selectors.search import SearchResult, rotation_label
from matricule.personnel.access import export_access_log
from matricule.personnel.models import Channel

if TYPE_CHECKING:
    from matricule.accounts.models import User

SHORTLIST_COLUMNS = [
    Column(_("Rang"), 6),
    Column(_("Matricule"), 12),
    Column(_("Nom"), 20),
    Column(_("Prénom(s)"), 22),
    Column(_("Sexe"), 6),
    Column(_("Grade"), 20),
    Column(_("Unité"), 34),
    Column(_("Région"), 16),
    Column(_("Disponible"), 10),
    Column(_("Score"), 8),
    Column(_("Exigences manquantes"), 10),
    Column(_("Remplit"), 60),
    Column(_("Manque"), 60),
    Column(_("Rotation"), 34),
    Column(_("En service depuis"), 12),
]


def shortlist_export(
    *, viewer: User, position: Position, result: SearchResult, fmt: str
) -> list[Sequence[Any]]:
    """The ranked candidates as rows, after writing the audit entry and the access log."""
    rows: list[Sequence[Any]] = []
    by_agency: dict[int, list[int]] = defaultdict(list)
    for c in result.rows:
        officer = c.officer
        by_agency[officer.agency_id].append(officer.pk)
        rows.append(
            [
                c.rank,
                officer.matricule,
                officer.family_name,
                officer.given_names,
                officer.sex,
                officer.grade.name,
                officer.unit.name,
                officer.unit.region.name if officer.unit.region else "",
                c.available,
                c.score,
                c.missing,
                " ; ".join(c.matches),
                " ; ".join([*c.lacks, *c.unavailable]),
                rotation_label(c, result.period),
                c.service_start,
            ]
        )
    with transaction.atomic():
        for agency_id, ids in by_agency.items():
            export_access_log(
                viewer=viewer,
                agency_id=agency_id,
                officer_ids=ids,
                channel=Channel.EXPORT,
                classes=["record"],
            )
        audit_record(
            by=viewer,
            action="deployment.shortlist.export",
            obj=position,
            after={
                "position": position.pk,
                "period": [str(result.period.start), str(result.period.end or "")],
                "count": len(rows),
                "format": fmt,
            },
        )
    return rows
