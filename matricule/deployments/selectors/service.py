"""Years of service, counted without the initial training (shared by searches and readiness)."""

from __future__ import annotations

from django.db.models import Case, DateField, Exists, F, OuterRef, Subquery, When
from django.db.models.expressions import Expression
from django.db.models.functions import Coalesce

from matricule.personnel.models import CareerEvent, EventKind, Status


def service_start_expression() -> Expression:
    """For the outer officer: the day service began, initial training excluded.

    That is the entry date, unless the career starts "in training" (a trainee at the
    school): then the first later change of position out of training.
    """
    trainee = CareerEvent.objects.filter(
        officer_id=OuterRef("pk"),
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
        .order_by("effective_date", "id")
        .values("effective_date")[:1]
    )
    # The (rare) trainee entry is checked first, so most officers cost one short probe.
    return Case(
        When(Exists(trainee), then=Coalesce(Subquery(first_post), F("entry_date"))),
        default=F("entry_date"),
        output_field=DateField(),
    )
