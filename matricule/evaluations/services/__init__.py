"""Every write of evaluations: forms, cycles, steps, reminders."""

from __future__ import annotations

from matricule.evaluations.services.cycles import (
    OpenReport,
    cycle_close,
    cycle_extend,
    cycle_open,
    cycle_reopen,
    exclusion_reinstate,
)
from matricule.evaluations.services.forms import (
    CriterionSpec,
    default_criteria,
    form_create,
    form_ensure,
    form_in_force,
    form_update,
)
from matricule.evaluations.services.reminders import ReminderReport, reminders_send
from matricule.evaluations.services.resolution import OrgTree, Raters, raters_for
from matricule.evaluations.services.steps import (
    ScoreInput,
    evaluation_acknowledge,
    evaluation_appeal,
    evaluation_appeal_decide,
    evaluation_rate,
    evaluation_reassign,
    evaluation_review,
    evaluation_self_assess,
    evaluation_self_skip,
    may_manage,
    weighted_mark,
)

__all__ = [
    "CriterionSpec",
    "OpenReport",
    "OrgTree",
    "Raters",
    "ReminderReport",
    "ScoreInput",
    "cycle_close",
    "cycle_extend",
    "cycle_open",
    "cycle_reopen",
    "default_criteria",
    "evaluation_acknowledge",
    "evaluation_appeal",
    "evaluation_appeal_decide",
    "evaluation_rate",
    "evaluation_reassign",
    "evaluation_review",
    "evaluation_self_assess",
    "evaluation_self_skip",
    "exclusion_reinstate",
    "form_create",
    "form_ensure",
    "form_in_force",
    "form_update",
    "may_manage",
    "raters_for",
    "reminders_send",
    "weighted_mark",
]
