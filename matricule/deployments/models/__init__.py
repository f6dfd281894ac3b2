"""Operations, positions and their requirements, assignments, UN assessments."""

from __future__ import annotations

from matricule.deployments.models.assignments import HOLDING_STATES, Assignment, AssignmentState
from matricule.deployments.models.operations import (
    CEFR_BY_LEVEL,
    CriticalSkill,
    DocumentKind,
    Operation,
    OperationDocument,
    OperationKind,
    OperationStatus,
    PartnerAgency,
    Position,
    Requirement,
    RequirementKind,
)
from matricule.deployments.models.readiness import LANGUAGE_PASS_MARK, UnAssessment, UnTest

__all__ = [
    "CEFR_BY_LEVEL",
    "HOLDING_STATES",
    "LANGUAGE_PASS_MARK",
    "Assignment",
    "AssignmentState",
    "CriticalSkill",
    "DocumentKind",
    "Operation",
    "OperationDocument",
    "OperationKind",
    "OperationStatus",
    "PartnerAgency",
    "Position",
    "Requirement",
    "RequirementKind",
    "UnAssessment",
    "UnTest",
]
