"""Writes on the officer record. Each one validates, writes, updates the snapshot and
records the audit entry in a single transaction."""

from __future__ import annotations

import datetime
import unicodedata
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from matricule.core.audit import audit_record, model_snapshot
from matricule.core.matricule import matricule_allocate
from matricule.core.models import Agency, Grade, Signatory, Unit
from matricule.personnel.career import Situation, grade_in_force, replay
from matricule.personnel.models import (
    CareerEvent,
    EventKind,
    NameWord,
    Officer,
    Status,
    fold,
    name_words,
)
from matricule.personnel.models.career import KINDS_NEEDING_ACT
from matricule.personnel.models.officer import EXIT_STATUSES

if TYPE_CHECKING:
    from matricule.accounts.models import User

# Identity and contact fields a clerk edits in the record form (never the snapshot).
IDENTITY_FIELDS = [
    "family_name",
    "given_names",
    "sex",
    "birth_date",
    "birth_place",
    "nationality",
    "nina",
    "phone",
    "phone_alt",
    "email",
    "address",
    "emergency_name",
    "emergency_relation",
    "emergency_phone",
    "marital_status",
    "spouse_name",
    "blood_group",
]
# Statuses an officer can be moved to by a plain status change (others have their own event).
STATUS_EVENT_CHOICES = (
    Status.ACTIVE,
    Status.LEAVE,
    Status.SUSPENDED,
    Status.DEPLOYED,
    Status.TRAINING,
)


class ConflictError(Exception):
    """The record changed since the form was opened; nothing was saved."""


@dataclass(frozen=True)
class Act:
    kind: str = ""
    number: str = ""
    date: datetime.date | None = None
    signatory: Signatory | None = None


def _today() -> datetime.date:
    return timezone.localdate()


def _normalise_identity(data: dict[str, Any]) -> dict[str, Any]:
    clean = dict(data)
    for key in ("family_name", "given_names", "birth_place"):
        if isinstance(clean.get(key), str):
            # NFC keeps "Maïga" as typed whatever the keyboard produced; spaces are tidied.
            clean[key] = " ".join(unicodedata.normalize("NFC", clean[key]).split())
    if clean.get("nina") == "":
        clean["nina"] = None
    if isinstance(clean.get("nina"), str):
        clean["nina"] = clean["nina"].strip().upper()
    return clean


def officer_create(
    *,
    agency: Agency,
    identity: dict[str, Any],
    unit: Unit,
    grade: Grade,
    entry_date: datetime.date,
    act: Act,
    function: str = "",
    matricule: str | None = None,
    by: User | None,
) -> Officer:
    """Create a record with its entry event; the matricule is allocated unless given."""
    identity = _normalise_identity(identity)
    with transaction.atomic():
        officer = Officer(agency=agency, **identity)
        officer.matricule = matricule or matricule_allocate(agency=agency)[0]
        officer.search_name = fold(f"{officer.family_name} {officer.given_names}")
        officer.corps = grade.corps
        officer.grade = grade
        officer.unit = unit
        officer.entry_date = entry_date
        officer.status = Status.ACTIVE
        officer.function = function
        officer.full_clean()
        entry = CareerEvent(
            officer=officer,
            kind=EventKind.ENTRY,
            effective_date=entry_date,
            unit=unit,
            grade=grade,
            status=Status.ACTIVE,
            function=function,
            created_by=by,
        )
        _apply_act(entry, act)
        _check_event(officer, entry, previous=None, events=[])
        officer.save()
        name_words_save(officer)
        entry.officer = officer
        entry.save()
        snapshot_save(officer, [entry])
        audit_record(
            by=by,
            action="officer.create",
            obj=officer,
            subject_officer_id=officer.pk,
            after=model_snapshot(officer),
        )
    return officer


