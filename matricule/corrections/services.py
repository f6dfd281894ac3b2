"""Correction requests: filed by the officer, decided by HR through the record's own services."""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from matricule.accounts.models import User
from matricule.accounts.roles import Perm
from matricule.accounts.services import notify
from matricule.core.audit import audit_record
from matricule.core.lookups import grade_by_code, unit_by_code
from matricule.core.models import Unit
from matricule.corrections.models import (
    PENDING_EVENT_MESSAGE,
    PENDING_FIELD_MESSAGE,
    CorrectionEvidence,
    CorrectionRequest,
)
from matricule.personnel.models import CareerEvent, EventKind, Officer
from matricule.personnel.selectors import viewer_perms_for
from matricule.personnel.services import (
    IDENTITY_FIELDS,
    Act,
    event_record,
    officer_update,
    verified_content_type,
)

MAX_EVIDENCE_BYTES = 5 * 1024 * 1024
MAX_EVIDENCE_FILES = 5
# What an officer may propose for an event of their career.
EVENT_FIELDS = [
    "effective_date",
    "unit",
    "grade",
    "status",
    "function",
    "detail",
    "act_number",
    "act_date",
]


@dataclass(frozen=True)
class Upload:
    name: str
    data: bytes


def field_value(officer: Officer, name: str) -> str:
    """A field's value as text, the form in which requests store and compare it."""
    value = getattr(officer, name)
    if value is None:
        return ""
    if isinstance(value, datetime.date):
        return value.isoformat()
    return str(value)


def _clean_field(officer: Officer, name: str, raw: str) -> Any:
    if name not in IDENTITY_FIELDS:
        raise ValidationError(
            {"field_name": _("Cette information ne peut pas être corrigée par une demande.")}
        )
    field = Officer._meta.get_field(name)
    raw = raw.strip()
    if raw == "" and (field.blank or field.null):  # type: ignore[union-attr]
        return None if field.null else ""
    try:
        value = field.to_python(raw)  # type: ignore[union-attr]
        field.validate(value, officer)  # type: ignore[union-attr]
        field.run_validators(value)  # type: ignore[union-attr]
    except ValidationError as error:
        raise ValidationError({"proposed": error.messages}) from None
    return value


def _event_proposal(officer: Officer, event: CareerEvent, raw: dict[str, str]) -> dict[str, Any]:
    """Validate the officer's proposed values for an event; returns them as JSON-ready text."""
    errors: dict[str, list[str]] = {}
    clean: dict[str, Any] = {}
    for key in EVENT_FIELDS:
        value = (raw.get(key) or "").strip()
        if not value:
            continue
        if key in ("effective_date", "act_date"):
            try:
                clean[key] = datetime.date.fromisoformat(value).isoformat()
            except ValueError:
                errors.setdefault(key, []).append(_("Date invalide : utilisez AAAA-MM-JJ."))
        elif key == "unit":
            try:
                clean[key] = _event_unit(officer, event, value).code
            except ValidationError as error:
                errors.setdefault(key, []).extend(error.message_dict["unit"])
        elif key == "grade":
            day = _proposed_day(raw, event)
            try:
                clean[key] = grade_by_code(code=value, agency_id=officer.agency_id, on=day).code
            except ValidationError as error:
                errors.setdefault(key, []).extend(error.message_dict["grade"])
        else:
            clean[key] = value[:255]
    if not clean and not errors:
        errors["proposed"] = [_("Indiquez au moins une valeur corrigée.")]
    if errors:
        raise ValidationError(errors)
    return clean


def _event_unit(officer: Officer, event: CareerEvent, code: str) -> Unit:
    """The unit a code names for this event: a host agency's for a secondment, the
    officer's own agency's otherwise (codes are unique only within an agency)."""
    if event.kind == EventKind.SECONDMENT:
        return unit_by_code(code=code, exclude_agency_id=officer.agency_id)
    return unit_by_code(code=code, agency_ids=[officer.agency_id])


