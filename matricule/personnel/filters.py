"""Officer list filters read from query parameters — shared by the screens and the API."""

from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

from django.utils.translation import gettext as _

from matricule.accounts.roles import Perm
from matricule.accounts.scopes import agency_ids_with
from matricule.core.models import AgencyKind, Unit
from matricule.core.refcache import UnitRow, refdata
from matricule.personnel import hooks
from matricule.personnel.models import Sex, Status
from matricule.personnel.selectors import AGE_BANDS, SORTS, OfficerFilters, nina_query

if TYPE_CHECKING:
    from matricule.accounts.models import User

# Parameter names, identical on screens (?unit=DR-BKO&grade=SGT) and in the API.
PARAMS = (
    "q",
    "unit",
    "grade",
    "corps",
    "origin",
    "status",
    "sex",
    "region",
    "age",
    "secondment_ends",
    "sort",
)
# The longest look-ahead for secondments coming to an end (the home list uses 90 days).
SECONDMENT_ENDS_MAX_DAYS = 366
# Skill search: ?skill=CODE:LEVEL (repeatable, all required; LANGUE-<iso>:LEVEL for a spoken
# language) and ?valid_on=AAAA-MM-JJ (today by default).
SKILL_PARAMS = ("skill", "valid_on")
MAX_SKILLS = 5


def scoped_units(viewer: User, perm: str = Perm.PERSONNEL_VIEW) -> list[UnitRow]:
    """Units inside the viewer's scopes for `perm`, from the cached reference copy."""
    grants = [(g.agency_id, g.unit.path if g.unit else "") for g in viewer.grants_with(perm)]
    return [
        u
        for u in refdata().units
        if any(u.agency_id == agency and u.path.startswith(path) for agency, path in grants)
    ]


def origin_agency_ids(agencies: set[int]) -> set[int]:
    """The corps of origin whose grades the staff of these agencies may hold (for the OCS)."""
    ref = refdata()
    if not any(ref.agencies[a].kind == AgencyKind.HOST for a in agencies if a in ref.agencies):
        return set()
    return {a.pk for a in ref.agencies.values() if a.kind == AgencyKind.ORIGIN}


def filters_from_params(
    params: Mapping[str, Any], *, viewer: User
) -> tuple[OfficerFilters, dict[str, str]]:
    """Parse codes into objects; unknown values come back as French error messages.

    Lookups use the cached reference copy, so filtering costs no extra query.
    """
    errors: dict[str, str] = {}
    ref = refdata()
    agencies = agency_ids_with(viewer, Perm.PERSONNEL_VIEW)
    filters = OfficerFilters(q=(params.get("q") or "").strip()[:100])
    if nina_query(filters.q) and not viewer.has_perm_anywhere(Perm.SEE_IDENTITY):
        errors["q"] = _(
            "La recherche par NINA est réservée aux rôles qui ont accès au NINA ; "
            "cherchez par nom ou par matricule."
        )
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
    grade_agencies = agencies | origin_agency_ids(agencies)
    code = (params.get("origin") or "").strip().upper()
    if code:
        origin = next(
            (a for a in ref.agencies.values() if a.code == code and a.pk in grade_agencies), None
        )
        if origin is None:
            errors["origin"] = _("Corps d'origine inconnu : « %(code)s ».") % {"code": code}
        else:
            filters.origin_agency_id = origin.pk
    code = (params.get("grade") or "").strip().upper()
    if code:
        # Grades are named in the statute in force today (the snapshot's grade); a grade of
        # a corps of origin is named with that corps' code ("GEND:ADJ").
        owner, _sep, grade_code = code.rpartition(":")
        owners = {a.pk for a in ref.agencies.values() if a.code == owner} if owner else agencies
        filters.grade = next(
            (
                g
                for g in ref.grades_now
                if g.code == grade_code
                and g.statute.agency_id in owners
                and g.statute.agency_id in grade_agencies
            ),
            None,
        )
        if filters.grade is None:
            errors["grade"] = _("Grade inconnu : « %(code)s ».") % {"code": code}
    code = (params.get("corps") or "").strip().upper()
    if code:
        corps = next(
            (c for c in ref.corps if c.code == code and c.agency_id in grade_agencies), None
        )
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
    days = (params.get("secondment_ends") or "").strip()
    if days:
        if days.isdigit() and 0 < int(days) <= SECONDMENT_ENDS_MAX_DAYS:
            filters.secondment_within = int(days)
        else:
            errors["secondment_ends"] = _(
                "Fin de détachement : un nombre de jours de 1 à %(max)d."
            ) % {"max": SECONDMENT_ENDS_MAX_DAYS}
    sort = (params.get("sort") or "name").strip()
    if sort in SORTS:
        filters.sort = sort
    else:
        errors["sort"] = _("Tri inconnu : « %(v)s ».") % {"v": sort}
    _skill_params(params, filters, errors)
    return filters, errors


def _many(params: Mapping[str, Any], name: str) -> list[str]:
    """Every value of a repeated parameter, from a QueryDict or a plain mapping."""
    getlist = getattr(params, "getlist", None)
    values = getlist(name) if getlist is not None else params.get(name)
    if values is None:
        return []
    if isinstance(values, str):
        values = [values]
    return [str(v).strip() for v in values if v is not None and str(v).strip()]


def _skill_params(
    params: Mapping[str, Any], filters: OfficerFilters, errors: dict[str, str]
) -> None:
    from matricule.core.models import Language, Skill

    raw = _many(params, "skill")
    if len(raw) > MAX_SKILLS:
        errors["skill"] = _("%(n)s compétences au plus.") % {"n": MAX_SKILLS}
        return
    wanted: list[tuple[str, int]] = []
    for item in raw:
        code, _sep, level_text = item.partition(":")
        code = code.strip().lower()
        try:
            level = int(level_text) if level_text.strip() else 1
        except ValueError:
            level = 0
        if not code or not 1 <= level <= 10:
            errors["skill"] = _(
                "Compétence « %(v)s » : écrivez CODE:NIVEAU, par exemple pistol:2."
            ) % {"v": item[:40]}
            return
        wanted.append((code, level))
    if wanted:
        skills = {
            s.code.lower(): s
            for s in Skill.objects.filter(code__in=[c for c, _l in wanted if "-" not in c])
        }
        languages = {}
        lang_codes = [c.removeprefix("langue-") for c, _l in wanted if c.startswith("langue-")]
        if lang_codes:
            languages = {lang.code: lang for lang in Language.objects.filter(code__in=lang_codes)}
        for code, level in wanted:
            if code.startswith("langue-"):
                language = languages.get(code.removeprefix("langue-"))
                if language is None:
                    errors["skill"] = _("Langue inconnue : « %(c)s ».") % {"c": code}
                    return
                filters.languages.append((language.pk, level))
                continue
            skill = skills.get(code)
            if skill is None:
                errors["skill"] = _("Compétence inconnue : « %(c)s ».") % {"c": code}
                return
            if level > skill.max_level:
                errors["skill"] = _("Niveau de %(s)s : %(m)s au plus.") % {
                    "s": skill.name,
                    "m": skill.max_level,
                }
                return
            if not len(hooks.skill_conditions):
                errors["skill"] = _("La recherche par compétence n'est pas disponible.")
                return
            filters.skills.append((skill.pk, level))
    day = (params.get("valid_on") or "").strip() if isinstance(params.get("valid_on"), str) else ""
    if day:
        try:
            filters.valid_on = datetime.date.fromisoformat(day)
        except ValueError:
            errors["valid_on"] = _("Date invalide : format AAAA-MM-JJ attendu (ex. 2024-11-21).")