def officer_update(
    *,
    officer: Officer,
    data: dict[str, Any],
    expected_version: int,
    by: User | None,
    source: dict[str, Any] | None = None,
) -> Officer:
    """Save identity and contact fields, refusing if someone saved the record meanwhile.

    `source` says where the change came from (e.g. a correction request) and is kept
    in the audit entry.
    """
    data = _normalise_identity({k: v for k, v in data.items() if k in IDENTITY_FIELDS})
    with transaction.atomic():
        current = Officer.objects.select_for_update().get(pk=officer.pk)
        if current.version != expected_version:
            raise ConflictError(
                _(
                    "Ce dossier a été modifié par quelqu'un d'autre depuis que vous l'avez ouvert. "
                    "Vos changements n'ont pas été enregistrés : rechargez la page pour voir la "
                    "nouvelle version, puis refaites vos modifications."
                )
            )
        before = model_snapshot(current, IDENTITY_FIELDS)
        for key, value in data.items():
            setattr(current, key, value)
        current.search_name = fold(f"{current.family_name} {current.given_names}")
        current.full_clean()
        changed = [k for k in data if before.get(k) != model_snapshot(current, [k]).get(k)]
        if not changed:
            return current
        current.version = F("version") + 1
        current.save(update_fields=[*changed, "search_name", "version", "updated_at"])
        if {"family_name", "given_names"} & set(changed):
            name_words_save(current)
        current.refresh_from_db(fields=["version"])
        audit_record(
            by=by,
            action="officer.update",
            obj=current,
            subject_officer_id=current.pk,
            before={k: before.get(k) for k in changed},
            after={**model_snapshot(current, changed), **({"source": source} if source else {})},
        )
    return current


def name_words_save(officer: Officer) -> None:
    """Keep the search words of the officer's names in step (inside the caller's transaction)."""
    words = name_words(officer.family_name, officer.given_names)
    NameWord.objects.filter(officer=officer).exclude(word__in=words).delete()
    existing = set(NameWord.objects.filter(officer=officer).values_list("word", flat=True))
    NameWord.objects.bulk_create([NameWord(officer=officer, word=w) for w in words - existing])


def _apply_act(event: CareerEvent, act: Act) -> None:
    event.act_kind = act.kind
    event.act_number = act.number.strip()
    event.act_date = act.date
    event.act_signatory = act.signatory


def event_record(
    *,
    officer: Officer,
    kind: str,
    effective_date: datetime.date,
    act: Act = Act(),
    by: User | None,
    unit: Unit | None = None,
    grade: Grade | None = None,
    status: str = "",
    function: str = "",
    detail: str = "",
    end_date: datetime.date | None = None,
    exceptional: bool = False,
    justification: str = "",
    supersedes: CareerEvent | None = None,
    source: dict[str, Any] | None = None,
) -> CareerEvent:
    """Record one career event (or a correction of one) and refresh the snapshot."""
    with transaction.atomic():
        officer = Officer.objects.select_for_update().select_related("agency").get(pk=officer.pk)
        events = list(officer.events.all())
        if supersedes is not None:
            supersedes = next((e for e in events if e.pk == supersedes.pk), None)
            if supersedes is None or supersedes.is_superseded:
                raise ValidationError(_("Cet événement a déjà été corrigé ou n'existe pas."))
            if supersedes.kind != kind:
                raise ValidationError(_("Une correction garde la nature de l'événement corrigé."))
        event = CareerEvent(
            officer=officer,
            kind=kind,
            effective_date=effective_date,
            unit=unit,
            grade=grade,
            status=status,
            function=function.strip(),
            detail=detail.strip(),
            end_date=end_date,
            exceptional=exceptional,
            justification=justification.strip(),
            supersedes=supersedes,
            created_by=by,
        )
        _apply_act(event, act)
        if kind == EventKind.SECONDMENT and unit is not None:
            event.host_agency = unit.agency
        remaining = [e for e in events if e.pk != (supersedes.pk if supersedes else None)]
        previous = replay(remaining, on=effective_date)
        _check_event(officer, event, previous=previous, events=remaining)
        event.full_clean(exclude=["officer", "supersedes"])
        if supersedes is not None:
            supersedes.is_superseded = True
            supersedes.save(update_fields=["is_superseded"])
        event.save()
        snapshot_save(officer, [*remaining, event])
        if kind == EventKind.EXIT:
            # Leaving the service ends the ID card in this same transaction.
            from matricule.cards.services import cards_revoke_for_exit

            cards_revoke_for_exit(officer=officer, on=effective_date, by=by)
        if kind == EventKind.EXIT and supersedes is None:
            _on_exit(officer, event, by)
        audit_record(
            by=by,
            action="event.correct" if supersedes else f"event.{kind}",
            obj=event,
            subject_officer_id=officer.pk,
            before=model_snapshot(supersedes) if supersedes else None,
            after={**model_snapshot(event), **({"source": source} if source else {})},
        )
    return event


