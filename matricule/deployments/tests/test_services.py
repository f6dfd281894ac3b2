"""Assignments: career events on departure and return, refusals that change nothing, exits."""

from __future__ import annotations

import datetime
import io

import pytest
from django.core.exceptions import ValidationError
from django.core.management import call_command

from matricule.accounts.models import Notification
from matricule.accounts.roles import Role
from matricule.core.models import AuditEntry
from matricule.deployments import services as s
from matricule.deployments.models import Assignment, AssignmentState
from matricule.personnel.models import CareerEvent, Officer, Status

pytestmark = pytest.mark.django_db
D = datetime.timedelta


def _status(officer) -> str:
    return Officer.objects.values_list("status", flat=True).get(pk=officer.pk)


def _events(officer) -> list[tuple[str, datetime.date, str]]:
    return list(
        CareerEvent.objects.filter(officer=officer, kind="status")
        .order_by("effective_date", "id")
        .values_list("status", "effective_date", "act_number")
    )


def test_a_mission_starting_today_is_written_on_the_career_with_the_operations_act(
    make_operation, make_position, hire, make_user, today
):
    operation = make_operation(start=today, days=20, act_number="2026-031/DGPN-OPS")
    position = make_position(operation)
    officer = hire(unit="BKO-CA01", family_name="Traoré", given_names="Awa")
    account = make_user(Role.OFFICER, officer=officer)
    head = make_user(Role.SUPERVISOR, "BKO-CA01")
    other_head = make_user(Role.SUPERVISOR, "GAO-CC")

    assignment = s.assignment_create(position=position, officer=officer, by=None)

    assert (assignment.start_date, assignment.end_date) == (today, operation.end_date)
    assert assignment.state == AssignmentState.ACTIVE
    assert _status(officer) == Status.DEPLOYED
    event = assignment.deployed_event
    assert (event.status, event.effective_date, event.end_date) == (
        Status.DEPLOYED,
        today,
        operation.end_date,
    )
    assert event.act_number == "2026-031/DGPN-OPS"
    assert event.detail == f"Mission : {operation.name} — {position.title}"
    assert Notification.objects.filter(user=account, message__contains=operation.name).count() == 1
    assert Notification.objects.filter(user=head, message__contains=officer.matricule).count() == 1
    assert not Notification.objects.filter(user=other_head).exists()
    assert AuditEntry.objects.filter(action="assignment.create", object_id=str(assignment.pk))


def test_a_mission_in_the_future_waits_for_its_first_day(
    make_operation, make_position, hire, today
):
    operation = make_operation(start=today + D(days=10))
    officer = hire()
    assignment = s.assignment_create(position=make_position(operation), officer=officer, by=None)
    assert assignment.state == AssignmentState.PLANNED and assignment.deployed_event is None
    assert _status(officer) == Status.ACTIVE
    # The daily job before the first day writes nothing.
    assert s.assignments_start_due(today=today).started == []
    assert _events(officer) == []


def test_the_daily_command_writes_departures_and_returns_whose_day_has_come(
    make_operation, make_position, hire, today
):
    # Planned ten days ago for a start five days ago: the departure is due.
    operation = make_operation(start=today - D(days=5), days=30)
    officer = hire()
    assignment = s.assignment_create(
        position=make_position(operation), officer=officer, by=None, today=today - D(days=10)
    )
    assert assignment.state == AssignmentState.PLANNED

    out = io.StringIO()
    call_command("deployment_start_due", "--dry-run", stdout=out)
    assert "1 départ(s)" in out.getvalue()
    assert _events(officer) == []  # a dry run writes nothing

    call_command("deployment_start_due", stdout=out)
    assignment.refresh_from_db()
    assert assignment.state == AssignmentState.ACTIVE
    assert _events(officer) == [(Status.DEPLOYED, today - D(days=5), operation.act_number)]
    assert _status(officer) == Status.DEPLOYED
    # Run again: nothing more.
    assert s.assignments_start_due(today=today).started == []


