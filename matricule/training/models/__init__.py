"""Training and skills: catalogue, sessions, results, certificates, trainers, inventory."""

from __future__ import annotations

from matricule.training.models.catalogue import (
    Course,
    CourseCategory,
    CourseModule,
    CoursePrerequisiteSkill,
    CourseSkill,
    Partner,
    RequiredTraining,
)
from matricule.training.models.sessions import (
    SEATED,
    Attendance,
    Certificate,
    CertificateCounter,
    Enrolment,
    EnrolmentState,
    Result,
    SessionStatus,
    SessionTrainer,
    TrainerRole,
    TrainingSession,
)
from matricule.training.models.skills import (
    OfficerSkill,
    SkillSource,
    TrainerLevel,
    TrainerQualification,
)

__all__ = [
    "SEATED",
    "Attendance",
    "Certificate",
    "CertificateCounter",
    "Course",
    "CourseCategory",
    "CourseModule",
    "CoursePrerequisiteSkill",
    "CourseSkill",
    "Enrolment",
    "EnrolmentState",
    "OfficerSkill",
    "Partner",
    "RequiredTraining",
    "Result",
    "SessionStatus",
    "SessionTrainer",
    "SkillSource",
    "TrainerLevel",
    "TrainerQualification",
    "TrainerRole",
    "TrainingSession",
]
