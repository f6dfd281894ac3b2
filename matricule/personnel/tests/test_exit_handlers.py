"""Exit handlers: what leaving the service triggers in the apps above personnel."""

from __future__ import annotations

import datetime

import pytest

from matricule.accounts.models import User
from matricule.core.models import AuditEntry
from matricule.personnel import hooks
from matricule.personnel.models import CareerEvent, EventKind, Officer, Status
from matricule.personnel.services import Act, event_record

pytestmark = pytest.mark.django_db

D = datetime.date
EXIT_ACT = Act(kind="arrete", number="2026-017/MSPC", date=D(2026, 1, 20))


@pytest.fixture
def calls():
    """A handler registered for the test only, recording what it was given."""
    seen: list[hooks.ExitContext] = []
    hooks.exit_handlers.register("test.recorder", seen.append)
    yield seen
    hooks.exit_handlers.unregister("test.recorder")


EXIT_DAY = D(2026, 1, 31)


def _exit(officer, *, on=EXIT_DAY, status=Status.RESIGNED, supersedes=None):
    return event_record(
        officer=officer,
        kind=EventKind.EXIT,
        effective_date=on,
        status=status,
        detail="démission acceptée",
        act=EXIT_ACT,
        supersedes=supersedes,
        by=None,
    )


def test_cards_and_accounts_register_their_exit_handlers():
    assert {"cards.revoke", "accounts.close_login"} <= set(hooks.exit_handlers.keys())


def test_an_exit_runs_each_handler_once_and_closes_the_login(hire, calls):
    officer = hire()
    account = User.objects.create_user(username=officer.matricule, officer=officer)
    event = _exit(officer)
    assert [(c.officer.pk, c.event.pk, c.corrected) for c in calls] == [
        (officer.pk, event.pk, False)
    ]
    account.refresh_from_db()
    assert not account.is_active
    assert (
        AuditEntry.objects.filter(action="account.disable", object_id=str(account.pk)).count() == 1
    )


def test_a_corrected_exit_runs_the_handlers_again_and_they_are_idempotent(hire, calls):
    officer = hire()
    account = User.objects.create_user(username=officer.matricule, officer=officer)
    first = _exit(officer)
    corrected = _exit(officer, on=D(2026, 2, 28), status=Status.RETIRED, supersedes=first)
    assert [(c.event.pk, c.corrected) for c in calls] == [(first.pk, False), (corrected.pk, True)]
    account.refresh_from_db()
    assert not account.is_active
    # The login was closed once: the second run found nothing left to do.
    assert (
        AuditEntry.objects.filter(action="account.disable", object_id=str(account.pk)).count() == 1
    )
    officer.refresh_from_db()
    assert officer.status == Status.RETIRED and officer.exit_date == D(2026, 2, 28)


def test_a_corrected_exit_closes_a_login_reopened_in_the_meantime(hire):
    officer = hire()
    account = User.objects.create_user(username=officer.matricule, officer=officer)
    first = _exit(officer)
    User.objects.filter(pk=account.pk).update(is_active=True)
    _exit(officer, on=D(2026, 2, 28), supersedes=first)
    account.refresh_from_db()
    assert not account.is_active


def test_a_failing_handler_rolls_the_whole_exit_back(hire):
    officer = hire()
    account = User.objects.create_user(username=officer.matricule, officer=officer)

    def fail(context: hooks.ExitContext) -> None:
        raise RuntimeError("service indisponible")

    hooks.exit_handlers.register("test.fail", fail)
    try:
        with pytest.raises(RuntimeError):
            _exit(officer)
    finally:
        hooks.exit_handlers.unregister("test.fail")
    officer = Officer.objects.get(pk=officer.pk)
    account.refresh_from_db()
    assert officer.status == Status.ACTIVE and officer.exit_date is None
    assert not CareerEvent.objects.filter(officer=officer, kind=EventKind.EXIT).exists()
    assert account.is_active  # the accounts handler ran first, and was rolled back too


def test_other_events_run_no_exit_handler(hire, calls):
    officer = hire()
    event_record(
        officer=officer,
        kind=EventKind.FUNCTION,
        effective_date=D(2025, 1, 1),
        function="Chef de poste",
        by=None,
    )
    assert calls == []
