"""Scoped reads of evaluations: the record, inboxes, the officer's own, the HR queue."""

from __future__ import annotations

import datetime
from typing import TYPE_CHECKING, Any

from django.core.exceptions import PermissionDenied
from django.db.models import Case, F, Q, QuerySet, When
from django.db.models.fields import DateField
from django.http import Http404
from django.utils import timezone

from matricule.accounts.roles import Perm
from matricule.accounts.scopes import NOTHING, agency_ids_with, officer_scope_q
from matricule.core.models import Unit
from matricule.evaluations.models import (
    OPEN_STEPS,
    Cycle,
    CycleStatus,
    Evaluation,
    Exclusion,
    Step,
)

if TYPE_CHECKING:
    from matricule.accounts.models import User

LIST_RELATED = ("cycle", "officer", "officer__grade", "unit", "evaluator", "reviewer")


def _due() -> Case:
    return Case(
        When(status=Step.SELF, then=F("cycle__self_deadline")),
        When(status=Step.RATING, then=F("cycle__rating_deadline")),
        When(status=Step.REVIEW, then=F("cycle__review_deadline")),
        When(status=Step.ACKNOWLEDGEMENT, then=F("acknowledge_by")),
        default=None,
        output_field=DateField(),
    )


def actor_q(viewer: User) -> Q:
    """Evaluations where the viewer is the officer, the evaluator or the reviewer."""
    if not viewer.is_authenticated or viewer.officer_id is None:
        return NOTHING
    me = viewer.officer_id
    return Q(officer_id=me) | Q(evaluator_id=me) | Q(reviewer_id=me)


def readable_q(viewer: User) -> Q:
    return actor_q(viewer) | officer_scope_q(viewer, Perm.EVALUATION_VIEW, prefix="officer__")


def evaluation_get(*, viewer: User, pk: int, for_edit: bool = False) -> Evaluation:
    """404 for one who may not see it; 403 when for_edit and the viewer may only read."""
    evaluation = (
        Evaluation.objects.filter(readable_q(viewer), pk=pk)
        .select_related(*LIST_RELATED, "form", "officer__unit", "officer__corps")
        .first()
    )
    if evaluation is None:
        raise Http404
    if for_edit and not (
        viewer.officer_id
        in (evaluation.officer_id, evaluation.evaluator_id, evaluation.reviewer_id)
        or Evaluation.objects.filter(
            officer_scope_q(viewer, Perm.EVALUATION_MANAGE, prefix="officer__"), pk=pk
        ).exists()
    ):
        raise PermissionDenied
    return evaluation


def evaluation_list(
    *,
    viewer: User,
    cycle_id: int | None = None,
    unit: Unit | None = None,
    status: str | None = None,
) -> QuerySet[Evaluation, Evaluation]:
    """Evaluations the viewer may read (HR, inspectors in scope; raters; the officer)."""
    qs = Evaluation.objects.filter(readable_q(viewer))
    if cycle_id is not None:
        qs = qs.filter(cycle_id=cycle_id)
    if unit is not None:
        qs = qs.filter(unit__path__startswith=unit.path)
    if status:
        qs = qs.filter(status=status)
    return qs.select_related(*LIST_RELATED).order_by("-cycle__year", "officer__sort_name", "id")


def my_evaluations(*, viewer: User) -> list[Evaluation]:
    if viewer.officer_id is None:
        return []
    return list(
        Evaluation.objects.filter(officer_id=viewer.officer_id)
        .select_related(*LIST_RELATED)
        .order_by("-cycle__year", "-id")
    )


def inbox(*, viewer: User) -> QuerySet[Evaluation, Evaluation]:
    """A rater's work: to rate, to review; overdue first, then by deadline and name.

    Before its deadline, an evaluation still in self-assessment is shown to the
    evaluator as waiting (it may be rated once the deadline has passed).
    """
    me = viewer.officer_id
    if me is None:
        return Evaluation.objects.none()
    return (
        Evaluation.objects.filter(cycle__status=CycleStatus.OPEN)
        .filter(
            Q(evaluator_id=me, status__in=[Step.SELF, Step.RATING])
            | Q(reviewer_id=me, status=Step.REVIEW)
        )
        .annotate(due=_due())
        .select_related(*LIST_RELATED)
        .order_by("due", "officer__sort_name", "id")
    )


def next_in_inbox(*, viewer: User, after: Evaluation) -> Evaluation | None:
    """The next evaluation to act on after this one (rating 40 in a row)."""
    today = timezone.localdate()
    for evaluation in inbox(viewer=viewer):
        if evaluation.pk == after.pk:
            continue
        if evaluation.status == Step.SELF and evaluation.cycle.self_deadline >= today:
            continue
        return evaluation
    return None


def hr_queue(*, viewer: User) -> QuerySet[Evaluation, Evaluation]:
    """« Évaluateur à désigner »: open evaluations with no evaluator, or no reviewer."""
    return (
        Evaluation.objects.filter(
            officer_scope_q(viewer, Perm.EVALUATION_MANAGE, prefix="officer__"),
            cycle__status=CycleStatus.OPEN,
        )
        .filter(
            Q(evaluator__isnull=True, status__in=[Step.SELF, Step.RATING])
            | Q(reviewer__isnull=True, status__in=[Step.SELF, Step.RATING, Step.REVIEW])
        )
        .select_related(*LIST_RELATED)
        .order_by("unit__path", "officer__sort_name", "id")
    )


def appeals_to_decide(*, viewer: User) -> QuerySet[Evaluation, Evaluation]:
    return (
        Evaluation.objects.filter(
            officer_scope_q(viewer, Perm.EVALUATION_MANAGE, prefix="officer__"),
            status=Step.APPEAL,
        )
        .select_related(*LIST_RELATED)
        .order_by("appealed_at", "id")
    )


def cycles_visible(*, viewer: User, perm: str = Perm.EVALUATION_VIEW) -> QuerySet[Cycle, Cycle]:
    return (
        Cycle.objects.filter(agency_id__in=agency_ids_with(viewer, perm))
        .select_related("agency", "unit")
        .order_by("-year", "agency__code", "id")
    )


def cycle_get(*, viewer: User, pk: int, for_edit: bool = False) -> Cycle:
    cycle = cycles_visible(viewer=viewer).filter(pk=pk).first()
    if cycle is None:
        raise Http404
    if for_edit and cycle.agency_id not in agency_ids_with(viewer, Perm.EVALUATION_MANAGE):
        raise PermissionDenied
    return cycle


def exclusions_of(*, viewer: User, cycle: Cycle) -> QuerySet[Exclusion, Exclusion]:
    return (
        Exclusion.objects.filter(
            officer_scope_q(viewer, Perm.EVALUATION_VIEW, prefix="officer__"), cycle=cycle
        )
        .select_related("officer", "officer__grade", "officer__unit")
        .order_by("reason", "officer__sort_name", "id")
    )


def overdue(evaluation: Evaluation, today: datetime.date | None = None) -> bool:
    due = evaluation.due_date()
    return due is not None and (today or timezone.localdate()) > due


def open_work_counts(*, viewer: User) -> dict[str, Any]:
    """Counts for the home page: to rate, to review (one query)."""
    me = viewer.officer_id
    if me is None:
        return {}
    from django.db.models import Count

    rows = (
        Evaluation.objects.filter(cycle__status=CycleStatus.OPEN, status__in=OPEN_STEPS)
        .filter(Q(evaluator_id=me, status=Step.RATING) | Q(reviewer_id=me, status=Step.REVIEW))
        .values("status")
        .annotate(n=Count("id"))
    )
    return {row["status"]: row["n"] for row in rows}
