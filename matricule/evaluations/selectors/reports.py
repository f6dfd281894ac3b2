"""Completion of a cycle per unit subtree, and the calibration of raters."""

from __future__ import annotations

import bisect
import datetime
import math
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from decimal import Decimal
from typing import TYPE_CHECKING

from django.db.models import Count, Q, QuerySet
from django.utils import timezone

from matricule.accounts.roles import Perm
from matricule.accounts.scopes import unit_scope_q
from matricule.core.models import Unit
from matricule.evaluations.models import Cycle, Evaluation, Step
from matricule.personnel.models import Officer

if TYPE_CHECKING:
    from matricule.accounts.models import User

STEPS_SHOWN = [Step.SELF, Step.RATING, Step.REVIEW, Step.ACKNOWLEDGEMENT, Step.APPEAL, Step.CLOSED]


@dataclass
class CompletionRow:
    unit_id: int
    code: str
    name: str
    path: str
    has_children: bool
    counts: Counter[str] = field(default_factory=Counter)
    overdue: int = 0
    unassigned: int = 0

    @property
    def total(self) -> int:
        return sum(self.counts.values())

    @property
    def closed_pct(self) -> int:
        return round(100 * self.counts[Step.CLOSED] / self.total) if self.total else 0

    def cells(self) -> list[int]:
        return [self.counts[step] for step in STEPS_SHOWN]

    def bars(self) -> list[tuple[str, str, int, float, float]]:
        """(step, label, count, x, width) in % of the row, for the stacked SVG bar."""
        total = self.total or 1
        x = 0.0
        out = []
        for step in STEPS_SHOWN:
            width = 100 * self.counts[step] / total
            if width:
                out.append(
                    (step.value, str(step.label), self.counts[step], round(x, 2), round(width, 2))
                )
            x += width
        return out


@dataclass
class Completion:
    cycle: Cycle
    parent: Unit | None
    rows: list[CompletionRow]
    totals: CompletionRow


def completion(
    *, viewer: User, cycle: Cycle, unit: Unit | None = None, today: datetime.date | None = None
) -> Completion:
    """Counts per step and overdue for each child unit of `unit` (or the top units in
    scope), each counting its whole subtree. One query plus the unit list."""
    today = today or timezone.localdate()
    units = list(
        Unit.objects.filter(unit_scope_q(viewer, Perm.EVALUATION_VIEW), agency_id=cycle.agency_id)
        .order_by("path")
        .values_list("id", "code", "name", "path", "parent_id", "depth")
    )
    visible = {u[0] for u in units}
    if unit is not None:
        shown = [u for u in units if u[4] == unit.pk]
    else:
        shown = [u for u in units if u[4] not in visible]
    parents = {u[4] for u in units}
    rows = [CompletionRow(u[0], u[1], u[2], u[3], u[0] in parents) for u in shown]
    by_path = sorted(rows, key=lambda r: r.path)
    path_of = {u[0]: u[3] for u in units}

    def row_for(unit_id: int) -> CompletionRow | None:
        path = path_of.get(unit_id)
        if path is None:
            return None
        for row in by_path:
            if path.startswith(row.path):
                return row
        return None

    base = Evaluation.objects.filter(cycle=cycle)
    whole_agency = any(
        g.agency_id == cycle.agency_id and g.unit_id is None
        for g in viewer.grants_with(Perm.EVALUATION_VIEW)
    )
    if unit is not None:
        base = base.filter(unit_id__in=[u[0] for u in units if u[3].startswith(unit.path)])
    elif not whole_agency:
        base = base.filter(unit_id__in=list(visible))
    # The cycle's deadlines are known: overdue needs no join.
    late_steps = [
        step
        for step, deadline in (
            (Step.SELF, cycle.self_deadline),
            (Step.RATING, cycle.rating_deadline),
            (Step.REVIEW, cycle.review_deadline),
        )
        if deadline < today
    ]
    overdue_q = Q(status__in=late_steps) | Q(status=Step.ACKNOWLEDGEMENT, acknowledge_by__lt=today)
    counts = base.values_list("unit_id", "status").annotate(
        n=Count("id"),
        late=Count("id", filter=overdue_q),
        unassigned=Count(
            "id", filter=Q(evaluator__isnull=True, status__in=[Step.SELF, Step.RATING])
        ),
    )
    cache: dict[int, CompletionRow | None] = {}
    totals = CompletionRow(0, "", "", "", False)
    for unit_id, status, n, late, unassigned in counts:
        if unit_id not in cache:
            cache[unit_id] = row_for(unit_id)
        row = cache[unit_id]
        for target in (totals, row):
            if target is not None:
                target.counts[status] += n
                target.overdue += late
                target.unassigned += unassigned
    return Completion(cycle=cycle, parent=unit, rows=[r for r in rows if r.total], totals=totals)


