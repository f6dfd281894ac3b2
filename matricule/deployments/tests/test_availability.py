"""Availability over a period, at its edges: the set condition and the reasons agree."""

from __future__ import annotations

import datetime

import pytest

from matricule.deployments.selectors.availability import (
    Period,
    available_q,
    unavailability_reasons,
)
from matricule.personnel.models import Officer

pytestmark = pytest.mark.django_db
D = datetime.timedelta


@pytest.fixture
def period(today):
    start = today + D(days=10)
    return Period(start, start + D(days=29))


def _free(officer, period, today) -> bool:
    free = Officer.objects.filter(available_q(period, today=today), pk=officer.pk).exists()
    reasons = unavailability_reasons(
        officers=[Officer.objects.select_related("corps").get(pk=officer.pk)],
        period=period,
        today=today,
    )
    # The set-based condition and the explanation never disagree.
    assert free == (not reasons.get(officer.pk)), reasons
    return free


def test_an_active_officer_is_available(hire, period, today):
    assert _free(hire(), period, today)


def test_a_leave_ending_the_day_before_leaves_the_officer_available(
    hire, status_event, period, today
):
    officer = hire()
    status_event(officer, "leave", today - D(days=3), end=period.start - D(days=1))
    assert _free(officer, period, today)


def test_a_leave_ending_on_the_first_day_makes_the_officer_unavailable(
    hire, status_event, period, today
):
    officer = hire()
    status_event(officer, "leave", today - D(days=3), end=period.start)
    assert not _free(officer, period, today)
    reasons = unavailability_reasons(
        officers=[Officer.objects.select_related("corps").get(pk=officer.pk)],
        period=period,
        today=today,
    )
    assert reasons[officer.pk] == [
        f"En congé du {today - D(days=3):%d/%m/%Y} au {period.start:%d/%m/%Y}."
    ]


def test_a_leave_without_planned_end_holds_the_officer(hire, status_event, period, today):
    officer = hire()
    status_event(officer, "leave", today - D(days=3))
    assert not _free(officer, period, today)


def test_back_from_leave_before_the_period_is_available(hire, status_event, period, today):
    officer = hire()
    status_event(officer, "leave", today - D(days=30))
    status_event(officer, "active", today - D(days=2))
    assert _free(officer, period, today)


@pytest.mark.parametrize("status", ["suspended", "training", "deployed"])
def test_suspended_in_training_or_deployed_officers_are_unavailable(
    hire, status_event, period, today, status
):
    officer = hire()
    status_event(officer, status, today - D(days=1))
    assert not _free(officer, period, today)


def test_a_session_starting_on_the_last_day_makes_the_officer_unavailable(
    hire, make_session, period, today
):
    from matricule.training.services import enrolment_nominate

    officer = hire()
    session = make_session("PSC1", start=period.end, days=2)
    enrolment_nominate(session=session, officer=officer, by=_training_officer())
    assert not _free(officer, period, today)


def test_a_session_ending_the_day_before_leaves_the_officer_available(
    hire, make_session, period, today
):
    from matricule.training.services import enrolment_nominate

    officer = hire()
    session = make_session("PSC1", start=period.start - D(days=2), days=2)
    enrolment_nominate(session=session, officer=officer, by=_training_officer())
    assert _free(officer, period, today)


def test_a_withdrawn_enrolment_does_not_hold_the_officer(hire, make_session, period, today):
    from matricule.training.models import Enrolment
    from matricule.training.services import enrolment_nominate

    officer = hire()
    session = make_session("PSC1", start=period.start, days=2)
    enrolment = enrolment_nominate(session=session, officer=officer, by=_training_officer())
    Enrolment.objects.filter(pk=enrolment.pk).update(state="withdrawn")
    assert _free(officer, period, today)


def test_an_open_ended_assignment_holds_the_officer_for_every_later_period(
    hire, make_operation, make_position, period, today
):
    from matricule.deployments.services import assignment_create

    officer = hire(unit="FORSAT")
    escort = make_operation(name="Escorte Gao–Ménaka", start=today - D(days=40), days=None)
    assignment = assignment_create(
        position=make_position(escort), officer=officer, start_date=today - D(days=40), by=None
    )
    assert assignment.end_date is None
    assert not _free(officer, period, today)
    far = Period(today + D(days=2000), today + D(days=2010))
    assert not _free(officer, far, today)


def test_a_cancelled_assignment_holds_nothing(hire, make_operation, make_position, period, today):
    from matricule.deployments.services import assignment_cancel, assignment_create

    officer = hire()
    operation = make_operation(start=period.start, days=30)
    assignment = assignment_create(position=make_position(operation), officer=officer, by=None)
    assignment_cancel(assignment=assignment, reason="Erreur de saisie", by=None)
    assert _free(officer, period, today)


def test_an_officer_retiring_before_the_end_is_unavailable(hire, period, today):
    from matricule.core.dates import add_years

    # Sous-officiers retire at 61: born so that the 61st birthday is the day before the end.
    birth = add_years(period.end - D(days=1), -61)
    officer = hire(grade="SGT", birth_date=birth)
    assert not _free(officer, period, today)
    later = hire(grade="SGT", birth_date=birth + D(days=2), family_name="Diarra")
    assert _free(later, period, today)


def test_an_officer_who_left_the_service_is_unavailable(hire, period, today):
    from matricule.personnel.services import Act, event_record

    officer = hire()
    event_record(
        officer=officer,
        kind="exit",
        effective_date=today - D(days=1),
        status="resigned",
        act=Act(kind="decision", number="2026-77/DGPN", date=today - D(days=10)),
        by=None,
    )
    assert not _free(officer, period, today)


def test_a_period_already_begun_reads_past_positions_from_the_career(hire, status_event, today):
    officer = hire()
    status_event(officer, "leave", today - D(days=20), end=today - D(days=12))
    status_event(officer, "active", today - D(days=11))
    assert not _free(officer, Period(today - D(days=15), today + D(days=10)), today)
    assert _free(officer, Period(today - D(days=11), today + D(days=10)), today)


def _training_officer():
    from matricule.accounts.models import RoleGrant, User
    from matricule.core.models import Agency

    user, _created = User.objects.get_or_create(username="formation.dispo")
    RoleGrant.objects.get_or_create(
        user=user, role="training_officer", agency=Agency.objects.get(code="PN")
    )
    return user
