"""Every write of the deployments app: validated, in one transaction, audited."""

from __future__ import annotations

from matricule.deployments.services.assignments import (
    AssignmentConflict,
    DoubleBooking,
    PositionFull,
    SyncResult,
    Unavailable,
    assignment_cancel,
    assignment_create,
    assignment_end,
    assignments_end_for_exit,
    assignments_start_due,
)
from matricule.deployments.services.operations import (
    operation_create,
    operation_document_add,
    operation_status_set,
    operation_update,
    position_create,
    position_update,
    requirement_add,
    requirement_remove,
)
from matricule.deployments.services.readiness import (
    critical_skill_add,
    critical_skill_remove,
    un_assessment_record,
)

__all__ = [
    "AssignmentConflict",
    "DoubleBooking",
    "PositionFull",
    "SyncResult",
    "Unavailable",
    "assignment_cancel",
    "assignment_create",
    "assignment_end",
    "assignments_end_for_exit",
    "assignments_start_due",
    "critical_skill_add",
    "critical_skill_remove",
    "operation_create",
    "operation_document_add",
    "operation_status_set",
    "operation_update",
    "position_create",
    "position_update",
    "requirement_add",
    "requirement_remove",
    "un_assessment_record",
]
