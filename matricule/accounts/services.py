"""Writes on accounts: users, role grants, API tokens, second factor."""

from __future__ import annotations

import secrets
from typing import Any

from django.db import transaction
from django.utils import timezone
from django_otp.plugins.otp_totp.models import TOTPDevice

from matricule.accounts.models import ApiToken, RoleGrant, User, hash_token
from matricule.core.audit import audit_record, model_snapshot
from matricule.core.models import Agency, Unit


def token_issue(*, user: User, name: str = "", by: User | None) -> str:
    """Create an API token and return its raw value, which is never stored."""
    raw = secrets.token_urlsafe(32)
    with transaction.atomic():
        token = ApiToken.objects.create(
            user=user, name=name[:100], prefix=raw[:8], key_hash=hash_token(raw)
        )
        audit_record(
            by=by,
            action="token.issue",
            obj=token,
            after={"user": user.username, "prefix": token.prefix, "name": token.name},
        )
    return raw


def token_revoke(*, token: ApiToken, by: User | None) -> None:
    with transaction.atomic():
        token = ApiToken.objects.select_for_update().get(pk=token.pk)
        if token.revoked_at is not None:
            return
        token.revoked_at = timezone.now()
        token.save(update_fields=["revoked_at"])
        audit_record(
            by=by,
            action="token.revoke",
            obj=token,
            after={"revoked_at": token.revoked_at.isoformat()},
        )


def role_grant(
    *, user: User, role: str, agency: Agency, unit: Unit | None = None, by: User | None
) -> RoleGrant:
    grant = RoleGrant(user=user, role=role, agency=agency, unit=unit)
    grant.full_clean()
    with transaction.atomic():
        grant.save()
        audit_record(by=by, action="role.grant", obj=grant, after=model_snapshot(grant))
    return grant


def role_revoke(*, grant: RoleGrant, by: User | None) -> None:
    with transaction.atomic():
        before = model_snapshot(grant)
        audit_record(by=by, action="role.revoke", obj=grant, before=before)
        grant.delete()


def totp_device_pending(*, user: User) -> TOTPDevice:
    """The user's unconfirmed authenticator device, created if needed."""
    device = TOTPDevice.objects.filter(user=user, confirmed=False).order_by("-id").first()
    if device is None:
        device = TOTPDevice.objects.create(user=user, name="Matricule", confirmed=False)
    return device


def totp_device_confirm(*, device: TOTPDevice, token: str, by: User) -> bool:
    """Confirm a new authenticator if `token` matches; returns whether it did."""
    if not device.verify_token(token):
        return False
    with transaction.atomic():
        device.confirmed = True
        device.save(update_fields=["confirmed"])
        TOTPDevice.objects.filter(user=device.user, confirmed=False).delete()
        audit_record(by=by, action="otp.enable", obj=device, object_repr=str(device.user))
    return True


def password_changed(*, user: User) -> None:
    """Record a password change (Django's form already saved the hash)."""
    with transaction.atomic():
        if user.must_change_password:
            user.must_change_password = False
            user.save(update_fields=["must_change_password"])
        audit_record(by=user, action="password.change", obj=user, object_repr=user.username)


# Letters and digits that cannot be misread on a printed sheet (no 0/O, 1/l/I).
PASSWORD_ALPHABET = "abcdefghjkmnpqrstuvwxyz23456789"  # noqa: S105 -- an alphabet


def one_time_password() -> str:
    return "-".join("".join(secrets.choice(PASSWORD_ALPHABET) for _ in range(4)) for _ in range(3))


def officer_accounts_create(*, unit: Unit, by: User) -> list[tuple[Any, str]]:
    """Open an account (username = matricule) for every serving officer of a unit subtree.

    Each gets a one-time password to print; the first login forces a new one. Officers
    who already have an account are left alone. Returns (officer, password) pairs.
    """
    from matricule.accounts.roles import Role
    from matricule.personnel.models import IN_SERVICE_STATUSES, Officer

    officers = list(
        Officer.objects.filter(
            unit_id__in=unit.subtree_ids(),
            status__in=IN_SERVICE_STATUSES,
            user_account__isnull=True,
        )
        .exclude(matricule__in=User.objects.values("username"))
        .order_by("unit__path", "family_name", "given_names")
    )
    created: list[tuple[Any, str]] = []
    with transaction.atomic():
        for officer in officers:
            password = one_time_password()
            user = User(
                username=officer.matricule,
                first_name=officer.given_names[:150],
                last_name=officer.family_name[:150],
                officer=officer,
                must_change_password=True,
                email=officer.email,
            )
            user.set_password(password)
            user.save()
            RoleGrant.objects.create(user=user, role=Role.OFFICER, agency=officer.agency)
            created.append((officer, password))
        audit_record(
            by=by,
            action="accounts.create_for_unit",
            obj=unit,
            after={"unit": unit.code, "created": [o.matricule for o, _ in created]},
        )
    return created
