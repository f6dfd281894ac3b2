from __future__ import annotations

import pytest
from django.conf import settings
from django.urls import reverse
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice

from matricule.accounts.roles import Role
from matricule.core.models import AuditEntry

pytestmark = pytest.mark.django_db


def test_login_page_is_french_by_default(client):
    response = client.get(reverse("accounts:login"))
    assert response.status_code == 200
    body = response.content.decode()
    assert '<html lang="fr">' in body
    assert "Se connecter" in body
    assert "Content-Security-Policy" in response.headers


def test_login_page_in_english_when_chosen(client):
    client.post(reverse("set_language"), {"language": "en", "next": "/"})
    body = client.get(reverse("accounts:login")).content.decode()
    assert '<html lang="en">' in body
    assert "Sign in" in body


def test_wrong_password_is_refused_in_french(client, make_user):
    make_user(Role.OFFICER, username="agent1")
    response = client.post(reverse("accounts:login"), {"username": "agent1", "password": "faux"})
    assert response.status_code == 200
    assert "Saisissez un nom d’utilisateur et un mot de passe valides" in response.content.decode()


def test_account_is_locked_after_five_failures(client, make_user):
    make_user(Role.OFFICER, username="agent2", password="bon-mot-de-passe")
    for _ in range(5):
        client.post(reverse("accounts:login"), {"username": "agent2", "password": "faux"})
    response = client.post(
        reverse("accounts:login"), {"username": "agent2", "password": "bon-mot-de-passe"}
    )
    assert response.status_code == 429
    assert "Compte verrouillé" in response.content.decode()


def test_passwords_are_hashed_with_argon2_outside_tests():
    from matricule.settings import base

    assert base.PASSWORD_HASHERS[0].endswith("Argon2PasswordHasher")
    assert settings.SESSION_EXPIRE_AT_BROWSER_CLOSE
    assert settings.SESSION_COOKIE_AGE <= 8 * 3600


@pytest.mark.parametrize(
    "role", [Role.HR_CLERK, Role.HR_DIRECTOR, Role.SYSADMIN, Role.BADGE_OFFICER]
)
def test_two_factor_roles_must_set_up_totp(client, make_user, role):
    user = make_user(role)
    client.force_login(user)
    response = client.get(reverse("web:home"))
    assert response.status_code == 302
    assert response["Location"] == reverse("accounts:otp_verify") + "?next=%2F"
    follow = client.get(response["Location"])
    assert follow["Location"] == reverse("accounts:otp_setup") + "?next=%2F"


@pytest.mark.parametrize("role", [Role.OFFICER, Role.SUPERVISOR, Role.INSPECTOR])
def test_other_roles_go_straight_home(client, make_user, role):
    client.force_login(make_user(role))
    assert client.get(reverse("web:home")).status_code == 200


def test_totp_setup_then_verify(client, make_user):
    user = make_user(Role.HR_CLERK, "DR-BKO")
    client.force_login(user)
    client.get(reverse("accounts:otp_setup"))
    device = TOTPDevice.objects.get(user=user, confirmed=False)
    bad = client.post(
        reverse("accounts:otp_setup"),
        {"token": "000000" if totp(device.bin_key) != 0 else "111111"},
    )
    assert "Code incorrect" in bad.content.decode()
    # django-otp throttles after a failure; skip the back-off instead of sleeping.
    TOTPDevice.objects.filter(pk=device.pk).update(
        throttling_failure_count=0, throttling_failure_timestamp=None
    )
    code = f"{totp(device.bin_key):06d}"
    response = client.post(reverse("accounts:otp_setup"), {"token": code})
    assert response.status_code == 302
    assert TOTPDevice.objects.get(pk=device.pk).confirmed
    assert client.get(reverse("web:home")).status_code == 200
    assert AuditEntry.objects.filter(action="otp.enable", actor=user).exists()


def test_forced_password_change(client, make_user):
    user = make_user(Role.OFFICER, username="nouveau", password="ancien-mot-de-passe")
    user.must_change_password = True
    user.save()
    client.force_login(user)
    assert client.get(reverse("web:home"))["Location"] == reverse("accounts:password_change")
    response = client.post(
        reverse("accounts:password_change"),
        {
            "old_password": "ancien-mot-de-passe",
            "new_password1": "Kalaban-Coura-2026",
            "new_password2": "Kalaban-Coura-2026",
        },
    )
    assert response.status_code == 302
    user.refresh_from_db()
    assert not user.must_change_password
    assert client.get(reverse("web:home")).status_code == 200


def test_logout_needs_post(client, make_user):
    client.force_login(make_user(Role.OFFICER))
    assert client.get(reverse("accounts:logout")).status_code == 405
    assert client.post(reverse("accounts:logout")).status_code == 302
    assert client.get(reverse("web:home")).status_code == 302


def _session_writes(queries) -> list[str]:
    return [
        q["sql"]
        for q in queries
        if q["sql"].startswith(("UPDATE", "INSERT")) and "django_session" in q["sql"]
    ]


def test_pages_do_not_rewrite_the_session_on_every_request(client, make_user):
    """Idle expiry stays, without a session write per page view (SQLite locks)."""
    import time
    from unittest import mock

    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    user = make_user(Role.OFFICER, username="agent.session")
    client.force_login(user)
    client.get(reverse("web:home"))  # the first refresh after login
    with CaptureQueriesContext(connection) as reads:
        for _ in range(3):
            assert client.get(reverse("web:home")).status_code == 200
    assert _session_writes(reads.captured_queries) == []
    later = time.time() + settings.SESSION_REFRESH_SECONDS + 1
    with (
        mock.patch("matricule.core.middleware.time.time", return_value=later),
        CaptureQueriesContext(connection) as refresh,
    ):
        client.get(reverse("web:home"))
    assert len(_session_writes(refresh.captured_queries)) == 1
