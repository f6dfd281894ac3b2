"""Performance evaluation (notation): forms, cycles, evaluations and their scores."""

from __future__ import annotations

from matricule.evaluations.models.cycles import Cycle, CycleStatus, Exclusion, ExclusionReason
from matricule.evaluations.models.evaluations import (
    OPEN_STEPS,
    RATED_STEPS,
    AppealDecision,
    Evaluation,
    NoticeKind,
    Reminder,
    ReviewDecision,
    Score,
    Step,
)
from matricule.evaluations.models.forms import DEFAULT_SCALE, STEPS, Criterion, FormVersion

__all__ = [
    "DEFAULT_SCALE",
    "OPEN_STEPS",
    "RATED_STEPS",
    "STEPS",
    "AppealDecision",
    "Criterion",
    "Cycle",
    "CycleStatus",
    "Evaluation",
    "Exclusion",
    "ExclusionReason",
    "FormVersion",
    "NoticeKind",
    "Reminder",
    "ReviewDecision",
    "Score",
    "Step",
]