def _proposed_day(raw: dict[str, str], event: CareerEvent) -> datetime.date:
    """The date a proposed grade is read at: the proposed effective date, else the event's."""
    try:
        return datetime.date.fromisoformat((raw.get("effective_date") or "").strip())
    except ValueError:
        return event.effective_date


def _event_current(event: CareerEvent) -> dict[str, Any]:
    return {
        "effective_date": event.effective_date.isoformat(),
        "unit": event.unit.code if event.unit else "",
        "grade": event.grade.code if event.grade else "",
        "status": event.status,
        "function": event.function,
        "detail": event.detail,
        "act_number": event.act_number,
        "act_date": event.act_date.isoformat() if event.act_date else "",
    }


def correction_file(
    *,
    officer: Officer,
    by: User,
    justification: str,
    uploads: list[Upload],
    field_name: str = "",
    event: CareerEvent | None = None,
    proposed: dict[str, str] | None = None,
) -> CorrectionRequest:
    """File a request on one's own record, with scans as evidence."""
    if by.officer_id != officer.pk:
        raise ValidationError(
            _("Seul l'agent concerné peut demander la correction de son dossier.")
        )
    proposed = proposed or {}
    errors: dict[str, list[str]] = {}
    if len(justification.strip()) < 10:
        errors["justification"] = [
            _(
                "Expliquez en quelques mots pourquoi l'information est "
                "inexacte (10 caractères au moins)."
            )
        ]
    if not uploads:
        errors["files"] = [_("Joignez au moins une pièce justificative (scan ou photo).")]
    if len(uploads) > MAX_EVIDENCE_FILES:
        errors["files"] = [_("%(n)d pièces au plus.") % {"n": MAX_EVIDENCE_FILES}]
    kinds = []
    # Too many files is refused as such: none of them is opened.
    for upload in uploads if len(uploads) <= MAX_EVIDENCE_FILES else []:
        if len(upload.data) > MAX_EVIDENCE_BYTES:
            kind = None
            errors.setdefault("files", []).append(
                _("« %(name)s » dépasse 5 Mo.") % {"name": upload.name}
            )
        else:
            kind = verified_content_type(upload.data)
            if kind is None:
                errors.setdefault("files", []).append(
                    _("« %(name)s » n'est ni un PDF, ni un JPEG, ni un PNG lisible.")
                    % {"name": upload.name}
                )
        kinds.append(kind)
    if event is not None:
        if event.officer_id != officer.pk or event.is_superseded:
            raise ValidationError(_("Cet événement n'est plus d'actualité dans votre dossier."))
        current: dict[str, Any] = _event_current(event)
        try:
            value: dict[str, Any] = _event_proposal(officer, event, proposed)
        except ValidationError as error:
            for key, messages in error.message_dict.items():
                errors.setdefault(key, []).extend(messages)
            value = {}
        target = CorrectionRequest.Target.EVENT
    elif field_name not in IDENTITY_FIELDS:
        # Checked before reading the field: an empty or unknown name is the caller's error.
        errors["field_name"] = [
            _("Indiquez l'information à corriger.")
            if not field_name.strip()
            else _("« %(name)s » n'est pas une information que l'on peut corriger par une demande.")
            % {"name": field_name[:40]}
        ]
        current, value, target = {}, {}, CorrectionRequest.Target.FIELD
    else:
        current = {"value": field_value(officer, field_name)}
        try:
            parsed = _clean_field(officer, field_name, proposed.get("value", ""))
            text = (
                parsed.isoformat()
                if isinstance(parsed, datetime.date)
                else ("" if parsed is None else str(parsed))
            )
            value = {"value": text}
            if text == current["value"]:
                errors.setdefault("proposed", []).append(
                    _("La valeur proposée est identique à celle du dossier.")
                )
        except ValidationError as error:
            for key, messages in error.message_dict.items():
                errors.setdefault(key, []).extend(messages)
            value = {}
        target = CorrectionRequest.Target.FIELD
    pending = CorrectionRequest.objects.filter(
        officer=officer, state=CorrectionRequest.State.PENDING
    )
    if event is not None and pending.filter(event=event).exists():
        errors.setdefault("__all__", []).append(str(PENDING_EVENT_MESSAGE))
    elif event is None and pending.filter(target=target, field_name=field_name).exists():
        errors.setdefault("__all__", []).append(str(PENDING_FIELD_MESSAGE))
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        try:
            # The check above is for the common case; two requests at once meet here, at
            # the partial unique index, and the second is refused the same way.
            with transaction.atomic():
                request = CorrectionRequest.objects.create(
                    officer=officer,
                    target=target,
                    field_name=field_name if event is None else "",
                    event=event,
                    current=current,
                    proposed=value,
                    justification=justification.strip(),
                    created_by=by,
                )
        except IntegrityError:
            raise ValidationError(
                str(PENDING_EVENT_MESSAGE if event is not None else PENDING_FIELD_MESSAGE)
            ) from None
        for upload, kind in zip(uploads, kinds, strict=True):
            evidence = CorrectionEvidence(
                request=request,
                content_type=kind or "",
                size=len(upload.data),
                original_name=upload.name[:150],
            )
            extension = {"application/pdf": "pdf", "image/jpeg": "jpg", "image/png": "png"}[
                kind or "application/pdf"
            ]
            evidence.file.save(
                f"piece-{timezone.now():%Y%m%d%H%M%S%f}.{extension}",
                ContentFile(upload.data),
                save=False,
            )
            evidence.save()
        audit_record(
            by=by,
            action="correction.file",
            obj=request,
            subject_officer_id=officer.pk,
            after={
                "target": target,
                "field": field_name,
                "event": event.pk if event else None,
                "current": current,
                "proposed": value,
            },
        )
    return request


