"""Who may do what on an evaluation: the actor of each step, HR in scope, readers."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from django.utils import timezone

from matricule.evaluations.models import CycleStatus, Evaluation, Step
from matricule.evaluations.services import may_manage

if TYPE_CHECKING:
    from matricule.accounts.models import User


@dataclass(frozen=True)
class Actions:
    self_assess: bool = False
    skip_self: bool = False
    rate: bool = False
    review: bool = False
    acknowledge: bool = False
    appeal: bool = False
    decide: bool = False
    reassign: bool = False

    @property
    def any(self) -> bool:
        return any(vars(self).values())


def actions_for(viewer: User, evaluation: Evaluation) -> Actions:
    """The buttons the viewer gets on this evaluation (the services check again)."""
    if evaluation.cycle.status != CycleStatus.OPEN:
        return Actions()
    me = viewer.officer_id
    status = evaluation.status
    today = timezone.localdate()
    past_self = today > evaluation.cycle.self_deadline
    is_officer = me is not None and me == evaluation.officer_id
    is_evaluator = me is not None and me == evaluation.evaluator_id
    is_reviewer = me is not None and me == evaluation.reviewer_id
    manager = may_manage(viewer, evaluation) and not is_officer
    return Actions(
        self_assess=is_officer and status == Step.SELF,
        skip_self=(is_evaluator or manager) and status == Step.SELF and past_self,
        rate=is_evaluator and (status == Step.RATING or (status == Step.SELF and past_self)),
        review=status == Step.REVIEW
        and not is_evaluator
        and (is_reviewer or (evaluation.reviewer_id is None and manager)),
        acknowledge=is_officer and status == Step.ACKNOWLEDGEMENT,
        appeal=is_officer
        and status == Step.ACKNOWLEDGEMENT
        and (evaluation.acknowledge_by is None or today <= evaluation.acknowledge_by),
        decide=manager and status == Step.APPEAL,
        reassign=manager and status in (Step.SELF, Step.RATING, Step.REVIEW),
    )
