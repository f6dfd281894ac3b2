"""Recruitment (concours): intakes, their stages, candidates, results, ranking and cohorts."""

from __future__ import annotations

from matricule.recruitment.models.candidate import (
    Candidate,
    CandidateDocument,
    DocumentCode,
    Outcome,
    RankingEntry,
    StageResult,
    candidate_document_path,
)
from matricule.recruitment.models.cohort import (
    Cohort,
    CohortMember,
)
from matricule.recruitment.models.intake import (
    DETAILED_KINDS,
    FIT_KINDS,
    AgeTieBreak,
    DiplomaLevel,
    ExamCentre,
    Intake,
    IntakeQuota,
    IntakeStatus,
    PassRule,
    PerformanceUnit,
    PhysicalEvent,
    ScoringRow,
    Stage,
    StageKind,
    WrittenSubject,
)

__all__ = [
    "DETAILED_KINDS",
    "FIT_KINDS",
    "AgeTieBreak",
    "Candidate",
    "CandidateDocument",
    "Cohort",
    "CohortMember",
    "DiplomaLevel",
    "DocumentCode",
    "ExamCentre",
    "Intake",
    "IntakeQuota",
    "IntakeStatus",
    "Outcome",
    "PassRule",
    "PerformanceUnit",
    "PhysicalEvent",
    "RankingEntry",
    "ScoringRow",
    "Stage",
    "StageKind",
    "StageResult",
    "WrittenSubject",
    "candidate_document_path",
]
