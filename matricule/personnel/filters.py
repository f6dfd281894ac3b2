"""Officer list filters read from query parameters — shared by the screens and the API."""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING

from django.utils.translation import gettext as _

from matricule.accounts.roles import Perm
from matricule.accounts.scopes import agency_ids_with
from matricule.core.models import Unit
from matricule.core.refcache import UnitRow, refdata
from matricule.personnel.models import Sex, Status
from matricule.personnel.selectors import AGE_BANDS, SORTS, OfficerFilters

if TYPE_CHECKING:
    from matricule.accounts.models import User

# Parameter names, identical on screens (?unit=DR-BKO&grade=SGT) and in the API.
PARAMS = ("q", "unit", "grade", "corps", "status", "sex", "region", "age", "sort")


def scoped_units(viewer: User, perm: str = Perm.PERSONNEL_VIEW) -> list[UnitRow]:
    """Units inside the viewer's scopes for `perm`, from the cached reference copy."""
    grants = [(g.agency_id, g.unit.path if g.unit else "") for g in viewer.grants_with(perm)]
    return [
        u
        for u in refdata().units
        if any(u.agency_id == agency and u.path.startswith(path) for agency, path in grants)
    ]


def filters_from_params(
    params: Mapping[str, str], *, viewer: User
) -> tuple[OfficerFilters, dict[str, str]]:
    """Parse codes into objects; unknown values come back as French error messages.

    Lookups use the cached reference copy, so filtering costs no extra query.
    """
    errors: dict[str, str] = {}
    ref = refdata()
    agencies = agency_ids_with(viewer, Perm.PERSONNEL_VIEW)
    filters = OfficerFilters(q=(params.get("q") or "").strip()[:100])
    code = (params.get("unit") or "").strip().upper()
    if code:
        unit = next((u for u in ref.units if u.code == code and u.agency_id in agencies), None)
        if unit is None:
            errors["unit"] = _("Unité inconnue : « %(code)s ».") % {"code": code}
        else:
            filters.unit = Unit(
                id=unit.id,
                agency_id=unit.agency_id,
                code=unit.code,
                name=unit.name,
                path=unit.path,
                depth=unit.depth,
            )
    code = (params.get("grade") or "").strip().upper()
    if code:
        # Grades are named in the statute in force today (the snapshot's grade).
        filters.grade = next(
            (g for g in ref.grades_now if g.code == code and g.statute.agency_id in agencies), None
        )
        if filters.grade is None:
            errors["grade"] = _("Grade inconnu : « %(code)s ».") % {"code": code}
    code = (params.get("corps") or "").strip().upper()
    if code:
        corps = next((c for c in ref.corps if c.code == code and c.agency_id in agencies), None)
        if corps is None:
            errors["corps"] = _("Corps inconnu : « %(code)s ».") % {"code": code}
        else:
            filters.corps_id = corps.pk
    status = (params.get("status") or "").strip()
    if status:
        if status in Status.values:
            filters.status = status
        else:
            errors["status"] = _("Position inconnue : « %(v)s ».") % {"v": status}
    sex = (params.get("sex") or "").strip().upper()
    if sex:
        if sex in Sex.values:
            filters.sex = sex
        else:
            errors["sex"] = _("Sexe : M ou F.")
    code = (params.get("region") or "").strip().upper()
    if code:
        region = next((r for r in ref.regions if r.code == code), None)
        if region is None:
            errors["region"] = _("Région inconnue : « %(code)s ».") % {"code": code}
        else:
            filters.region_id = region.pk
    age = (params.get("age") or "").strip()
    if age:
        if age in AGE_BANDS:
            filters.age_band = age
        else:
            errors["age"] = _("Tranche d'âge inconnue : « %(v)s ».") % {"v": age}
    sort = (params.get("sort") or "name").strip()
    if sort in SORTS:
        filters.sort = sort
    else:
        errors["sort"] = _("Tri inconnu : « %(v)s ».") % {"v": sort}
    return filters, errors
