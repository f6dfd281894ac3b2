"""Assigning officers to positions, ending and cancelling assignments, and the career events.

Double booking is refused under row locks taken in one fixed order — the operation, the
position, then the officer — so that two planners assigning at the same moment queue
instead of deadlocking, and the second one sees the first one's assignment (PostgreSQL
re-reads after the lock; SQLite runs write transactions one at a time, IMMEDIATE).

How the career learns of it: the assignment is the plan. Career events cannot be dated
in the future, so the "deployed" status event (dated the first day, with the operation's
act and the planned end) is written when the first day has come — at assignment time if
it starts today or earlier, otherwise by the daily command `deployment_start_due`. The
return (an "active" status event dated the day after the last day) is written the same
way once that day has come, whether the mission ended as planned or was cut short.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from django.core.exceptions import ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from matricule.accounts.models import User
from matricule.accounts.services import notify
from matricule.core.audit import audit_record, model_snapshot
from matricule.deployments.models import (
    Assignment,
    AssignmentState,
    Operation,
    OperationStatus,
    Position,
)
from matricule.deployments.selectors.availability import (
    Period,
    holding_assignments,
    peak_held,
    unavailability_reasons,
)
from matricule.deployments.selectors.operations import unit_heads
from matricule.personnel.career import replay
from matricule.personnel.models import CareerEvent, EventKind, Officer, Status
from matricule.personnel.services import Act, event_record

if TYPE_CHECKING:
    from matricule.accounts.models import User as UserType

AUDIT_FIELDS = [
    "position",
    "operation",
    "officer",
    "start_date",
    "end_date",
    "planned_end_date",
    "state",
    "cut_short",
    "end_reason",
    "deployed_event",
    "return_event",
]


class AssignmentConflict(ValidationError):
    """A refusal the API answers with 409: double booking or a full position."""


class DoubleBooking(AssignmentConflict):
    pass


class PositionFull(AssignmentConflict):
    pass


class Unavailable(AssignmentConflict):
    """On leave, in training, seconded, retiring… over the mission's days."""


def _snapshot(assignment: Assignment) -> dict[str, object]:
    return model_snapshot(assignment, AUDIT_FIELDS)


def _act(operation: Operation) -> Act:
    return Act(
        kind=operation.act_kind,
        number=operation.act_number,
        date=operation.act_date,
        signatory=operation.act_signatory,
    )


def _dates(operation: Operation, start: datetime.date, end: datetime.date | None) -> None:
    errors: dict[str, list[str]] = {}
    if start < operation.start_date:
        errors["start_date"] = [
            _("La mission ne peut pas commencer avant l'opération (le %(d)s).")
            % {"d": f"{operation.start_date:%d/%m/%Y}"}
        ]
    if operation.end_date is not None:
        if start > operation.end_date:
            errors["start_date"] = [_("L'opération est finie à cette date.")]
        if end is None or end > operation.end_date:
            errors["end_date"] = [
                _("La mission ne peut pas finir après l'opération (le %(d)s).")
                % {"d": f"{operation.end_date:%d/%m/%Y}"}
            ]
    if end is not None and end < start:
        errors["end_date"] = [_("La fin de la mission précède son début.")]
    if errors:
        raise ValidationError(errors)


