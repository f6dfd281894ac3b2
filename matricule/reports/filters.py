"""Report filters read from query parameters — the same names on screens, exports and the API.

Unit, grade, corps, sex and region are parsed by the officer list's own parser, so that a
report and the list answer the same question for the same parameters.
"""

from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

from django.utils import timezone
from django.utils.translation import gettext as _

from matricule.accounts.roles import Perm
from matricule.accounts.scopes import agency_ids_with
from matricule.core.models import Agency
from matricule.core.refcache import refdata
from matricule.personnel.filters import filters_from_params
from matricule.reports.selectors.headcount import GROUP_KEYS, MAX_GROUP_KEYS
from matricule.reports.selectors.people import COUNT_AT, HOME, ReportFilters

if TYPE_CHECKING:
    from matricule.accounts.models import User

PARAMS = ("as_of", "count_at", "agency", "unit", "grade", "corps", "sex", "region")
EARLIEST = datetime.date(1900, 1, 1)


def parse_day(text: str) -> datetime.date | None:
    text = text.strip()
    for fmt in ("%Y-%m-%d", "%d/%m/%Y"):
        try:
            return datetime.datetime.strptime(text, fmt).date()  # noqa: DTZ007 -- a date only
        except ValueError:
            continue
    return None


def report_filters(
    params: Mapping[str, Any], *, viewer: User
) -> tuple[ReportFilters, dict[str, str]]:
    """Parse the shared filters; unknown values come back as French messages by parameter."""
    wanted = {k: params.get(k) or "" for k in ("unit", "grade", "corps", "sex", "region")}
    officer_filters, errors = filters_from_params(wanted, viewer=viewer)
    filters = ReportFilters(
        corps_id=officer_filters.corps_id,
        sex=officer_filters.sex,
        region_id=officer_filters.region_id,
        grade_id=officer_filters.grade.pk if officer_filters.grade is not None else None,
    )
    if officer_filters.unit is not None:
        filters.unit = next(u for u in refdata().units if u.id == officer_filters.unit.pk)
    raw = str(params.get("as_of") or "").strip()
    if raw:
        day = parse_day(raw)
        today = timezone.localdate()
        if day is None:
            errors["as_of"] = _("Date invalide : format AAAA-MM-JJ ou JJ/MM/AAAA attendu.")
        elif not EARLIEST <= day <= today:
            errors["as_of"] = _(
                "La date doit être comprise entre le 01/01/1900 et aujourd'hui (%(d)s)."
            ) % {"d": f"{today:%d/%m/%Y}"}
        else:
            filters.as_of = day
    count_at = str(params.get("count_at") or HOME).strip()
    if count_at in COUNT_AT:
        filters.count_at = count_at
    else:
        errors["count_at"] = _("Comptage des détachés : « home » (origine) ou « host » (accueil).")
    code = str(params.get("agency") or "").strip().upper()
    if code:
        agency = Agency.objects.filter(
            code=code, pk__in=agency_ids_with(viewer, Perm.PERSONNEL_VIEW)
        ).first()
        if agency is None:
            errors["agency"] = _("Agence inconnue : « %(code)s ».") % {"code": code[:20]}
        else:
            filters.agency_id = agency.pk
    return filters, {k: v for k, v in errors.items() if k in PARAMS}


def group_by_param(raw: str, default: list[str]) -> tuple[list[str], str]:
    """The grouping keys (comma separated), or the default; an error message if unknown."""
    if not raw.strip():
        return default, ""
    keys = [k.strip() for k in raw.split(",") if k.strip()]
    unknown = [k for k in keys if k not in GROUP_KEYS]
    if unknown:
        return default, _("Regroupement inconnu : « %(k)s » (possibles : %(all)s).") % {
            "k": unknown[0][:30],
            "all": ", ".join(GROUP_KEYS),
        }
    if len(keys) > MAX_GROUP_KEYS:
        return default, _("%(n)s regroupements au plus.") % {"n": MAX_GROUP_KEYS}
    return list(dict.fromkeys(keys)), ""


def filter_description(filters: ReportFilters) -> list[tuple[str, str]]:
    """The filters in words, for the first rows of an export and the PDF header."""
    ref = refdata()
    lines = [
        (_("Situation au"), f"{filters.as_of:%d/%m/%Y}"),
        (
            _("Agents détachés comptés"),
            _("dans leur unité d'origine")
            if filters.count_at == HOME
            else _("dans leur unité d'accueil"),
        ),
    ]
    if filters.agency_id:
        agency = Agency.objects.get(pk=filters.agency_id)
        lines.append((_("Agence"), agency.short_name))
    if filters.unit is not None:
        lines.append((_("Unité (et subdivisions)"), f"{filters.unit.name} ({filters.unit.code})"))
    if filters.region_id:
        region = next(r for r in ref.regions if r.pk == filters.region_id)
        lines.append((_("Région"), region.name))
    if filters.corps_id:
        corps = next(c for c in ref.corps if c.pk == filters.corps_id)
        lines.append((_("Corps"), corps.name))
    if filters.grade_id:
        grade = next(g for g in ref.grades_now if g.pk == filters.grade_id)
        lines.append((_("Grade"), grade.name))
    if filters.sex:
        lines.append((_("Sexe"), _("Féminin") if filters.sex == "F" else _("Masculin")))
    return lines