def correction_withdraw(*, request: CorrectionRequest, by: User) -> None:
    with transaction.atomic():
        request = CorrectionRequest.objects.select_for_update(of=("self",)).get(pk=request.pk)
        if request.created_by_id != by.pk:
            raise ValidationError(_("Seul l'auteur de la demande peut la retirer."))
        if request.state != CorrectionRequest.State.PENDING:
            raise ValidationError(_("Cette demande a déjà été traitée."))
        request.state = CorrectionRequest.State.WITHDRAWN
        request.decided_at = timezone.now()
        request.save(update_fields=["state", "decided_at"])
        audit_record(
            by=by, action="correction.withdraw", obj=request, subject_officer_id=request.officer_id
        )


def correction_is_stale(request: CorrectionRequest) -> bool:
    """True when the record changed since the request was filed."""
    if request.target == CorrectionRequest.Target.EVENT:
        return request.event is None or request.event.is_superseded
    current: object = field_value(request.officer, request.field_name)
    return bool(current != request.current.get("value"))


def _check_decider(request: CorrectionRequest, by: User) -> None:
    if request.state != CorrectionRequest.State.PENDING:
        raise ValidationError(_("Cette demande a déjà été traitée."))
    if request.created_by_id == by.pk or (by.officer_id and by.officer_id == request.officer_id):
        raise ValidationError(
            _("Vous ne pouvez pas traiter une demande qui concerne votre propre dossier.")
        )
    if Perm.CORRECTIONS_PROCESS not in viewer_perms_for(by, request.officer):
        raise ValidationError(_("Cet agent n'est pas dans votre périmètre."))