def test_a_mission_cut_short_writes_the_return_the_day_after_its_last_day(
    make_operation, make_position, hire, make_user, today
):
    operation = make_operation(start=today - D(days=20), days=60)
    officer = hire()
    make_user(Role.OFFICER, officer=officer)
    assignment = s.assignment_create(
        position=make_position(operation),
        officer=officer,
        start_date=today - D(days=20),
        by=None,
    )
    s.assignment_end(assignment=assignment, last_day=today - D(days=3), reason="Rappel", by=None)

    assignment.refresh_from_db()
    assert assignment.state == AssignmentState.ENDED and assignment.cut_short
    assert assignment.planned_end_date == operation.end_date
    assert _events(officer) == [
        (Status.DEPLOYED, today - D(days=20), operation.act_number),
        (Status.ACTIVE, today - D(days=2), operation.act_number),
    ]
    assert _status(officer) == Status.ACTIVE
    assert Notification.objects.filter(message__contains="se termine").exists()


def test_a_return_due_tomorrow_is_written_by_the_daily_command_then(
    make_operation, make_position, hire, today
):
    operation = make_operation(start=today - D(days=20), days=60)
    officer = hire()
    assignment = s.assignment_create(
        position=make_position(operation), officer=officer, start_date=operation.start_date, by=None
    )
    # Recorded three days ago: the last day (two days ago) had not come yet.
    s.assignment_end(
        assignment=assignment,
        last_day=today - D(days=2),
        reason="Fin de rotation",
        by=None,
        today=today - D(days=3),
    )
    assignment.refresh_from_db()
    assert assignment.state == AssignmentState.ACTIVE and assignment.return_event is None
    result = s.assignments_start_due(today=today)
    assert [a.pk for a in result.returned] == [assignment.pk]
    assert _events(officer)[-1] == (Status.ACTIVE, today - D(days=1), operation.act_number)


def test_double_booking_is_refused_and_changes_nothing(make_operation, make_position, hire, today):
    first = make_operation(name="Escorte DEF", start=today + D(days=10), days=10)
    second = make_operation(name="Force conjointe Ségou", start=today + D(days=19), days=10)
    officer = hire(family_name="Keïta", given_names="Modibo")
    s.assignment_create(position=make_position(first), officer=officer, by=None)
    position = make_position(second)
    count, audit = Assignment.objects.count(), AuditEntry.objects.count()

    with pytest.raises(s.DoubleBooking) as refused:
        s.assignment_create(position=position, officer=officer, by=None)

    assert refused.value.messages == [
        f"Keïta Modibo est déjà affecté(e) à « Escorte DEF » "
        f"({first.start_date:%d/%m/%Y} → {first.end_date:%d/%m/%Y}) : une même personne ne "
        "peut pas être affectée deux fois sur les mêmes jours."
    ]
    assert (Assignment.objects.count(), AuditEntry.objects.count()) == (count, audit)


def test_back_to_back_missions_are_not_a_double_booking(make_operation, make_position, hire, today):
    first = make_operation(name="Escorte DEF", start=today + D(days=10), days=10)
    second = make_operation(name="Force conjointe", start=first.end_date + D(days=1), days=10)
    officer = hire()
    s.assignment_create(position=make_position(first), officer=officer, by=None)
    s.assignment_create(position=make_position(second), officer=officer, by=None)
    assert Assignment.objects.filter(officer=officer).count() == 2


def test_a_full_position_is_refused_but_a_later_rotation_fits(
    make_operation, make_position, hire, today
):
    operation = make_operation(start=today + D(days=10), days=30)
    position = make_position(operation, count=1, title="Officier de liaison")
    s.assignment_create(
        position=position,
        officer=hire(family_name="Premier"),
        end_date=operation.start_date + D(days=14),
        by=None,
    )
    with pytest.raises(s.PositionFull) as refused:
        s.assignment_create(position=position, officer=hire(family_name="Second"), by=None)
    assert refused.value.messages == [
        "Le poste « Officier de liaison » est complet : 1 agent(s) sur 1 place(s)."
    ]
    relief = s.assignment_create(
        position=position,
        officer=hire(family_name="Relève"),
        start_date=operation.start_date + D(days=15),
        by=None,
    )
    assert relief.end_date == operation.end_date


def test_a_position_is_full_only_when_its_seats_are_all_held_on_the_same_day(
    make_operation, make_position, hire, today
):
    operation = make_operation(start=today + D(days=10), days=30)
    position = make_position(operation, count=2)
    first_half = operation.start_date + D(days=9)
    s.assignment_create(
        position=position, officer=hire(family_name="A"), end_date=first_half, by=None
    )
    s.assignment_create(
        position=position,
        officer=hire(family_name="B"),
        start_date=first_half + D(days=1),
        by=None,
    )
    # Across both: never more than two on one day.
    s.assignment_create(position=position, officer=hire(family_name="C"), by=None)
    with pytest.raises(s.PositionFull):
        s.assignment_create(position=position, officer=hire(family_name="D"), by=None)


