"""The school cohort: formed from the admitted list; training results and first postings."""

from __future__ import annotations

import datetime
from decimal import Decimal
from typing import TYPE_CHECKING

from django.db import transaction
from django.utils.translation import gettext as _

from matricule.core.audit import audit_record, model_snapshot
from matricule.core.models import Unit
from matricule.recruitment.models import (
    Cohort,
    CohortMember,
    Intake,
    IntakeStatus,
    Outcome,
)

if TYPE_CHECKING:
    from matricule.accounts.models import User

from matricule.recruitment.services._common import (
    TRAINING_PASS_MARK,
    _refuse,
)


def cohort_create(
    *,
    intake: Intake,
    number: int,
    parrain: str,
    starts_on: datetime.date,
    ends_on: datetime.date,
    by: User | None,
) -> Cohort:
    """Form the school promotion from the admitted list, at the École nationale de police."""
    with transaction.atomic():
        current = Intake.objects.select_for_update().get(pk=intake.pk)
        if current.status != IntakeStatus.PUBLISHED:
            raise _refuse(_("La promotion se constitue à partir des résultats publiés."))
        if Cohort.objects.filter(intake=current).exists():
            raise _refuse(_("La promotion de ce concours est déjà constituée."))
        school = Unit.objects.filter(agency_id=current.agency_id, code="ENP").first()
        if school is None:
            raise _refuse(
                _("L'École nationale de police (unité ENP) est introuvable dans cette agence.")
            )
        cohort = Cohort(
            intake=current,
            number=number,
            parrain=" ".join(parrain.split()),
            school=school,
            starts_on=starts_on,
            ends_on=ends_on,
        )
        cohort.full_clean()
        cohort.save()
        admitted = list(
            current.ranking.filter(
                outcome=Outcome.ADMITTED, candidate__withdrawn_on__isnull=True
            ).values_list("candidate_id", flat=True)
        )
        CohortMember.objects.bulk_create(
            [CohortMember(cohort=cohort, candidate_id=cid) for cid in admitted], batch_size=1000
        )
        audit_record(
            by=by,
            action="cohort.create",
            obj=cohort,
            after={**model_snapshot(cohort), "eleves": len(admitted)},
        )
    return cohort


def member_update(
    *,
    member: CohortMember,
    training_mark: Decimal | None,
    excluded: bool,
    remark: str,
    first_unit: Unit | None,
    by: User | None,
) -> CohortMember:
    """Record a trainee's training result and first posting."""
    with transaction.atomic():
        current = (
            CohortMember.objects.select_for_update().select_related("cohort").get(pk=member.pk)
        )
        if current.cohort.graduated_on is not None:
            raise _refuse(_("Cette promotion est sortie : les résultats ne peuvent plus changer."))
        if first_unit is not None and first_unit.agency_id != current.cohort.school.agency_id:
            raise _refuse(
                _("La première affectation se fait dans une unité de l'agence."), "first_unit"
            )
        if first_unit is not None and not first_unit.is_active:
            raise _refuse(_("Cette unité n'est plus active."), "first_unit")
        before = model_snapshot(current, ["training_mark", "passed", "remark", "first_unit"])
        current.training_mark = training_mark
        if excluded:
            current.passed = False
        elif training_mark is None:
            current.passed = None
        else:
            current.passed = training_mark >= TRAINING_PASS_MARK
        current.remark = remark.strip()[:255]
        current.first_unit = first_unit
        current.full_clean()
        current.save()
        audit_record(
            by=by,
            action="cohort.member_update",
            obj=current,
            before=before,
            after=model_snapshot(current, ["training_mark", "passed", "remark", "first_unit"]),
        )
    return current
