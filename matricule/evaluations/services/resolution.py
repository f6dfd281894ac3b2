"""Who rates whom, from the org tree and the command appointments on the reference date.

The evaluator is the head of the unit where the officer served on the reference date
(the host unit when seconded), or the head of the parent unit when the officer is that
head; the reviewer (second level) is the head of the parent of the unit the evaluator
commands. A vacancy leaves the evaluator (or the reviewer) empty: the evaluation then
waits in the HR queue « évaluateur à désigner ». Nobody rates or reviews themselves and
the evaluator and the reviewer are never the same person.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable
from dataclasses import dataclass

from matricule.core.models import Unit
from matricule.personnel.selectors import unit_heads_on


@dataclass(frozen=True)
class Raters:
    evaluator_id: int | None
    reviewer_id: int | None


class OrgTree:
    """The units (id → parent id) and their heads on one date, loaded in two queries."""

    def __init__(self, *, on: datetime.date, agency_ids: Iterable[int] | None = None) -> None:
        units = Unit.objects.all()
        if agency_ids is not None:
            units = units.filter(agency_id__in=list(agency_ids))
        self.parent: dict[int, int | None] = dict(units.values_list("id", "parent_id"))
        self.heads = unit_heads_on(on=on)
        self.on = on

    def _parent_of(self, unit_id: int) -> int | None:
        if unit_id not in self.parent:
            self.parent.update(Unit.objects.filter(pk=unit_id).values_list("id", "parent_id"))
        return self.parent.get(unit_id)

    def raters(self, *, officer_id: int, unit_id: int) -> Raters:
        # The evaluator: the unit's head, or (the officer being the head) the parent's.
        commanded: int | None = unit_id
        evaluator = self.heads.get(unit_id)
        while evaluator == officer_id and commanded is not None:
            commanded = self._parent_of(commanded)
            evaluator = self.heads.get(commanded) if commanded is not None else None
        if evaluator is None or commanded is None:
            return Raters(None, None)
        # The reviewer: the head of the parent of the unit the evaluator commands, going
        # up past anyone who is the officer or the evaluator.
        level = self._parent_of(commanded)
        while level is not None:
            reviewer = self.heads.get(level)
            if reviewer is not None and reviewer not in (officer_id, evaluator):
                return Raters(evaluator, reviewer)
            if reviewer is None:
                break
            level = self._parent_of(level)
        return Raters(evaluator, None)


def raters_for(*, officer_id: int, unit_id: int, on: datetime.date) -> Raters:
    """The evaluator and reviewer of one officer (a small tree load; bulk uses OrgTree)."""
    unit = Unit.objects.get(pk=unit_id)
    return OrgTree(on=on, agency_ids=[unit.agency_id]).raters(
        officer_id=officer_id, unit_id=unit_id
    )
