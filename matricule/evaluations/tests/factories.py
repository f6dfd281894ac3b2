"""Test factories for evaluations, on top of the personnel factories."""

from __future__ import annotations

import datetime
from decimal import Decimal
from typing import Any

from django.utils import timezone

from matricule.core.models import Agency
from matricule.evaluations.models import Cycle, CycleStatus, Evaluation, Step
from matricule.evaluations.services.forms import form_ensure
from matricule.personnel.models import Officer
from matricule.personnel.tests.factories import officer_create_for_test


def cycle_dates(year: int) -> dict[str, Any]:
    """The usual calendar of a campaign: the year, rated early the next year."""
    return {
        "period_start": datetime.date(year, 1, 1),
        "period_end": datetime.date(year, 12, 31),
        "reference_date": datetime.date(year, 12, 31),
        "self_deadline": datetime.date(year + 1, 1, 31),
        "rating_deadline": datetime.date(year + 1, 2, 28),
        "review_deadline": datetime.date(year + 1, 3, 31),
    }


def closed_cycle_for_test(*, agency: Agency, year: int) -> Cycle:
    cycle, _created = Cycle.objects.get_or_create(
        agency=agency,
        unit=None,
        year=year,
        defaults={
            **cycle_dates(year),
            "status": CycleStatus.CLOSED,
            "closed_at": timezone.now(),
        },
    )
    if cycle.status != CycleStatus.CLOSED:
        Cycle.objects.filter(pk=cycle.pk).update(
            status=CycleStatus.CLOSED, closed_at=timezone.now()
        )
        cycle.status = CycleStatus.CLOSED
    return cycle


def _rater_for(officer: Officer) -> Officer:
    """A head for the officer's unit, made once and reused (raters are not the subject)."""
    found = (
        Officer.objects.filter(unit_id=officer.unit_id, family_name="Notateur")
        .exclude(pk=officer.pk)
        .first()
    )
    if found is not None:
        return found
    return officer_create_for_test(
        unit=officer.unit.code,
        agency=officer.agency.code,
        grade="CNE" if officer.agency.code == "PN" else officer.grade.code,
        family_name="Notateur",
        given_names="Chef",
    )


def closed_evaluation_for_test(
    *, officer: Officer, year: int, mark: Decimal, agency: Agency | None = None
) -> Evaluation:
    """A closed evaluation of `officer` with final mark `mark` (out of 20) in a closed cycle
    of that year of the officer's agency (or `agency`), created or reused."""
    cycle = closed_cycle_for_test(agency=agency or officer.agency, year=year)
    form = form_ensure(corps=officer.corps, on=cycle.reference_date, by=None)
    evaluator = _rater_for(officer)
    now = timezone.now()
    evaluation, _created = Evaluation.objects.update_or_create(
        cycle=cycle,
        officer=officer,
        defaults={
            "unit_id": officer.host_unit_id or officer.unit_id,
            "form": form,
            "evaluator": evaluator,
            "status": Step.CLOSED,
            "self_skipped": True,
            "rating_mark": mark,
            "rating_comment": "Appréciation de test.",
            "rated_at": now,
            "reviewed_at": now,
            "review_decision": "agree",
            "acknowledged_at": now,
            "final_mark": mark,
            "closed_at": now,
        },
    )
    return evaluation
