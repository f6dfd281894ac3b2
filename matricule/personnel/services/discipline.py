"""Disciplinary proceedings: opened, then closed with their outcome."""

from __future__ import annotations

import datetime
from typing import TYPE_CHECKING

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from matricule.core.audit import audit_record, model_snapshot
from matricule.personnel.models import DisciplinaryCase, Officer

if TYPE_CHECKING:
    from matricule.accounts.models import User


def disciplinary_case_open(
    *,
    officer: Officer,
    opened_on: datetime.date,
    reference: str,
    subject: str,
    by: User | None,
) -> DisciplinaryCase:
    """Record that a disciplinary proceeding is pending against the officer."""
    with transaction.atomic():
        officer = Officer.objects.select_for_update().get(pk=officer.pk)
        case = DisciplinaryCase(
            officer=officer,
            opened_on=opened_on,
            reference=reference.strip(),
            subject=subject.strip(),
            created_by=by,
        )
        case.full_clean()
        case.save()
        audit_record(
            by=by,
            action="discipline.open",
            obj=case,
            subject_officer_id=officer.pk,
            after=model_snapshot(case),
        )
    return case


def disciplinary_case_close(
    *, case: DisciplinaryCase, closed_on: datetime.date, outcome: str, by: User | None
) -> DisciplinaryCase:
    """Close a pending proceeding with its outcome (a sanction is recorded as its event)."""
    with transaction.atomic():
        case = DisciplinaryCase.objects.select_for_update().get(pk=case.pk)
        if case.closed_on is not None:
            raise ValidationError(_("Cette procédure est déjà close."))
        before = model_snapshot(case)
        case.closed_on = closed_on
        case.outcome = outcome.strip()
        case.full_clean()
        case.save(update_fields=["closed_on", "outcome"])
        audit_record(
            by=by,
            action="discipline.close",
            obj=case,
            subject_officer_id=case.officer_id,
            before=before,
            after=model_snapshot(case),
        )
    return case