@dataclass
class RaterStats:
    rater_id: int
    name: str
    group_id: int | None
    group_name: str
    n: int
    mean: float
    std: float
    group_n: int
    group_mean: float
    group_std: float
    histogram: list[int]
    group_histogram: list[int]
    lenient: bool = False
    harsh: bool = False
    flat: bool = False

    @property
    def flagged(self) -> bool:
        return self.lenient or self.harsh or self.flat

    def histogram_bars(self) -> list[dict[str, float]]:
        """SVG coordinates (200 × 50) of each bin: the rater's share, then the unit's, on one
        scale (the tallest share is the full height)."""
        rater = [h / self.n if self.n else 0 for h in self.histogram]
        unit = [h / self.group_n if self.group_n else 0 for h in self.group_histogram]
        top = max([*rater, *unit, 0.0001])
        bars = []
        for i, (r, u) in enumerate(zip(rater, unit, strict=True)):
            rh, uh = round(48 * r / top, 1), round(48 * u / top, 1)
            bars.append(
                {"x": i * 10, "ux": i * 10 + 5, "rh": rh, "ry": 50 - rh, "uh": uh, "uy": 50 - uh}
            )
        return bars

    @property
    def z(self) -> float:
        se = self.group_std / math.sqrt(self.n) if self.n else 0
        return (self.mean - self.group_mean) / se if se else 0.0


# Bins of the histograms: 0-1, 1-2, … 19-20 (20 in the last bin).
BINS = 20
MIN_RATED = 10
FLAT_STD = 0.25
# A gap (points out of 20) smaller than this is not worth a flag, however significant.
MIN_GAP = 1.5


def _stats(values: list[float]) -> tuple[float, float]:
    if not values:
        return 0.0, 0.0
    mean = sum(values) / len(values)
    var = sum((v - mean) ** 2 for v in values) / (len(values) - 1) if len(values) > 1 else 0.0
    return mean, math.sqrt(var)


