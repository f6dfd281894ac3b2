"""Reference data, org tree and the audit trail."""

from __future__ import annotations

from matricule.core.models.audit import AuditEntry, AuditHead
from matricule.core.models.reference import (
    Agency,
    AgencyKind,
    Corps,
    DocumentType,
    Establishment,
    Grade,
    GradeBand,
    GradeMapping,
    Language,
    Region,
    Signatory,
    Skill,
    SkillCategory,
    StatuteVersion,
    Unit,
    UnitType,
)
from matricule.core.models.replay import FormSubmission, IdempotencyKey

__all__ = [
    "Agency",
    "AgencyKind",
    "AuditEntry",
    "AuditHead",
    "Corps",
    "DocumentType",
    "Establishment",
    "FormSubmission",
    "Grade",
    "GradeBand",
    "GradeMapping",
    "IdempotencyKey",
    "Language",
    "Region",
    "Signatory",
    "Skill",
    "SkillCategory",
    "StatuteVersion",
    "Unit",
    "UnitType",
]
