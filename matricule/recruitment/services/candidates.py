"""Applications: entry with the eligibility check, withdrawal, scanned documents."""

from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from matricule.core.audit import audit_record, model_snapshot
from matricule.personnel.models import fold
from matricule.recruitment.models import (
    Candidate,
    CandidateDocument,
    CohortMember,
    DocumentCode,
    Intake,
)
from matricule.recruitment.rules import eligibility_reasons

if TYPE_CHECKING:
    from matricule.accounts.models import User

from matricule.recruitment.services._common import (
    _has_cohort,
    _refuse,
)

CANDIDATE_FIELDS = [
    "application_number",
    "family_name",
    "given_names",
    "sex",
    "birth_date",
    "birth_place",
    "nina",
    "nationality",
    "marital_status",
    "diploma",
    "diploma_title",
    "centre",
    "region",
    "phone",
    "documents",
]


def _normalise(data: Mapping[str, Any]) -> dict[str, Any]:
    import unicodedata

    clean = {k: v for k, v in data.items() if k in CANDIDATE_FIELDS}
    for key in ("family_name", "given_names", "birth_place", "diploma_title", "nationality"):
        if isinstance(clean.get(key), str):
            clean[key] = " ".join(unicodedata.normalize("NFC", clean[key]).split())
    for key in ("nina", "application_number"):
        if isinstance(clean.get(key), str):
            clean[key] = clean[key].strip().upper().replace(" ", "")
    return clean


def candidate_create(*, intake: Intake, data: Mapping[str, Any], by: User | None) -> Candidate:
    """Record an application; eligibility is checked at once and its reasons kept."""
    with transaction.atomic():
        if not intake.accepts_candidates:
            raise _refuse(_("Les candidatures de ce concours sont closes."))
        clean = _normalise(data)
        candidate = Candidate(intake=intake, **clean)
        candidate.search_name = fold(f"{candidate.family_name} {candidate.given_names}")
        centre = clean.get("centre")
        if centre is not None and centre.intake_id != intake.pk:
            raise _refuse(_("Ce centre d'examen n'appartient pas à ce concours."), "centre")
        if candidate.nina and Candidate.objects.filter(intake=intake, nina=candidate.nina).exists():
            raise _refuse(
                _(
                    "Une candidature avec ce NINA existe déjà pour ce concours : "
                    "une seule candidature par personne."
                ),
                "nina",
            )
        candidate.full_clean()
        reasons = eligibility_reasons(
            intake=intake,
            birth_date=candidate.birth_date,
            diploma=candidate.diploma,
            nationality=candidate.nationality,
            marital_status=candidate.marital_status,
        )
        candidate.eligible = not reasons
        candidate.ineligibility_reasons = reasons
        candidate.save()
        audit_record(
            by=by, action="candidate.create", obj=candidate, after=model_snapshot(candidate)
        )
    return candidate


def candidate_withdraw(
    *, candidate: Candidate, on: datetime.date, reason: str, by: User | None
) -> Candidate:
    with transaction.atomic():
        current = Candidate.objects.select_for_update().get(pk=candidate.pk)
        if current.withdrawn_on is not None:
            raise _refuse(_("Le désistement de ce candidat est déjà enregistré."))
        if current.officer_id is not None:
            raise _refuse(_("Ce candidat est déjà devenu agent."))
        if _has_cohort(current.intake) and CohortMember.objects.filter(candidate=current).exists():
            raise _refuse(_("Ce candidat est élève de la promotion : voyez la scolarité."))
        if not reason.strip():
            raise _refuse(_("Indiquez le motif du désistement."), "reason")
        current.withdrawn_on = on
        current.withdrawal_reason = reason.strip()[:255]
        current.save(update_fields=["withdrawn_on", "withdrawal_reason"])
        audit_record(
            by=by,
            action="candidate.withdraw",
            obj=current,
            after={"withdrawn_on": on, "reason": current.withdrawal_reason},
        )
    return current


def candidate_document_add(
    *, candidate: Candidate, kind: str, data: bytes, by: User | None
) -> CandidateDocument:
    """Attach a scan to the application file after checking what it really is."""
    from django.core.files.base import ContentFile

    from matricule.personnel.services import MAX_DOCUMENT_BYTES, verified_content_type

    if kind not in DocumentCode.values:
        raise _refuse(_("Choisissez la pièce."), "kind")
    if len(data) > MAX_DOCUMENT_BYTES:
        raise _refuse(_("Le fichier dépasse 10 Mo."), "file")
    content_type = verified_content_type(data)
    if content_type is None:
        raise _refuse(_("Seuls les fichiers PDF, JPEG et PNG lisibles sont acceptés."), "file")
    extension = {"application/pdf": "pdf", "image/jpeg": "jpg", "image/png": "png"}[content_type]
    with transaction.atomic():
        current = Candidate.objects.select_for_update().get(pk=candidate.pk)
        document = CandidateDocument(
            candidate=current, kind=kind, content_type=content_type, uploaded_by=by
        )
        document.file.save(
            f"{kind}-{timezone.now():%Y%m%d%H%M%S}.{extension}", ContentFile(data), save=False
        )
        document.save()
        if kind not in current.documents:
            current.documents = [*current.documents, kind]
            current.save(update_fields=["documents"])
        audit_record(
            by=by,
            action="candidate.document_add",
            obj=document,
            after={"candidat": current.application_number, "piece": kind, "type": content_type},
        )
    return document