def _median_without(ordered: list[float], skip: int) -> float:
    """The median of a sorted list without its element at `skip` (no copy)."""
    n = len(ordered) - 1

    def at(i: int) -> float:
        return ordered[i if i < skip else i + 1]

    return at(n // 2) if n % 2 else (at(n // 2 - 1) + at(n // 2)) / 2


def _histogram(values: list[float]) -> list[int]:
    bins = [0] * BINS
    for v in values:
        bins[min(BINS - 1, max(0, int(v)))] += 1
    return bins


def calibration(*, viewer: User, cycle: Cycle, unit: Unit | None = None) -> list[RaterStats]:
    """Each rater's number rated, mean and spread against their unit's (in the viewer's scope).

    A rater's "unit" is the parent of the units they rate (the level of the second
    reviewer: a regional directorate for the heads of its commissariats), so that a rater
    is compared with peers. A rater is flagged when their mean is more than two standard
    errors from that of the unit's typical other rater (the median of their means: lenient
    or harsh) — and by a point and a half at least, so that a large unit does not flag
    differences nobody would act on — or when their spread is near zero (everyone gets the
    same mark). Raters with fewer than ten marks are shown, never flagged.
    """
    qs = Evaluation.objects.filter(cycle=cycle).filter(
        unit_scope_q(viewer, Perm.EVALUATION_VIEW, prefix="unit__")
    )
    if unit is not None:
        qs = qs.filter(unit__path__startswith=unit.path)
    return _calibrate(qs)


def _calibrate(qs: QuerySet[Evaluation, Evaluation]) -> list[RaterStats]:
    rows = qs.filter(rating_mark__isnull=False, evaluator__isnull=False).values_list(
        "evaluator_id", "unit__parent_id", "unit_id", "rating_mark"
    )
    by_rater: dict[int, list[float]] = defaultdict(list)
    group_votes: dict[int, Counter[int]] = defaultdict(Counter)
    by_group: dict[int, list[float]] = defaultdict(list)
    for rater_id, parent_id, unit_id, mark in rows:
        if mark is None or rater_id is None:
            continue
        value = float(mark)
        group = parent_id or unit_id
        by_rater[rater_id].append(value)
        group_votes[rater_id][group] += 1
        by_group[group].append(value)
    names = {o.pk: o for o in Officer.objects.filter(pk__in=list(by_rater)).select_related("grade")}
    groups = dict(Unit.objects.filter(pk__in=list(by_group)).values_list("id", "name"))
    # Everything per group and per rater is computed once: a force has thousands of raters.
    home = {r: votes.most_common(1)[0][0] for r, votes in group_votes.items()}
    rater_stats = {r: _stats(v) for r, v in by_rater.items()}
    group_info = {
        g: (*_stats(v), _histogram(v), sum(v), sum(x * x for x in v)) for g, v in by_group.items()
    }
    peer_means: dict[int, list[float]] = defaultdict(list)
    for r, g in home.items():
        peer_means[g].append(rater_stats[r][0])
    for means in peer_means.values():
        means.sort()
    result: list[RaterStats] = []
    for rater_id, values in by_rater.items():
        group = home[rater_id]
        mean, std = rater_stats[rater_id]
        g_mean, g_std, g_hist, g_sum, g_squares = group_info[group]
        g_n = len(by_group[group])
        officer = names.get(rater_id)
        stats = RaterStats(
            rater_id=rater_id,
            name=f"{officer.grade.name} {officer.full_name}" if officer else str(rater_id),
            group_id=group,
            group_name=groups.get(group, ""),
            n=len(values),
            mean=round(mean, 2),
            std=round(std, 2),
            group_n=g_n,
            group_mean=round(g_mean, 2),
            group_std=round(g_std, 2),
            histogram=_histogram(values),
            group_histogram=g_hist,
        )
        if stats.n >= MIN_RATED:
            # The spread of the unit's other marks (this rater's taken out)…
            o_n = g_n - len(values)
            o_std = 0.0
            if o_n >= 2:
                o_sum = g_sum - sum(values)
                o_squares = g_squares - sum(v * v for v in values)
                o_mean = o_sum / o_n
                o_std = math.sqrt(max(0.0, (o_squares - o_n * o_mean * o_mean) / (o_n - 1)))
            else:
                o_mean = g_mean
            # …and the yardstick: the typical other rater of the unit (the median of their
            # means), so that one biased rater does not make their peers look biased.
            means = peer_means[group]
            if len(means) >= 3:
                o_mean = _median_without(means, bisect.bisect_left(means, mean))
            se = o_std / math.sqrt(stats.n) if o_n >= MIN_RATED else 0.0
            gap = max(2 * se, MIN_GAP)
            if se and mean - o_mean > gap:
                stats.lenient = True
            elif se and o_mean - mean > gap:
                stats.harsh = True
            if std < FLAT_STD:
                stats.flat = True
        result.append(stats)
    result.sort(key=lambda s: (not s.flagged, s.group_name, s.name))
    return result


def rater_calibration(*, cycle: Cycle, rater_id: int) -> RaterStats | None:
    """The calibration line of one rater, shown to the reviewer while reviewing.

    Computed over the units the rater rates in and their peers, whatever the reviewer's
    own scope: it shows aggregates only, never another officer's mark.
    """
    groups = set(
        Evaluation.objects.filter(cycle=cycle, evaluator_id=rater_id).values_list(
            "unit__parent_id", flat=True
        )
    )
    qs = Evaluation.objects.filter(cycle=cycle).filter(
        Q(unit__parent_id__in=[g for g in groups if g]) | Q(evaluator_id=rater_id)
    )
    return next((s for s in _calibrate(qs) if s.rater_id == rater_id), None)


def as_decimal(value: float) -> Decimal:
    return Decimal(str(value))