def assignment_create(
    *,
    position: Position,
    officer: Officer,
    by: UserType | None,
    start_date: datetime.date | None = None,
    end_date: datetime.date | None = None,
    today: datetime.date | None = None,
) -> Assignment:
    """Assign an officer to a position over the operation's dates (or the dates given).

    Refused (nothing written) when the officer is already assigned over any of these days
    (DoubleBooking), when the position's seats are all taken then (PositionFull), or when
    the officer is not available (leave, training, retirement…). By default the mission
    runs from today or the operation's start, whichever is later, to the operation's end.
    """
    today = today or timezone.localdate()
    with transaction.atomic():
        operation = (
            Operation.objects.select_for_update(of=("self",))
            .select_related("act_signatory")
            .get(pk=position.operation_id)
        )
        position = Position.objects.select_for_update().get(pk=position.pk)
        position.operation = operation
        officer = (
            Officer.objects.select_for_update()
            .select_related("corps", "unit", "agency")
            .get(pk=officer.pk)
        )
        if operation.status == OperationStatus.CLOSED:
            raise ValidationError(_("L'opération est close : plus aucune affectation."))
        start = start_date or max(operation.start_date, today)
        end = end_date if end_date is not None else operation.end_date
        _dates(operation, start, end)
        period = Period(start, end)
        clash = (
            holding_assignments(period)
            .filter(officer_id=officer.pk)
            .select_related("operation")
            .order_by("start_date")
            .first()
        )
        if clash is not None:
            raise DoubleBooking(
                _(
                    "%(name)s est déjà affecté(e) à « %(op)s » (%(days)s) : une même personne "
                    "ne peut pas être affectée deux fois sur les mêmes jours."
                )
                % {
                    "name": officer.full_name,
                    "op": clash.operation.name,
                    "days": clash.days_label(),
                },
                code="double_booking",
            )
        held = peak_held(
            holding_assignments(period)
            .filter(position_id=position.pk)
            .values_list("start_date", "end_date"),
            period,
        )
        if held >= position.count:
            raise PositionFull(
                _("Le poste « %(title)s » est complet : %(n)s agent(s) sur %(n)s place(s).")
                % {"title": position.title, "n": position.count},
                code="position_full",
            )
        reasons = unavailability_reasons(officers=[officer], period=period, today=today)
        if reasons.get(officer.pk):
            raise Unavailable(
                _("%(name)s n'est pas disponible %(period)s : %(why)s")
                % {
                    "name": officer.full_name,
                    "period": period.label,
                    "why": " ".join(reasons[officer.pk]),
                },
                code="unavailable",
            )
        assignment = Assignment(
            position=position,
            operation=operation,
            officer=officer,
            start_date=start,
            end_date=end,
            planned_end_date=end,
            state=AssignmentState.PLANNED,
            created_by=by,
        )
        # The rows behind the foreign keys were just locked: only the fields are checked.
        assignment.full_clean(
            exclude=[
                "position",
                "operation",
                "officer",
                "deployed_event",
                "return_event",
                "created_by",
            ]
        )
        assignment.save()
        _career_sync(
            assignment, operation=operation, position=position, today=today, by=by, audit=False
        )
        audit_record(
            by=by,
            action="assignment.create",
            obj=assignment,
            subject_officer_id=officer.pk,
            after=_snapshot(assignment),
        )
        _tell(
            officer,
            own=_("Vous êtes affecté(e) à « %(op)s », poste « %(title)s », %(period)s.")
            % {"op": operation.name, "title": position.title, "period": period.label},
            head=_("%(name)s (%(mat)s) est affecté(e) à « %(op)s » %(period)s.")
            % {
                "name": officer.full_name,
                "mat": officer.matricule,
                "op": operation.name,
                "period": period.label,
            },
        )
    return assignment


def _tell(officer: Officer, *, own: str, head: str) -> None:
    """The officer (their account, and e-mail when known) and the head of their unit."""
    notify(
        users=User.objects.filter(officer_id=officer.pk, is_active=True),
        message=own,
        url=reverse("deployments:my_missions"),
        email_subject=_("Matricule : votre mission"),
        email_to=[officer.email],
    )
    heads = unit_heads(officer=officer)
    if heads:
        notify(
            users=heads,
            message=head,
            url=reverse("deployments:officer_missions", args=[officer.matricule]),
        )


@dataclass
class SyncResult:
    started: list[Assignment] = field(default_factory=list)
    returned: list[Assignment] = field(default_factory=list)
    skipped: list[tuple[Assignment, str]] = field(default_factory=list)


