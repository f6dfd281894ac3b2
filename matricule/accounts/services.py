"""Writes on accounts: users, role grants, API tokens, second factor."""

from __future__ import annotations

import secrets

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
