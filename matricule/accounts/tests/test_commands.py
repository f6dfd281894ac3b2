"""Role grants and second-factor resets from the command line, each with its audit entry."""

from __future__ import annotations

import io

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django_otp.plugins.otp_totp.models import TOTPDevice

from matricule.accounts.models import RoleGrant, User
from matricule.core.models import AuditEntry

pytestmark = pytest.mark.django_db


def _run(*args: str) -> str:
    out = io.StringIO()
    call_command(*args, stdout=out)
    return out.getvalue()


def test_grant_then_revoke_a_role_on_a_unit_subtree(mali):
    user = User.objects.create_user(username="rh.kayes")
    _run(
        "grant_role",
        "rh.kayes",
        "hr_clerk",
        "--agency",
        "PN",
        "--unit",
        "dr-kay",
        "--reason",
        "note 12",
    )
    grant = RoleGrant.objects.get(user=user)
    assert (grant.role, grant.unit.code) == ("hr_clerk", "DR-KAY")
    entry = AuditEntry.objects.filter(action="role.grant").order_by("-id")[0]
    assert entry.after["reason"] == "note 12"
    _run(
        "grant_role",
        "rh.kayes",
        "hr_clerk",
        "--agency",
        "PN",
        "--unit",
        "DR-KAY",
        "--revoke",
        "--reason",
        "mutation",
    )
    assert not RoleGrant.objects.filter(user=user).exists()
    assert AuditEntry.objects.filter(action="role.revoke").order_by("-id")[0].after == {
        "reason": "mutation"
    }


def test_a_dry_run_writes_nothing(mali):
    User.objects.create_user(username="rh.kayes")
    out = _run(
        "grant_role", "rh.kayes", "inspector", "--agency", "PN", "--reason", "x", "--dry-run"
    )
    assert "essai" in out
    assert not RoleGrant.objects.exists()


def test_an_unknown_unit_or_user_is_refused_in_french(mali):
    User.objects.create_user(username="rh.kayes")
    with pytest.raises(CommandError, match="Unité inconnue"):
        _run(
            "grant_role",
            "rh.kayes",
            "hr_clerk",
            "--agency",
            "PN",
            "--unit",
            "NULLE",
            "--reason",
            "x",
        )
    with pytest.raises(CommandError, match="Utilisateur inconnu"):
        _run("grant_role", "personne", "hr_clerk", "--agency", "PN", "--reason", "x")


def test_reset_second_factor_forgets_the_devices(mali):
    user = User.objects.create_user(username="rh.bamako")
    TOTPDevice.objects.create(user=user, name="téléphone", confirmed=True)
    out = _run("reset_second_factor", "rh.bamako", "--reason", "téléphone perdu")
    assert "1 appareil" in out
    assert not TOTPDevice.objects.filter(user=user).exists()
    entry = AuditEntry.objects.filter(action="otp.reset").order_by("-id")[0]
    assert entry.after == {"devices": 1, "reason": "téléphone perdu"}
