"""The officer record: identity, family, education, documents, photos, and the career."""

from __future__ import annotations

from matricule.personnel.models.access import Channel, RecordAccess
from matricule.personnel.models.career import (
    ActKind,
    CareerEvent,
    CommandRole,
    DisciplinaryCase,
    EventKind,
    SanctionGroup,
)
from matricule.personnel.models.imports import ImportChange, ImportJob, ImportValueMap
from matricule.personnel.models.officer import (
    EXIT_STATUSES,
    IN_SERVICE_STATUSES,
    BloodGroup,
    Child,
    Education,
    LegacyIdentifier,
    MaritalStatus,
    NameWord,
    Officer,
    OfficerDocument,
    OfficerLanguage,
    OfficerPhoto,
    Sex,
    Status,
    fold,
    legacy_value,
    name_words,
    nina_validator,
    sort_key,
)

__all__ = [
    "EXIT_STATUSES",
    "IN_SERVICE_STATUSES",
    "ActKind",
    "BloodGroup",
    "CareerEvent",
    "Channel",
    "Child",
    "CommandRole",
    "DisciplinaryCase",
    "Education",
    "EventKind",
    "ImportChange",
    "ImportJob",
    "ImportValueMap",
    "LegacyIdentifier",
    "MaritalStatus",
    "NameWord",
    "Officer",
    "OfficerDocument",
    "OfficerLanguage",
    "OfficerPhoto",
    "RecordAccess",
    "SanctionGroup",
    "Sex",
    "Status",
    "fold",
    "legacy_value",
    "name_words",
    "nina_validator",
    "sort_key",
]