def _career_sync(
    assignment: Assignment,
    *,
    operation: Operation,
    position: Position,
    today: datetime.date,
    by: UserType | None,
    result: SyncResult | None = None,
    audit: bool = True,
) -> None:
    """Write the departure and the return on the career once their day has come.

    Runs inside the caller's transaction, with the officer row locked. `audit` False: the
    caller records the assignment's audit entry itself, after this.
    """
    result = result if result is not None else SyncResult()
    before = _snapshot(assignment)
    changed = False
    if assignment.state == AssignmentState.PLANNED and assignment.start_date <= today:
        status = _status_on(assignment.officer_id, assignment.start_date)
        if status not in (Status.ACTIVE, Status.DEPLOYED):
            label = Status(status).label if status in Status.values else status
            result.skipped.append(
                (assignment, _("départ non inscrit : l'agent est « %(s)s »") % {"s": label})
            )
            return
        assignment.deployed_event = event_record(
            officer=assignment.officer,
            kind=EventKind.STATUS,
            effective_date=assignment.start_date,
            status=Status.DEPLOYED,
            end_date=assignment.end_date,
            detail=(
                _("Mission : %(op)s — %(title)s") % {"op": operation.name, "title": position.title}
            )[:255],
            act=_act(operation),
            by=by,
            source={"assignment": assignment.pk},
        )
        assignment.state = AssignmentState.ACTIVE
        result.started.append(assignment)
        changed = True
    if (
        assignment.state == AssignmentState.ACTIVE
        and assignment.end_date is not None
        and assignment.end_date < today
    ):
        back = assignment.end_date + datetime.timedelta(days=1)
        # Only when the career still shows the mission on its last day: a position HR
        # recorded during the mission (leave, suspension…) already says where the officer is.
        if _status_on(assignment.officer_id, assignment.end_date) == Status.DEPLOYED:
            assignment.return_event = event_record(
                officer=assignment.officer,
                kind=EventKind.STATUS,
                effective_date=back,
                status=Status.ACTIVE,
                detail=(_("Retour de mission : %(op)s") % {"op": operation.name})[:255],
                act=_act(operation),
                by=by,
                source={"assignment": assignment.pk},
            )
        assignment.state = AssignmentState.ENDED
        result.returned.append(assignment)
        changed = True
    if changed:
        assignment.save(update_fields=["state", "deployed_event", "return_event"])
    if changed and audit:
        audit_record(
            by=by,
            action="assignment.career",
            obj=assignment,
            subject_officer_id=assignment.officer_id,
            before=before,
            after=_snapshot(assignment),
        )


def _status_on(officer_id: int, day: datetime.date) -> str | None:
    """The officer's position on `day`, replayed from the career events."""
    state = replay(CareerEvent.objects.filter(officer_id=officer_id, is_superseded=False), on=day)
    return state.status if state is not None else None


def _locked(assignment: Assignment) -> Assignment:
    Officer.objects.select_for_update().get(pk=assignment.officer_id)
    return (
        Assignment.objects.select_for_update(of=("self",))
        .select_related("officer", "operation", "position", "officer__unit")
        .get(pk=assignment.pk)
    )


def assignment_end(
    *,
    assignment: Assignment,
    last_day: datetime.date,
    reason: str,
    by: UserType | None,
    today: datetime.date | None = None,
) -> Assignment:
    """End a mission on `last_day` (its last day of mission), as planned or cut short.

    The return is written on the career at once if the day after `last_day` has come,
    otherwise by the daily command on that day.
    """
    today = today or timezone.localdate()
    with transaction.atomic():
        assignment = _locked(assignment)
        if assignment.state not in (AssignmentState.PLANNED, AssignmentState.ACTIVE):
            raise ValidationError(
                _("Cette affectation est déjà « %(s)s ».") % {"s": assignment.get_state_display()}
            )
        if last_day < assignment.start_date:
            raise ValidationError(
                {
                    "last_day": _(
                        "Le dernier jour précède le début de la mission (%(d)s) : annulez-la "
                        "plutôt."
                    )
                    % {"d": f"{assignment.start_date:%d/%m/%Y}"}
                }
            )
        if assignment.end_date is not None and last_day > assignment.end_date:
            raise ValidationError(
                {
                    "last_day": _("La mission finit déjà le %(d)s : on ne peut que l'écourter.")
                    % {"d": f"{assignment.end_date:%d/%m/%Y}"}
                }
            )
        before = _snapshot(assignment)
        assignment.cut_short = assignment.end_date is None or last_day < assignment.end_date
        assignment.end_date = last_day
        assignment.end_reason = reason.strip()[:255]
        assignment.save(update_fields=["end_date", "cut_short", "end_reason"])
        audit_record(
            by=by,
            action="assignment.end",
            obj=assignment,
            subject_officer_id=assignment.officer_id,
            before=before,
            after=_snapshot(assignment),
        )
        _career_sync(
            assignment,
            operation=assignment.operation,
            position=assignment.position,
            today=today,
            by=by,
        )
        _tell(
            assignment.officer,
            own=_("Votre mission « %(op)s » se termine le %(d)s.")
            % {"op": assignment.operation.name, "d": f"{last_day:%d/%m/%Y}"},
            head=_("La mission de %(name)s (« %(op)s ») se termine le %(d)s.")
            % {
                "name": assignment.officer.full_name,
                "op": assignment.operation.name,
                "d": f"{last_day:%d/%m/%Y}",
            },
        )
    return assignment


