"""Documents, photos and the lines that hang off a record (children, diplomas, languages)."""

from __future__ import annotations

import datetime
from typing import TYPE_CHECKING, Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from matricule.core import filetypes
from matricule.core.audit import audit_record, model_snapshot
from matricule.personnel.models import Officer

if TYPE_CHECKING:
    from matricule.accounts.models import User


def _today() -> datetime.date:
    return timezone.localdate()


MAX_DOCUMENT_BYTES = 10 * 1024 * 1024
# Recognised by opening them (core.filetypes), never by the name or the browser's claim.
SIGNATURES = filetypes.SIGNATURES
sniff_content_type = filetypes.sniff_content_type
verified_content_type = filetypes.verified_content_type


def not_a_document_message() -> str:
    return _(
        "Seuls les fichiers PDF, JPEG et PNG lisibles sont acceptés (le fichier est ouvert "
        "pour le vérifier : son nom ou son début ne suffisent pas)."
    )


def document_add(
    *,
    officer: Officer,
    doc_type: Any,
    title: str,
    date: datetime.date,
    data: bytes,
    filename: str,
    by: User | None,
) -> Any:
    """Attach a scanned document to the record after checking what it really is."""
    from django.core.files.base import ContentFile

    from matricule.personnel.models import OfficerDocument

    if len(data) > MAX_DOCUMENT_BYTES:
        raise ValidationError({"file": _("Le fichier dépasse 10 Mo.")})
    content_type = verified_content_type(data)
    if content_type is None:
        raise ValidationError({"file": not_a_document_message()})
    if date > _today():
        raise ValidationError({"date": _("La date du document ne peut pas être dans le futur.")})
    extension = {"application/pdf": "pdf", "image/jpeg": "jpg", "image/png": "png"}[content_type]
    with transaction.atomic():
        document = OfficerDocument(
            officer=officer,
            doc_type=doc_type,
            title=title.strip(),
            date=date,
            content_type=content_type,
            uploaded_by=by,
        )
        document.file.save(
            f"{doc_type.code}-{timezone.now():%Y%m%d%H%M%S}.{extension}",
            ContentFile(data),
            save=False,
        )
        document.save()
        audit_record(
            by=by,
            action="document.add",
            obj=document,
            subject_officer_id=officer.pk,
            after={
                "type": doc_type.code,
                "title": document.title,
                "date": date.isoformat(),
                "original_name": filename[:100],
            },
        )
    return document


def photo_add(
    *, officer: Officer, data: bytes, crop: tuple[float, float, float] | None, by: User | None
) -> Any:
    """Add a photo to the history; it becomes the current one."""
    from django.core.files.base import ContentFile

    from matricule.personnel.models import OfficerPhoto
    from matricule.personnel.photos import photo_process

    processed = photo_process(data, crop=crop)
    stamp = f"{timezone.now():%Y%m%d%H%M%S}"
    with transaction.atomic():
        photo = OfficerPhoto(officer=officer, uploaded_by=by)
        photo.image.save(f"{stamp}.jpg", ContentFile(processed.image), save=False)
        photo.thumbnail.save(f"{stamp}-mini.jpg", ContentFile(processed.thumbnail), save=False)
        photo.save()
        audit_record(
            by=by,
            action="photo.add",
            obj=photo,
            subject_officer_id=officer.pk,
            after={"photo": photo.image.name},
        )
    return photo


# Lines of the record that hang off the officer: children, diplomas, languages.
RECORD_LINES = {"child": "children", "education": "education", "language": "languages"}


def record_line_add(*, officer: Officer, kind: str, data: dict[str, Any], by: User | None) -> Any:
    """Add a child, a diploma or a language to the record."""
    from matricule.personnel.models import Child, Education, OfficerLanguage

    model = {"child": Child, "education": Education, "language": OfficerLanguage}[kind]
    line = model(officer=officer, **data)
    line.full_clean()
    with transaction.atomic():
        line.save()
        audit_record(
            by=by,
            action=f"{kind}.add",
            obj=line,
            subject_officer_id=officer.pk,
            after=model_snapshot(line),
        )
    return line


def record_line_remove(*, officer: Officer, kind: str, pk: int, by: User | None) -> None:
    manager = getattr(officer, RECORD_LINES[kind])
    with transaction.atomic():
        line = manager.select_for_update().filter(pk=pk).first()
        if line is None:
            raise ValidationError(_("Cette ligne n'existe plus."))
        audit_record(
            by=by,
            action=f"{kind}.remove",
            obj=line,
            subject_officer_id=officer.pk,
            before=model_snapshot(line),
        )
        line.delete()