def test_an_officer_on_leave_is_refused_with_the_reason(
    make_operation, make_position, hire, status_event, today
):
    operation = make_operation(start=today + D(days=10))
    officer = hire(family_name="Sidibé", given_names="Oumar")
    status_event(officer, "leave", today - D(days=1), end=today + D(days=15))
    with pytest.raises(s.Unavailable) as refused:
        s.assignment_create(position=make_position(operation), officer=officer, by=None)
    assert "En congé du" in refused.value.messages[0]
    assert not Assignment.objects.filter(officer=officer).exists()


def test_dates_outside_the_operation_and_closed_operations_are_refused(
    make_operation, make_position, hire, today
):
    operation = make_operation(start=today + D(days=10), days=10)
    position = make_position(operation)
    with pytest.raises(ValidationError) as refused:
        s.assignment_create(
            position=position, officer=hire(), end_date=operation.end_date + D(days=1), by=None
        )
    assert "ne peut pas finir après l'opération" in str(refused.value)
    s.operation_status_set(operation=operation, status="closed", by=None)
    with pytest.raises(ValidationError, match="close"):
        s.assignment_create(position=position, officer=hire(family_name="Autre"), by=None)


def test_only_a_mission_not_started_can_be_cancelled(make_operation, make_position, hire, today):
    running = make_operation(start=today, days=10)
    assignment = s.assignment_create(position=make_position(running), officer=hire(), by=None)
    with pytest.raises(ValidationError, match="terminez-la"):
        s.assignment_cancel(assignment=assignment, reason="Erreur", by=None)
    planned = make_operation(name="Plus tard", start=today + D(days=30))
    later = s.assignment_create(position=make_position(planned), officer=hire(), by=None)
    s.assignment_cancel(assignment=later, reason="Changement d'effectif", by=None)
    later.refresh_from_db()
    assert later.state == AssignmentState.CANCELLED


def test_leaving_the_service_ends_missions_and_cancels_planned_ones_idempotently(
    make_operation, make_position, hire, today
):
    from matricule.personnel.services import Act, event_record

    running = make_operation(start=today - D(days=10), days=20)
    planned = make_operation(name="À venir", start=today + D(days=30))
    officer = hire()
    active = s.assignment_create(
        position=make_position(running), officer=officer, start_date=running.start_date, by=None
    )
    later = s.assignment_create(position=make_position(planned), officer=officer, by=None)

    exit_event = event_record(
        officer=officer,
        kind="exit",
        effective_date=today,
        status="resigned",
        act=Act(kind="decision", number="2026-90/DGPN", date=today - D(days=2)),
        by=None,
    )
    active.refresh_from_db()
    later.refresh_from_db()
    assert (active.state, active.end_date, active.cut_short) == (
        AssignmentState.ENDED,
        today - D(days=1),
        True,
    )
    assert later.state == AssignmentState.CANCELLED
    # A corrected exit runs the handler again: nothing changes.
    event_record(
        officer=officer,
        kind="exit",
        effective_date=today,
        status="retired",
        act=Act(kind="decision", number="2026-91/DGPN", date=today - D(days=1)),
        supersedes=exit_event,
        by=None,
    )
    assert AuditEntry.objects.filter(action="assignment.exit").count() == 2


def test_an_assessment_in_language_is_passed_at_sixty_percent(hire, languages, today):
    from decimal import Decimal

    officer = hire()
    passed = s.un_assessment_record(
        officer=officer,
        test="language",
        taken_on=today,
        score=Decimal("60"),
        language=languages["en"],
        by=None,
    )
    failed = s.un_assessment_record(
        officer=officer,
        test="language",
        taken_on=today,
        score=Decimal("59.99"),
        language=languages["en"],
        by=None,
    )
    assert passed.passed and not failed.passed
    with pytest.raises(ValidationError) as refused:
        s.un_assessment_record(officer=officer, test="interview", taken_on=today, by=None)
    assert refused.value.message_dict == {"passed": ["Indiquez si l'épreuve est réussie."]}
