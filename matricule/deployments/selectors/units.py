"""Unit readiness: per unit subtree, the available officers holding each critical skill."""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from typing import TYPE_CHECKING

from django.db.models import Count, QuerySet

from matricule.accounts.scopes import agency_ids_with, officer_scope_q
from matricule.core.refcache import UnitRow, refdata
from matricule.deployments.models import CriticalSkill
from matricule.deployments.selectors.availability import Period, available_q
from matricule.personnel.models import IN_SERVICE_STATUSES, Officer
from matricule.training.models import OfficerSkill
from matricule.training.selectors import skill_rows_valid

if TYPE_CHECKING:
    from matricule.accounts.models import User


@dataclass
class ReadinessLine:
    unit: UnitRow
    own: bool  # the root's own staff, outside its subdivisions
    today: list[int]
    period: list[int]

    @property
    def cells(self) -> list[tuple[int, int]]:
        return list(zip(self.today, self.period, strict=True))


@dataclass
class UnitReadiness:
    root: UnitRow | None
    skills: list[CriticalSkill]
    lines: list[ReadinessLine]
    today_totals: list[int]
    period_totals: list[int]
    period: Period
    on: datetime.date

    @property
    def bars(self) -> list[tuple[CriticalSkill, int, int]]:
        return list(zip(self.skills, self.today_totals, self.period_totals, strict=True))


def critical_skills(*, viewer: User, perm: str) -> list[CriticalSkill]:
    return list(
        CriticalSkill.objects.filter(agency_id__in=agency_ids_with(viewer, perm))
        .select_related("skill", "skill__category", "agency")
        .order_by("skill__name", "agency_id")
    )


def _counts(
    officers: QuerySet[Officer],
    skills: list[CriticalSkill],
    period: Period,
    today: datetime.date,
) -> dict[tuple[int, int], int]:
    """(skill id, unit id) → officers available over the period holding the skill then."""
    if not skills:
        return {}
    rows: QuerySet[OfficerSkill] | None = None
    for critical in skills:
        part = skill_rows_valid(
            skill_id=critical.skill_id,
            min_level=critical.min_level,
            start=period.start,
            end=period.last_day,
        )
        rows = part if rows is None else rows | part
    assert rows is not None
    free = officers.filter(available_q(period, today=today)).values("id")
    return {
        (skill_id, unit_id): n
        for skill_id, unit_id, n in rows.filter(officer_id__in=free)
        .order_by()
        .values("skill_id", "officer__unit_id")
        .annotate(n=Count("officer_id", distinct=True))
        .values_list("skill_id", "officer__unit_id", "n")
    }


def unit_readiness(
    *,
    viewer: User,
    perm: str,
    root: UnitRow | None,
    period: Period,
    today: datetime.date,
) -> UnitReadiness:
    """One line per subdivision of `root` (each with its whole subtree), two queries."""
    skills = critical_skills(viewer=viewer, perm=perm)
    officers = Officer.objects.filter(officer_scope_q(viewer, perm), status__in=IN_SERVICE_STATUSES)
    units = refdata().units
    if root is not None:
        officers = officers.filter(
            unit_id__in=[u.id for u in units if u.path.startswith(root.path)]
        )
        children = [u for u in units if u.depth == root.depth + 1 and u.path.startswith(root.path)]
    else:
        agencies = agency_ids_with(viewer, perm)
        children = [u for u in units if u.depth == 0 and u.agency_id in agencies]
    now = _counts(officers, skills, Period(today, today), today)
    later = _counts(officers, skills, period, today)
    by_id = {u.id: u for u in units}

    def line_of(unit_id: int) -> int | None:
        unit = by_id.get(unit_id)
        if unit is None:
            return None
        for i, child in enumerate(children):
            if unit.path.startswith(child.path):
                return i
        return -1 if root is not None and unit.path.startswith(root.path) else None

    index = {s.skill_id: i for i, s in enumerate(skills)}
    lines = [ReadinessLine(c, False, [0] * len(skills), [0] * len(skills)) for c in children]
    own = ReadinessLine(root, True, [0] * len(skills), [0] * len(skills)) if root else None
    for counts, attr in ((now, "today"), (later, "period")):
        for (skill_id, unit_id), n in counts.items():
            where = line_of(unit_id)
            if where is None:
                continue
            target = own if where == -1 else lines[where]
            if target is not None:
                getattr(target, attr)[index[skill_id]] += n
    if own is not None and (any(own.today) or any(own.period)):
        lines.insert(0, own)
    return UnitReadiness(
        root=root,
        skills=skills,
        lines=lines,
        today_totals=[sum(line.today[i] for line in lines) for i in range(len(skills))],
        period_totals=[sum(line.period[i] for line in lines) for i in range(len(skills))],
        period=period,
        on=today,
    )