def correction_approve(
    *, request: CorrectionRequest, by: User, confirm_stale: bool = False
) -> CorrectionRequest:
    """Apply the requested change through the record's services, in one transaction."""
    with transaction.atomic():
        request = (
            CorrectionRequest.objects.select_for_update(of=("self",))
            .select_related("officer", "event")
            .get(pk=request.pk)
        )
        _check_decider(request, by)
        officer = Officer.objects.select_for_update().get(pk=request.officer_id)
        request.officer = officer
        if correction_is_stale(request):
            if request.target == CorrectionRequest.Target.EVENT:
                raise ValidationError(
                    _(
                        "L'événement a été corrigé depuis la demande : "
                        "rejetez-la en l'expliquant à l'agent."
                    )
                )
            if not confirm_stale:
                raise ValidationError(
                    _(
                        "L'information a changé depuis la demande. Vérifiez "
                        "puis confirmez pour appliquer quand même."
                    )
                )
        source = {"correction_request": request.pk}
        if request.target == CorrectionRequest.Target.FIELD:
            value = _clean_field(officer, request.field_name, request.proposed["value"])
            officer_update(
                officer=officer,
                data={request.field_name: value},
                expected_version=officer.version,
                by=by,
                source=source,
            )
        else:
            _apply_event(request, by, source)
        request.state = CorrectionRequest.State.APPROVED
        request.decided_by = by
        request.decided_at = timezone.now()
        request.save(update_fields=["state", "decided_by", "decided_at"])
        audit_record(
            by=by,
            action="correction.approve",
            obj=request,
            subject_officer_id=officer.pk,
            after={"proposed": request.proposed},
        )
        _notify_officer(
            request, _("Votre demande de correction n° %(n)d a été acceptée.") % {"n": request.pk}
        )
    return request


def _apply_event(request: CorrectionRequest, by: User, source: dict[str, Any]) -> None:
    event = request.event
    assert event is not None
    merged = {**_event_current(event), **request.proposed}
    unit = _event_unit(request.officer, event, merged["unit"]) if merged["unit"] else None
    day = datetime.date.fromisoformat(merged["effective_date"])
    grade = None
    if merged["grade"]:
        grade = grade_by_code(code=merged["grade"], agency_id=request.officer.agency_id, on=day)
    event_record(
        officer=request.officer,
        kind=EventKind(event.kind),
        effective_date=day,
        by=by,
        unit=unit,
        grade=grade,
        status=merged["status"],
        function=merged["function"],
        detail=merged["detail"],
        end_date=event.end_date,
        exceptional=event.exceptional,
        justification=event.justification,
        supersedes=event,
        source=source,
        act=Act(
            kind=event.act_kind,
            number=merged["act_number"],
            date=(datetime.date.fromisoformat(merged["act_date"]) if merged["act_date"] else None),
            signatory=event.act_signatory,
        ),
    )


def correction_reject(*, request: CorrectionRequest, by: User, reason: str) -> CorrectionRequest:
    if len(reason.strip()) < 5:
        raise ValidationError({"reason": [_("Indiquez le motif du refus à l'agent.")]})
    with transaction.atomic():
        request = (
            CorrectionRequest.objects.select_for_update(of=("self",))
            .select_related("officer")
            .get(pk=request.pk)
        )
        _check_decider(request, by)
        request.state = CorrectionRequest.State.REJECTED
        request.decided_by = by
        request.decided_at = timezone.now()
        request.decision_reason = reason.strip()
        request.save(update_fields=["state", "decided_by", "decided_at", "decision_reason"])
        audit_record(
            by=by,
            action="correction.reject",
            obj=request,
            subject_officer_id=request.officer_id,
            after={"reason": reason.strip()},
        )
        _notify_officer(
            request,
            _("Votre demande de correction n° %(n)d a été refusée : %(reason)s")
            % {"n": request.pk, "reason": reason.strip()},
        )
    return request


def _notify_officer(request: CorrectionRequest, message: str) -> None:
    """In-app notice to the officer's account(s), and an e-mail when an address is known."""
    notify(
        users=User.objects.filter(officer_id=request.officer_id, is_active=True),
        message=message,
        url=reverse("corrections:my_requests"),
        email_subject=_("Matricule : votre demande de correction"),
        email_to=[request.officer.email],
    )
