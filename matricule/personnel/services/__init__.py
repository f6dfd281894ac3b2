"""Every write of the personnel record. Each one validates, writes, keeps the snapshot in
step with the career and records its audit entry, in a single transaction."""

from __future__ import annotations

from matricule.personnel.services.accounts import officer_accounts_create
from matricule.personnel.services.career import (
    STATUS_EVENT_CHOICES,
    Act,
    command_appoint,
    command_end,
    event_record,
    snapshot_expected,
    snapshot_save,
)
from matricule.personnel.services.discipline import (
    disciplinary_case_close,
    disciplinary_case_open,
)
from matricule.personnel.services.documents import (
    MAX_DOCUMENT_BYTES,
    RECORD_LINES,
    SIGNATURES,
    document_add,
    photo_add,
    record_line_add,
    record_line_remove,
    sniff_content_type,
    verified_content_type,
)
from matricule.personnel.services.exports import officer_export
from matricule.personnel.services.officers import (
    IDENTITY_FIELDS,
    ConflictError,
    name_words_save,
    officer_create,
    officer_update,
)

__all__ = [
    "IDENTITY_FIELDS",
    "MAX_DOCUMENT_BYTES",
    "RECORD_LINES",
    "SIGNATURES",
    "STATUS_EVENT_CHOICES",
    "Act",
    "ConflictError",
    "command_appoint",
    "command_end",
    "disciplinary_case_close",
    "disciplinary_case_open",
    "document_add",
    "event_record",
    "name_words_save",
    "officer_accounts_create",
    "officer_create",
    "officer_export",
    "officer_update",
    "photo_add",
    "record_line_add",
    "record_line_remove",
    "snapshot_expected",
    "snapshot_save",
    "sniff_content_type",
    "verified_content_type",
]
