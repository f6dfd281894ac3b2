"""Every read of evaluations, filtered by the viewer's scope in the query."""

from __future__ import annotations

from matricule.evaluations.selectors.evaluations import (
    appeals_to_decide,
    cycle_get,
    cycles_visible,
    evaluation_get,
    evaluation_list,
    exclusions_of,
    hr_queue,
    inbox,
    my_evaluations,
    next_in_inbox,
    open_work_counts,
    overdue,
    readable_q,
)
from matricule.evaluations.selectors.marks import closed_years, officer_marks
from matricule.evaluations.selectors.reports import (
    Completion,
    CompletionRow,
    RaterStats,
    calibration,
    completion,
    rater_calibration,
)

__all__ = [
    "Completion",
    "CompletionRow",
    "RaterStats",
    "appeals_to_decide",
    "calibration",
    "closed_years",
    "completion",
    "cycle_get",
    "cycles_visible",
    "evaluation_get",
    "evaluation_list",
    "exclusions_of",
    "hr_queue",
    "inbox",
    "my_evaluations",
    "next_in_inbox",
    "officer_marks",
    "open_work_counts",
    "overdue",
    "rater_calibration",
    "readable_q",
]