def _on_exit(officer: Officer, event: CareerEvent, by: User | None) -> None:
    """Leaving the service closes the officer's own account (same transaction)."""
    from matricule.accounts.models import User as UserModel

    for account in UserModel.objects.select_for_update().filter(officer=officer, is_active=True):
        account.is_active = False
        account.save(update_fields=["is_active"])
        audit_record(
            by=by,
            action="account.disable",
            obj=account,
            subject_officer_id=officer.pk,
            after={
                "reason": str(event.get_kind_display()),
                "date": event.effective_date.isoformat(),
            },
        )


def _check_event(
    officer: Officer, event: CareerEvent, *, previous: Situation | None, events: list[CareerEvent]
) -> None:
    """The business rules of SPEC §3.1; raises ValidationError with French messages."""
    errors: dict[str, list[str]] = {}

    def fail(field: str, message: str) -> None:
        errors.setdefault(field, []).append(message)

    today = _today()
    day = event.effective_date
    kind = event.kind
    if day > today:
        fail("effective_date", _("La date d'effet ne peut pas être dans le futur."))
    if day < officer.birth_date + datetime.timedelta(days=16 * 365):
        fail("effective_date", _("La date d'effet précède les 16 ans de l'agent."))
    live = [e for e in events if not e.is_superseded]
    if kind == EventKind.ENTRY:
        if any(e.kind == EventKind.ENTRY for e in live):
            fail("kind", _("L'entrée en service est déjà enregistrée : corrigez-la plutôt."))
        if later := [e for e in live if e.effective_date < day]:
            fail(
                "effective_date",
                _(
                    "L'entrée en service doit précéder tous les autres "
                    "événements (le premier est du %(date)s)."
                )
                % {"date": f"{min(e.effective_date for e in later):%d/%m/%Y}"},
            )
    elif previous is None:
        fail("effective_date", _("La date d'effet précède l'entrée en service de l'agent."))
    exits = [e for e in live if e.kind == EventKind.EXIT]
    if exits and kind != EventKind.EXIT and day > min(e.effective_date for e in exits):
        fail(
            "effective_date",
            _("L'agent a quitté le service le %(date)s : aucun événement ne peut être daté après.")
            % {"date": f"{min(e.effective_date for e in exits):%d/%m/%Y}"},
        )
    if kind == EventKind.EXIT and exits:
        fail("kind", _("La sortie du service est déjà enregistrée : corrigez-la plutôt."))
    if kind == EventKind.EXIT and any(e.effective_date > day for e in live):
        fail("effective_date", _("Des événements sont enregistrés après cette date de sortie."))

    if kind in KINDS_NEEDING_ACT:
        if not event.act_number:
            fail("act_number", _("Le numéro de l'acte (décision ou arrêté) est obligatoire."))
        if event.act_date is None:
            fail("act_date", _("La date de l'acte est obligatoire."))
    if event.act_date is not None and event.act_date > today:
        fail("act_date", _("La date de l'acte ne peut pas être dans le futur."))

    if kind in (EventKind.ENTRY, EventKind.POSTING):
        unit = event.unit
        if unit is None:
            fail("unit", _("Choisissez l'unité d'affectation."))
        elif unit.agency_id != officer.agency_id:
            fail(
                "unit",
                _(
                    "Une affectation se fait dans une unité de l'agence de l'agent ; "
                    "pour une autre agence, enregistrez un détachement."
                ),
            )
        elif not unit.is_active:
            fail("unit", _("Cette unité n'est plus active."))
    if kind == EventKind.SECONDMENT:
        unit = event.unit
        if unit is None:
            fail("unit", _("Choisissez l'unité d'accueil."))
        elif unit.agency_id == officer.agency_id:
            fail("unit", _("Un détachement se fait vers une autre agence (par exemple l'OCS)."))
        elif not unit.is_active:
            fail("unit", _("Cette unité n'est plus active."))
    if kind == EventKind.FUNCTION and not event.function:
        fail("function", _("Indiquez la fonction."))
    if kind in (EventKind.SANCTION, EventKind.DECORATION) and not event.detail:
        fail("detail", _("Précisez la sanction ou la distinction."))
    if kind == EventKind.STATUS and event.status not in STATUS_EVENT_CHOICES:
        fail(
            "status",
            _(
                "Choisissez une position valide (le détachement et la sortie du "
                "service ont leurs propres formulaires)."
            ),
        )
    if kind == EventKind.EXIT and event.status not in EXIT_STATUSES:
        fail(
            "status", _("Choisissez le motif de sortie : retraite, démission, révocation ou décès.")
        )
    if kind in (EventKind.ENTRY, EventKind.GRADE):
        _check_grade(event, previous, fail)
    if errors:
        raise ValidationError(errors)


