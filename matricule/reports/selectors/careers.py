"""Evaluations and promotions, read through their apps' selectors: completion of a cycle per
unit, the distribution of final marks per corps, eligible against promoted per grade, and
each campaign's fairness audit."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from decimal import Decimal
from typing import TYPE_CHECKING

from matricule.evaluations.models import Cycle, Step
from matricule.evaluations.selectors import Completion, completion, cycles_visible, evaluation_list
from matricule.promotions.models import Campaign, Outcome
from matricule.promotions.selectors.campaigns import decisions_of, eligibility_list
from matricule.promotions.selectors.fairness import FairnessRow, campaign_fairness

if TYPE_CHECKING:
    from matricule.accounts.models import User

# Final marks are out of 20: bands of two points from 8, below 8 together.
MARK_BANDS: tuple[tuple[Decimal, str], ...] = (
    (Decimal(0), "< 8"),
    (Decimal(8), "8–10"),
    (Decimal(10), "10–12"),
    (Decimal(12), "12–14"),
    (Decimal(14), "14–16"),
    (Decimal(16), "16–18"),
    (Decimal(18), "18–20"),
)


def mark_band(mark: Decimal) -> str:
    label = MARK_BANDS[0][1]
    for low, name in MARK_BANDS:
        if mark >= low:
            label = name
    return label


@dataclass
class MarkDistribution:
    corps: str
    counts: list[int]  # per MARK_BANDS

    @property
    def total(self) -> int:
        return sum(self.counts)


@dataclass
class EvaluationReport:
    cycle: Cycle
    completion: Completion
    marks: list[MarkDistribution]


def latest_cycle(viewer: User) -> Cycle | None:
    return cycles_visible(viewer=viewer).first()


def evaluation_report(*, viewer: User, cycle: Cycle) -> EvaluationReport:
    done = completion(viewer=viewer, cycle=cycle)
    per_corps: dict[str, list[int]] = defaultdict(lambda: [0] * len(MARK_BANDS))
    names = [name for _low, name in MARK_BANDS]
    closed = evaluation_list(viewer=viewer, cycle_id=cycle.pk, status=Step.CLOSED)
    for corps, mark in closed.order_by().values_list("officer__corps__name", "final_mark"):
        if mark is not None:
            per_corps[corps][names.index(mark_band(mark))] += 1
    marks = [MarkDistribution(c, v) for c, v in sorted(per_corps.items())]
    return EvaluationReport(cycle=cycle, completion=done, marks=marks)


def evaluations_overdue(*, viewer: User) -> int:
    """Evaluations past their step's deadline in the open cycles the viewer reads."""
    from matricule.evaluations.models import CycleStatus

    cycles = cycles_visible(viewer=viewer).filter(status=CycleStatus.OPEN)
    return sum(completion(viewer=viewer, cycle=c).totals.overdue for c in cycles)


@dataclass
class GradeOutcome:
    grade: str
    eligible: int
    promoted: int


@dataclass
class PromotionReport:
    campaign: Campaign
    grades: list[GradeOutcome]
    fairness: list[FairnessRow]


def promotion_report(*, viewer: User, campaign: Campaign) -> PromotionReport:
    eligible: dict[str, int] = defaultdict(int)
    order: dict[str, int] = {}
    for name, rank in (
        eligibility_list(viewer=viewer, campaign=campaign, eligible=True)
        .order_by()
        .values_list("target_grade__name", "target_grade__order")
    ):
        eligible[name] += 1
        order[name] = rank
    promoted: dict[str, int] = defaultdict(int)
    for decision in decisions_of(campaign, viewer=viewer).filter(outcome=Outcome.PROMOTED):
        promoted[decision.target_grade.name] += 1
        order.setdefault(decision.target_grade.name, decision.target_grade.order)
    grades = [
        GradeOutcome(name, eligible.get(name, 0), promoted.get(name, 0))
        for name in sorted(order, key=lambda n: order[n])
    ]
    return PromotionReport(campaign=campaign, grades=grades, fairness=campaign_fairness(campaign))
