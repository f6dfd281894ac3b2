"""The load test's accounts: only ever in a load-test database, and fit for a real login."""

from __future__ import annotations

import json

import pytest
from django.core.management import CommandError, call_command
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice

from matricule.accounts.models import User

pytestmark = pytest.mark.django_db


def test_refused_outside_a_load_test_database(tmp_path):
    with pytest.raises(CommandError, match="test de charge"):
        call_command("loadtest_accounts", "--users", "2", "--output", str(tmp_path / "a.json"))
    assert not (tmp_path / "a.json").exists()


def test_accounts_sign_in_with_their_password_and_totp_secret(
    settings, tmp_path, hire, monkeypatch
):
    for unit in ("BKO-CA01", "BKO-CA02", "BKO-CA01"):
        hire(unit=unit)
    # Only the name the command reads (restored after the test; the open connection stays).
    database = settings.DATABASES["default"]
    monkeypatch.setitem(database, "NAME", f"{database['NAME']}_loadtest")
    target = tmp_path / "accounts.json"
    call_command("loadtest_accounts", "--users", "5", "--output", str(target))
    accounts = json.loads(target.read_text())
    assert oct(target.stat().st_mode & 0o777) == "0o600"
    assert {u["role"] for u in accounts["users"]} == {"officer", "hr_clerk", "supervisor"}
    for entry in accounts["users"]:
        user = User.objects.get(username=entry["username"])
        assert user.check_password(accounts["password"])
        if entry["totp"]:
            device = TOTPDevice.objects.get(user=user)
            assert device.verify_token(str(totp(bytes.fromhex(entry["totp"]))).zfill(6))
        else:
            assert not user.needs_two_factor
    assert accounts["bamako"] and accounts["ca01"]
