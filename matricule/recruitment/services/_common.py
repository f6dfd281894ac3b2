"""Rules shared by the recruitment services."""

from __future__ import annotations

from decimal import Decimal
from typing import TYPE_CHECKING

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from matricule.recruitment.models import (
    Cohort,
    Intake,
    IntakeStatus,
)

if TYPE_CHECKING:
    from matricule.accounts.models import User


# Pass mark of the school's training, out of 20.
TRAINING_PASS_MARK = Decimal(10)


def _refuse(message: str, field: str = "__all__") -> ValidationError:
    return ValidationError({field: [message]})


def _check_not_closed(intake: Intake, *, by: User | None = None) -> None:
    """Configuration may change until publication; a ranking already made is then void.

    Must be called inside the caller's transaction: the intake row is locked so a
    concurrent publication cannot slip in between the check and the change.
    """
    current = Intake.objects.select_for_update().get(pk=intake.pk)
    if current.status in (IntakeStatus.PUBLISHED, IntakeStatus.GRADUATED) or _has_cohort(current):
        raise _refuse(
            _("Les résultats de ce concours sont publiés : sa configuration ne peut plus changer.")
        )
    invalidate_ranking(current, by=by)
    intake.status = current.status


def invalidate_ranking(intake: Intake, *, by: User | None) -> None:
    """A result changed: the ranking (and any publication of it) must be redone.

    Called inside the caller's transaction, with the intake row locked.
    """
    from matricule.core.audit import audit_record

    if intake.status not in (IntakeStatus.RANKED, IntakeStatus.PUBLISHED):
        return
    before = intake.status
    intake.status = IntakeStatus.CLOSED
    intake.save(update_fields=["status"])
    audit_record(
        by=by,
        action="intake.ranking_invalidated",
        obj=intake,
        before={"status": before},
        after={"status": intake.status},
    )


def _has_cohort(intake: Intake) -> bool:
    return Cohort.objects.filter(intake=intake).exists()