def _check_grade(event: CareerEvent, previous: Situation | None, fail: Any) -> None:
    grade = event.grade
    if grade is None:
        fail("grade", _("Choisissez le grade."))
        return
    statute = grade.statute
    if not statute.is_in_force(event.effective_date):
        fail(
            "grade",
            _("Ce grade appartient au %(statute)s, qui n'était pas en vigueur le %(date)s.")
            % {"statute": statute.name, "date": f"{event.effective_date:%d/%m/%Y}"},
        )
        return
    if event.kind == EventKind.ENTRY or previous is None:
        return
    if event.exceptional:
        if len(event.justification.strip()) < 10:
            fail(
                "justification",
                _("Un avancement exceptionnel doit être justifié (référence du texte, motif)."),
            )
        return
    current = Grade.objects.select_related("corps").get(
        pk=grade_in_force(previous.grade_id, event.effective_date)
    )
    expected = (
        Grade.objects.filter(statute=statute, corps=current.corps, order__gt=current.order)
        .order_by("order")
        .first()
    )
    if expected is None or expected.pk != grade.pk:
        hint = (
            _("le grade suivant dans le corps est « %(grade)s »") % {"grade": expected.name}
            if expected
            else _("l'agent est au dernier grade de son corps")
        )
        fail(
            "grade",
            _(
                "Le grade doit suivre l'ordre du corps (%(hint)s). Sinon, cochez « à "
                "titre exceptionnel » et justifiez."
            )
            % {"hint": hint},
        )


def snapshot_save(officer: Officer, events: list[CareerEvent]) -> None:
    """Write the current situation derived from the events onto the officer row."""
    today = _today()
    situation = replay(events, on=today) or replay(events)
    if situation is None:
        raise ValidationError(_("Le dossier n'a pas d'entrée en service."))
    grade_id = grade_in_force(situation.grade_id, today)
    corps_id = Grade.objects.values_list("corps_id", flat=True).get(pk=grade_id)
    values = {
        "unit_id": situation.unit_id,
        "grade_id": grade_id,
        "corps_id": corps_id,
        "status": situation.status,
        "function": situation.function,
        "host_unit_id": situation.host_unit_id,
        "entry_date": situation.entry_date,
        "exit_date": situation.exit_date,
    }
    changed = [k for k, v in values.items() if getattr(officer, k) != v]
    for key, value in values.items():
        setattr(officer, key, value)
    if changed:
        Officer.objects.filter(pk=officer.pk).update(**values)


def snapshot_expected(
    officer: Officer, events: list[CareerEvent], today: datetime.date
) -> dict[str, Any] | None:
    """What the snapshot should say according to the events (for check_snapshots)."""
    situation = replay(events, on=today) or replay(events)
    if situation is None:
        return None
    return {
        "unit_id": situation.unit_id,
        "grade_id": grade_in_force(situation.grade_id, today),
        "status": situation.status,
        "function": situation.function,
        "host_unit_id": situation.host_unit_id,
        "entry_date": situation.entry_date,
        "exit_date": situation.exit_date,
    }


MAX_DOCUMENT_BYTES = 10 * 1024 * 1024
# Recognised by their first bytes, never by the name or the browser's claim.
SIGNATURES = {
    b"%PDF-": "application/pdf",
    b"\xff\xd8\xff": "image/jpeg",
    b"\x89PNG\r\n\x1a\n": "image/png",
}


def sniff_content_type(head: bytes) -> str | None:
    for magic, content_type in SIGNATURES.items():
        if head.startswith(magic):
            return content_type
    return None


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
    content_type = sniff_content_type(data[:16])
    if content_type is None:
        raise ValidationError({"file": _("Seuls les fichiers PDF, JPEG et PNG sont acceptés.")})
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
