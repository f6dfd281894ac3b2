"""Writes of the recruitment: each validates, writes and records its audit entry in one
transaction. Each module is one part of the intake: configuration (intakes), candidates,
results and their XLSX imports (imports), ranking, the school cohort and graduation."""

from __future__ import annotations

from matricule.recruitment.services._common import TRAINING_PASS_MARK
from matricule.recruitment.services.candidates import (
    candidate_create,
    candidate_document_add,
    candidate_withdraw,
)
from matricule.recruitment.services.cohort import (
    cohort_create,
    member_update,
)
from matricule.recruitment.services.intakes import (
    centre_add,
    config_remove,
    event_add,
    intake_advance,
    intake_create,
    intake_publish,
    intake_unpublish,
    intake_update,
    quota_add,
    stage_add,
    subject_add,
)
from matricule.recruitment.services.results import (
    check_can_sit,
    refresh_elimination,
    result_record,
)

__all__ = [
    "TRAINING_PASS_MARK",
    "candidate_create",
    "candidate_document_add",
    "candidate_withdraw",
    "centre_add",
    "check_can_sit",
    "cohort_create",
    "config_remove",
    "event_add",
    "intake_advance",
    "intake_create",
    "intake_publish",
    "intake_unpublish",
    "intake_update",
    "member_update",
    "quota_add",
    "refresh_elimination",
    "result_record",
    "stage_add",
    "subject_add",
]
