"""The officer record: identity, family, education, documents, photos, and the career."""

from __future__ import annotations

from matricule.personnel.models.access import Channel, RecordAccess
from matricule.personnel.models.career import ActKind, CareerEvent, EventKind
from matricule.personnel.models.imports import ImportJob
from matricule.personnel.models.officer import (
    IN_SERVICE_STATUSES,
    BloodGroup,
    Child,
    Education,
    MaritalStatus,
    NameWord,
    Officer,
    OfficerDocument,
    OfficerLanguage,
    OfficerPhoto,
    Sex,
    Status,
    fold,
    name_words,
    nina_validator,
    sort_key,
)

__all__ = [
    "IN_SERVICE_STATUSES",
    "ActKind",
    "BloodGroup",
    "CareerEvent",
    "Channel",
    "Child",
    "Education",
    "EventKind",
    "ImportJob",
    "MaritalStatus",
    "NameWord",
    "Officer",
    "OfficerDocument",
    "OfficerLanguage",
    "OfficerPhoto",
    "RecordAccess",
    "Sex",
    "Status",
    "fold",
    "name_words",
    "nina_validator",
    "sort_key",
]
