"""Finding a unit or a grade from the code a clerk typed: one behaviour for every entry point
(screens, API, corrections, imports).

Codes are compared trimmed and upper-cased. Unit codes are unique only within an agency,
so a lookup says in which agency (or agencies) to look; more than one match is an error
that says so, never a silent first pick. Grades are looked up in the statute in force on
the date that matters (the event's), since statutes rename grades.
"""

from __future__ import annotations

import datetime
from collections.abc import Collection

from django.core.exceptions import ValidationError
from django.db.models import Q
from django.utils.translation import gettext as _

from matricule.core.models import Grade, Unit


def normalise_code(code: str) -> str:
    return (code or "").strip().upper()


def unit_by_code(
    *,
    code: str,
    agency_ids: Collection[int] | None = None,
    exclude_agency_id: int | None = None,
    field: str = "unit",
) -> Unit:
    """The one unit with this code in `agency_ids` (any agency when None), outside
    `exclude_agency_id` (a secondment's host). Raises ValidationError({field: ...})."""
    wanted = normalise_code(code)
    units = Unit.objects.select_related("agency").filter(code=wanted)
    if agency_ids is not None:
        units = units.filter(agency_id__in=list(agency_ids))
    if exclude_agency_id is not None:
        units = units.exclude(agency_id=exclude_agency_id)
    found = list(units.order_by("agency_id")[:2])
    if not found:
        raise ValidationError({field: _("Unité inconnue : « %(code)s ».") % {"code": wanted}})
    if len(found) > 1:
        raise ValidationError(
            {
                field: _(
                    "Plusieurs agences ont une unité « %(code)s » : précisez l'agence "
                    "(%(agencies)s)."
                )
                % {"code": wanted, "agencies": ", ".join(u.agency.code for u in found)}
            }
        )
    return found[0]


def grade_by_code(*, code: str, agency_id: int, on: datetime.date, field: str = "grade") -> Grade:
    """The grade with this code in the agency's statute in force on `on`."""
    wanted = normalise_code(code)
    grade = (
        Grade.objects.select_related("statute", "corps")
        .filter(
            statute__agency_id=agency_id,
            code=wanted,
            statute__effective_from__lte=on,
        )
        .filter(Q(statute__effective_to__isnull=True) | Q(statute__effective_to__gt=on))
        .first()
    )
    if grade is None:
        raise ValidationError(
            {
                field: _("Aucun grade « %(code)s » dans le statut en vigueur le %(date)s.")
                % {"code": wanted, "date": f"{on:%d/%m/%Y}"}
            }
        )
    return grade
