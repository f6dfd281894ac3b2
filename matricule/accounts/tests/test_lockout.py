"""Failed logins lock the attacker's address out, not the account's owner."""

from __future__ import annotations

import datetime
import io

import pytest
from axes.models import AccessAttempt, AccessAttemptExpiration
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from matricule.accounts.lockout import cool_off
from matricule.accounts.roles import Role
from matricule.accounts.services import lockout_reset
from matricule.core.models import AuditEntry

pytestmark = pytest.mark.django_db
PASSWORD = "bon-mot-de-passe"
OWNER_IP = "41.73.10.10"
ATTACKER_IP = "41.73.66.66"


@pytest.fixture
def victim(make_user):
    return make_user(Role.OFFICER, username="agent.cible", password=PASSWORD)


def _login(client, password, ip, username="agent.cible"):
    client.logout()
    return client.post(
        reverse("accounts:login"), {"username": username, "password": password}, REMOTE_ADDR=ip
    )


def _signed_in(response):
    return response.status_code == 302


def _age_attempts(minutes):
    """Move every remembered failure `minutes` into the past (instead of waiting)."""
    delta = datetime.timedelta(minutes=minutes)
    for attempt in AccessAttempt.objects.all():
        AccessAttempt.objects.filter(pk=attempt.pk).update(
            attempt_time=attempt.attempt_time - delta
        )
    for expiration in AccessAttemptExpiration.objects.all():
        AccessAttemptExpiration.objects.filter(pk=expiration.pk).update(
            expires_at=expiration.expires_at - delta
        )


def test_five_failures_from_another_address_do_not_lock_the_owner_out(client, victim):
    for _ in range(5):
        _login(client, "faux", ATTACKER_IP)
    assert _login(client, PASSWORD, ATTACKER_IP).status_code == 429  # the attacker's address
    assert _signed_in(_login(client, PASSWORD, OWNER_IP))  # the owner, from their office


def test_the_delay_grows_with_each_failure_from_the_same_address(client, victim):
    for _ in range(5):
        _login(client, "faux", ATTACKER_IP)
    locked = _login(client, PASSWORD, ATTACKER_IP)
    assert locked.status_code == 429 and "Compte verrouillé" in locked.content.decode()
    _age_attempts(1.5)  # the first lock lasts one minute; a try while locked did not count
    assert _signed_in(_login(client, PASSWORD, ATTACKER_IP))
    for _ in range(5):
        _login(client, "faux", ATTACKER_IP)
    _age_attempts(1.5)
    _login(client, "faux", ATTACKER_IP)  # the sixth failure doubles the delay
    _age_attempts(1.5)
    assert _login(client, PASSWORD, ATTACKER_IP).status_code == 429
    _age_attempts(1)
    assert _signed_in(_login(client, PASSWORD, ATTACKER_IP))
    assert not AccessAttempt.objects.exists()  # a success clears the slate


def test_the_progressive_delays(rf, victim, settings):
    request = rf.post("/compte/connexion/", {"username": victim.username})
    request.axes_ip_address = ATTACKER_IP
    minutes = []
    for failures in (1, 4, 5, 6, 7, 8, 9, 10, 12):
        AccessAttempt.objects.update_or_create(
            username=victim.username,
            ip_address=ATTACKER_IP,
            user_agent="test",
            defaults={"failures_since_start": failures, "attempt_time": timezone.now()},
        )
        minutes.append(cool_off(request).total_seconds() / 60)
    window = settings.MATRICULE_LOCKOUT_WINDOW_MINUTES
    assert minutes == [window, window, 1, 2, 4, 8, 16, 30, 30]


def test_many_failures_from_several_addresses_lock_the_whole_account(client, victim):
    for n in range(20):
        _login(client, "faux", f"41.73.200.{n % 4}")
    owner = _login(client, PASSWORD, OWNER_IP)
    assert owner.status_code == 429
    # Four failures from one address never do it, however many usernames they try.
    AccessAttempt.objects.all().delete()
    for _ in range(4):
        _login(client, "faux", ATTACKER_IP)
    assert _signed_in(_login(client, PASSWORD, OWNER_IP))


def test_the_administrator_unlocks_at_once_and_it_is_audited(client, victim, make_user):
    for n in range(20):
        _login(client, "faux", f"41.73.200.{n % 4}")
    admin = make_user(Role.SYSADMIN, username="admin.systeme")
    with pytest.raises(ValidationError):
        lockout_reset(username=victim.username, by=admin, reason="")
    assert lockout_reset(username=victim.username, by=admin, reason="appel de l'agent") == 20
    entry = AuditEntry.objects.filter(action="account.unlock").latest("id")
    assert entry.actor == admin and entry.object_repr == victim.username
    assert entry.after["failures"] == 20 and len(entry.after["addresses"]) == 4
    assert _signed_in(_login(client, PASSWORD, OWNER_IP))


def test_the_unlock_command(client, victim):
    for _ in range(5):
        _login(client, "faux", OWNER_IP)
    assert _login(client, PASSWORD, OWNER_IP).status_code == 429
    out = io.StringIO()
    call_command("unlock_account", victim.username, "--reason", "ticket 42", stdout=out)
    assert "débloqué (5 échec(s)" in out.getvalue()
    assert _signed_in(_login(client, PASSWORD, OWNER_IP))
