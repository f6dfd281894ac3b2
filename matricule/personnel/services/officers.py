"""Creating an officer's record and editing identity and contact fields."""

from __future__ import annotations

import datetime
import unicodedata
from typing import TYPE_CHECKING, Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from matricule.core.audit import audit_record, model_snapshot
from matricule.core.matricule import matricule_allocate
from matricule.core.models import Agency, Grade, Unit
from matricule.personnel.models import (
    CareerEvent,
    EventKind,
    NameWord,
    Officer,
    Status,
    fold,
    name_words,
    sort_key,
)
from matricule.personnel.services.career import (
    Act,
    _apply_act,
    _check_event,
    snapshot_save,
)

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


class ConflictError(Exception):
    """The record changed since the form was opened; nothing was saved."""


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


def _check_identity(data: dict[str, Any]) -> None:
    """Plausibility of identity fields, in French, on the field concerned."""
    birth = data.get("birth_date")
    if isinstance(birth, datetime.date) and birth > timezone.localdate():
        raise ValidationError(
            {"birth_date": _("La date de naissance ne peut pas être dans le futur.")}
        )


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
    origin_service_number: str = "",
    secondment_end: datetime.date | None = None,
    by: User | None,
) -> Officer:
    """Create a record with its entry event; the matricule is allocated unless given.

    For an officer seconded from another corps (an OCS member from the gendarmerie,
    customs…), `grade` is in that corps' table, `origin_service_number` is their number
    there, and the entry is their arrival under the secondment act, until `secondment_end`.
    """
    identity = _normalise_identity(identity)
    _check_identity(identity)
    with transaction.atomic():
        officer = Officer(agency=agency, **identity)
        officer.matricule = matricule or matricule_allocate(agency=agency)[0]
        officer.search_name = fold(f"{officer.family_name} {officer.given_names}")
        officer.sort_name = sort_key(officer.family_name, officer.given_names)
        officer.corps = grade.corps
        officer.grade = grade
        officer.unit = unit
        officer.entry_date = entry_date
        officer.status = Status.ACTIVE
        officer.function = function
        officer.origin_service_number = "".join(origin_service_number.split()).upper()
        officer.secondment_end = secondment_end
        officer.full_clean()
        entry = CareerEvent(
            officer=officer,
            kind=EventKind.ENTRY,
            effective_date=entry_date,
            unit=unit,
            grade=grade,
            status=Status.ACTIVE,
            function=function,
            end_date=secondment_end,
            created_by=by,
        )
        _apply_act(entry, act)
        # No unit-rights check here: the create screen offers only the clerk's units, and a
        # graduation's first postings are the recruitment office's, decided by the cohort.
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
    _check_identity(data)
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
        current.sort_name = sort_key(current.family_name, current.given_names)
        current.full_clean()
        changed = [k for k in data if before.get(k) != model_snapshot(current, [k]).get(k)]
        if not changed:
            return current
        current.version = F("version") + 1
        current.save(update_fields=[*changed, "search_name", "sort_name", "version", "updated_at"])
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
