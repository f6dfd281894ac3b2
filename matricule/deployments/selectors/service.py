"""Years of service, counted without the initial training (shared by searches and readiness)."""

from __future__ import annotations

from django.db.models import Exists, F, OuterRef, Subquery
from django.db.models.expressions import Expression
from django.db.models.functions import Coalesce

from matricule.personnel.models import CareerEvent, EventKind, Status


def service_start_expression() -> Expression:
    """For the outer officer: the day service began, initial training excluded.

    That is the entry date, unless the career starts "in training" (a trainee at the
    school): then the first later change of position out of training.
    """
    trainee = CareerEvent.objects.filter(
        officer_id=OuterRef("officer_id"),
        kind=EventKind.ENTRY,
        status=Status.TRAINING,
        is_superseded=False,
    )
    first_post = (
        CareerEvent.objects.filter(
            officer_id=OuterRef("pk"),
            kind__in=(EventKind.STATUS, EventKind.SECONDMENT, EventKind.EXIT),
            is_superseded=False,
        )
        .exclude(status=Status.TRAINING)
        .filter(Exists(trainee))
        .order_by("effective_date", "id")
        .values("effective_date")[:1]
    )
    return Coalesce(Subquery(first_post), F("entry_date"))
