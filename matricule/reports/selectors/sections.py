"""Figures of the other domains, read through their selectors: deployments per operation
and month (and the UN roster's counts)."""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from typing import TYPE_CHECKING

from matricule.accounts.roles import Perm
from matricule.core.dates import add_months
from matricule.deployments.models import HOLDING_STATES, Assignment
from matricule.deployments.selectors.operations import operation_list
from matricule.deployments.selectors.readiness import Roster, un_readiness

if TYPE_CHECKING:
    from matricule.accounts.models import User


@dataclass
class OperationMonths:
    name: str
    pk: int
    counts: list[int]

    @property
    def peak(self) -> int:
        return max(self.counts or [0])


@dataclass
class DeploymentsByMonth:
    months: list[datetime.date]
    operations: list[OperationMonths]
    totals: list[int]
    roster: Roster | None


def deployments_by_month(
    *, viewer: User, on: datetime.date, months: int = 12
) -> DeploymentsByMonth:
    """Officers on a mission at some time in each month, per operation in the viewer's scope."""
    first = add_months(on.replace(day=1), -(months - 1))
    starts = [add_months(first, i) for i in range(months)]
    ends = [add_months(s, 1) - datetime.timedelta(days=1) for s in starts]
    operations = {op.pk: op for op in operation_list(viewer=viewer)}
    rows: dict[int, list[set[int]]] = {pk: [set() for _ in starts] for pk in operations}
    spans = Assignment.objects.filter(
        operation_id__in=list(operations),
        state__in=HOLDING_STATES,
        start_date__lte=ends[-1],
    ).values_list("operation_id", "officer_id", "start_date", "end_date")
    for op_id, officer_id, start, end in spans.iterator(chunk_size=5000):
        for i, (m_start, m_end) in enumerate(zip(starts, ends, strict=True)):
            if start <= m_end and (end is None or end >= m_start):
                rows[op_id][i].add(officer_id)
    table = [
        OperationMonths(operations[pk].name, pk, [len(s) for s in sets])
        for pk, sets in rows.items()
        if any(sets)
    ]
    table.sort(key=lambda r: (-r.peak, r.name))
    totals = [sum(r.counts[i] for r in table) for i in range(months)]
    roster = None
    if viewer.has_perm_anywhere(Perm.DEPLOYMENT_VIEW):
        roster = un_readiness(viewer=viewer, perm=Perm.DEPLOYMENT_VIEW, on=on, limit=1)
    return DeploymentsByMonth(months=starts, operations=table, totals=totals, roster=roster)