def assignment_cancel(*, assignment: Assignment, reason: str, by: UserType | None) -> Assignment:
    """Cancel an assignment that has not started (nothing was written on the career)."""
    if not reason.strip():
        raise ValidationError({"reason": _("Indiquez le motif de l'annulation.")})
    with transaction.atomic():
        assignment = _locked(assignment)
        if assignment.state != AssignmentState.PLANNED or assignment.deployed_event_id:
            raise ValidationError(
                _("Seule une mission qui n'a pas commencé peut être annulée ; sinon, terminez-la.")
            )
        before = _snapshot(assignment)
        assignment.state = AssignmentState.CANCELLED
        assignment.end_reason = reason.strip()[:255]
        assignment.save(update_fields=["state", "end_reason"])
        audit_record(
            by=by,
            action="assignment.cancel",
            obj=assignment,
            subject_officer_id=assignment.officer_id,
            before=before,
            after=_snapshot(assignment),
        )
        _tell(
            assignment.officer,
            own=_("Votre affectation à « %(op)s » est annulée : %(why)s")
            % {"op": assignment.operation.name, "why": assignment.end_reason},
            head=_("L'affectation de %(name)s à « %(op)s » est annulée.")
            % {"name": assignment.officer.full_name, "op": assignment.operation.name},
        )
    return assignment


def assignments_start_due(
    *, today: datetime.date | None = None, dry_run: bool = False, by: UserType | None = None
) -> SyncResult:
    """The daily job: write the departures and returns whose day has come.

    Returns first, so that an officer going from one mission straight into the next one
    ends up deployed. Each assignment in its own transaction; `dry_run` writes nothing.
    """
    today = today or timezone.localdate()
    result = SyncResult()
    due_returns = Assignment.objects.filter(
        state=AssignmentState.ACTIVE, end_date__lt=today
    ).order_by("end_date", "id")
    due_starts = Assignment.objects.filter(
        state=AssignmentState.PLANNED, start_date__lte=today
    ).order_by("start_date", "id")
    for qs in (due_returns, due_starts):
        for pk, officer_id in list(qs.values_list("pk", "officer_id")):
            with transaction.atomic():
                assignment = _locked(Assignment(pk=pk, officer_id=officer_id))
                if dry_run:
                    _dry_sync(assignment, today, result)
                    continue
                _career_sync(
                    assignment,
                    operation=assignment.operation,
                    position=assignment.position,
                    today=today,
                    by=by,
                    result=result,
                )
    return result


def _dry_sync(assignment: Assignment, today: datetime.date, result: SyncResult) -> None:
    if assignment.state == AssignmentState.PLANNED and assignment.start_date <= today:
        result.started.append(assignment)
    elif assignment.state == AssignmentState.ACTIVE and assignment.end_date is not None:
        result.returned.append(assignment)


def assignments_end_for_exit(
    *, officer: Officer, exit_date: datetime.date, by: UserType | None
) -> int:
    """Leaving the service ends what hangs on it: no assignment runs past the day before exit.

    Idempotent (a corrected exit runs it again): missions not yet started are cancelled,
    missions under way end the day before the exit (the exit event is the return).
    """
    changed = 0
    last = exit_date - datetime.timedelta(days=1)
    rows = Assignment.objects.select_for_update(of=("self",)).filter(
        officer_id=officer.pk,
        state__in=(AssignmentState.PLANNED, AssignmentState.ACTIVE, AssignmentState.ENDED),
    )
    reason = _("Sortie du service le %(d)s.") % {"d": f"{exit_date:%d/%m/%Y}"}
    for assignment in rows:
        before = _snapshot(assignment)
        not_started = (
            assignment.state == AssignmentState.PLANNED and assignment.deployed_event_id is None
        )
        if not_started or assignment.start_date > last:
            # Nothing was written on the career (or nothing can be, before the exit).
            assignment.state = AssignmentState.CANCELLED
        elif assignment.end_date is None or assignment.end_date > last:
            assignment.end_date = last
            assignment.cut_short = True
            assignment.state = AssignmentState.ENDED
        else:
            continue
        assignment.end_reason = reason
        assignment.save(update_fields=["state", "end_date", "cut_short", "end_reason"])
        audit_record(
            by=by,
            action="assignment.exit",
            obj=assignment,
            subject_officer_id=officer.pk,
            before=before,
            after=_snapshot(assignment),
        )
        changed += 1
    return changed
