"""Every write of the training app (services take keyword arguments and audit in-transaction)."""

from __future__ import annotations

from matricule.training.services.catalogue import (
    course_create,
    course_publish,
    course_skill_set,
    course_unpublish,
    course_update,
    module_add,
    module_remove,
    prerequisite_course_add,
    prerequisite_skill_set,
    publication_problems,
    required_training_add,
    required_training_remove,
)
from matricule.training.services.sessions import (
    CloseSummary,
    attendance_record,
    certificate_numbers_allocate,
    enrolment_confirm,
    enrolment_nominate,
    enrolment_withdraw,
    nomination_problems,
    result_record,
    session_close,
    session_create,
    session_status_set,
)
from matricule.training.services.skills import officer_skill_add, officer_skill_verify
from matricule.training.services.trainers import (
    cotaught_required,
    session_trainer_add,
    trainer_pathway_advance,
    trainer_qualification_set,
)

__all__ = [
    "CloseSummary",
    "attendance_record",
    "certificate_numbers_allocate",
    "cotaught_required",
    "course_create",
    "course_publish",
    "course_skill_set",
    "course_unpublish",
    "course_update",
    "enrolment_confirm",
    "enrolment_nominate",
    "enrolment_withdraw",
    "module_add",
    "module_remove",
    "nomination_problems",
    "officer_skill_add",
    "officer_skill_verify",
    "prerequisite_course_add",
    "prerequisite_skill_set",
    "publication_problems",
    "required_training_add",
    "required_training_remove",
    "result_record",
    "session_close",
    "session_create",
    "session_status_set",
    "session_trainer_add",
    "trainer_pathway_advance",
    "trainer_qualification_set",
]
