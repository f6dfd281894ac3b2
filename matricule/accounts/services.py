"""Writes on accounts: users, role grants, API tokens, second factor."""

from __future__ import annotations

import datetime
import secrets
from collections.abc import Iterable

from django.core.exceptions import ValidationError
from django.core.mail import send_mail
from django.db import transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _
from django_otp.plugins.otp_totp.models import TOTPDevice

from matricule.accounts.models import ApiToken, Notification, RoleGrant, User, hash_token
from matricule.core.audit import audit_record, model_snapshot
from matricule.core.models import Agency, Unit


def token_issue(*, user: User, name: str = "", by: User | None) -> str:
    """Create an API token and return its raw value, which is never stored."""
    raw = secrets.token_urlsafe(32)
    while raw.startswith("-"):  # a prefix starting with "-" reads as an option on the command line
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


def token_revoke(*, token: ApiToken, by: User | None, reason: str = "") -> None:
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
            after={
                "revoked_at": token.revoked_at.isoformat(),
                **({"reason": reason.strip()} if reason.strip() else {}),
            },
        )


def role_grant(
    *,
    user: User,
    role: str,
    agency: Agency,
    unit: Unit | None = None,
    by: User | None,
    reason: str = "",
) -> RoleGrant:
    grant = RoleGrant(user=user, role=role, agency=agency, unit=unit)
    if unit is not None and unit.agency_id != agency.pk:
        raise ValidationError({"unit": _("L'unité doit appartenir à l'agence choisie.")})
    grant.full_clean()
    with transaction.atomic():
        grant.save()
        audit_record(
            by=by,
            action="role.grant",
            obj=grant,
            after={**model_snapshot(grant), "username": user.username, "reason": reason.strip()},
        )
    return grant


def role_change(*, grant: RoleGrant, unit: Unit | None, by: User | None, reason: str) -> RoleGrant:
    """Narrow or widen a grant's scope (another unit subtree, or the whole agency)."""
    _require_reason(reason)
    with transaction.atomic():
        grant = (
            RoleGrant.objects.select_for_update().select_related("user", "agency").get(pk=grant.pk)
        )
        if unit is not None and unit.agency_id != grant.agency_id:
            raise ValidationError({"unit": _("L'unité doit appartenir à l'agence du rôle.")})
        before = model_snapshot(grant)
        if grant.unit_id == (unit.pk if unit else None):
            return grant
        grant.unit = unit
        grant.full_clean()
        grant.save(update_fields=["unit"])
        audit_record(
            by=by,
            action="role.change",
            obj=grant,
            before=before,
            after={
                **model_snapshot(grant),
                "username": grant.user.username,
                "reason": reason.strip(),
            },
        )
    return grant


def role_revoke(*, grant: RoleGrant, by: User | None, reason: str = "") -> None:
    with transaction.atomic():
        grant = RoleGrant.objects.select_for_update().select_related("user").get(pk=grant.pk)
        audit_record(
            by=by,
            action="role.revoke",
            obj=grant,
            before={**model_snapshot(grant), "username": grant.user.username},
            after={"reason": reason.strip()},
        )
        grant.delete()


def totp_reset(*, user: User, by: User | None, reason: str) -> int:
    """Forget the user's authenticators (lost phone); they set up a new one at next login."""
    with transaction.atomic():
        devices = list(TOTPDevice.objects.select_for_update().filter(user=user))
        for device in devices:
            device.delete()
        audit_record(
            by=by,
            action="otp.reset",
            obj=user,
            object_repr=user.username,
            after={"devices": len(devices), "reason": reason.strip()},
        )
    return len(devices)


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


def _require_reason(reason: str) -> None:
    if len(reason.strip()) < 5:
        raise ValidationError({"reason": _("Indiquez le motif (5 caractères au moins).")})


def user_create(
    *,
    username: str,
    first_name: str = "",
    last_name: str = "",
    email: str = "",
    by: User | None,
    reason: str,
) -> tuple[User, str]:
    """Open a staff account with a one-time password, to be changed at first login."""
    _require_reason(reason)
    username = username.strip()
    password = one_time_password()
    with transaction.atomic():
        if User.objects.filter(username__iexact=username).exists():
            raise ValidationError({"username": _("Cet identifiant est déjà pris.")})
        user = User(
            username=username,
            first_name=first_name.strip(),
            last_name=last_name.strip(),
            email=email.strip(),
            must_change_password=True,
        )
        user.set_password(password)
        user.full_clean()
        user.save()
        audit_record(
            by=by,
            action="account.create",
            obj=user,
            object_repr=user.username,
            after={"username": user.username, "email": user.email, "reason": reason.strip()},
        )
    return user, password


def user_set_active(*, user: User, active: bool, by: User | None, reason: str) -> User:
    """Disable an account (it can no longer sign in nor use its API tokens) or enable it."""
    _require_reason(reason)
    with transaction.atomic():
        user = User.objects.select_for_update().get(pk=user.pk)
        if by is not None and user.pk == by.pk and not active:
            raise ValidationError(_("Vous ne pouvez pas désactiver votre propre compte."))
        if user.is_active == active:
            return user
        user.is_active = active
        user.save(update_fields=["is_active"])
        audit_record(
            by=by,
            action="account.enable" if active else "account.disable",
            obj=user,
            object_repr=user.username,
            subject_officer_id=user.officer_id,
            before={"is_active": not active},
            after={"is_active": active, "reason": reason.strip()},
        )
    return user


def password_reset(*, user: User, by: User | None, reason: str) -> str:
    """Give the user a one-time password (shown once), to be changed at next login."""
    _require_reason(reason)
    password = one_time_password()
    with transaction.atomic():
        user = User.objects.select_for_update().get(pk=user.pk)
        user.set_password(password)
        user.must_change_password = True
        user.save(update_fields=["password", "must_change_password"])
        audit_record(
            by=by,
            action="account.password_reset",
            obj=user,
            object_repr=user.username,
            after={"reason": reason.strip()},
        )
    return password


def lockout_reset(*, username: str, by: User | None, reason: str) -> int:
    """Lift every lock-out of `username` at once (all addresses); returns the failures cleared.

    For the administration screens and the `unlock_account` command; always audited.
    """
    from axes.models import AccessAttempt

    _require_reason(reason)
    with transaction.atomic():
        attempts = list(AccessAttempt.objects.select_for_update().filter(username=username))
        failures = int(sum(a.failures_since_start for a in attempts))
        addresses = sorted({a.ip_address for a in attempts if a.ip_address})
        for attempt in attempts:
            attempt.delete()
        audit_record(
            by=by,
            action="account.unlock",
            object_type="accounts.user",
            object_id=str(
                User.objects.filter(username=username).values_list("pk", flat=True).first() or ""
            ),
            object_repr=username,
            after={"failures": failures, "addresses": addresses, "reason": reason.strip()},
        )
    return failures


def officer_login_close(
    *, officer_id: int, reason: str, on: datetime.date, by: User | None
) -> list[User]:
    """Disable the login of an officer who left the service (in the caller's transaction).

    Idempotent: accounts already disabled are left alone, so a corrected exit can call it
    again safely.
    """
    closed: list[User] = []
    with transaction.atomic():
        for account in User.objects.select_for_update().filter(
            officer_id=officer_id, is_active=True
        ):
            account.is_active = False
            account.save(update_fields=["is_active"])
            audit_record(
                by=by,
                action="account.disable",
                obj=account,
                subject_officer_id=officer_id,
                after={"reason": reason, "date": on.isoformat()},
            )
            closed.append(account)
    return closed


def notify(
    *,
    users: Iterable[User],
    message: str,
    url: str = "",
    email_subject: str = "",
    email_to: Iterable[str] = (),
) -> list[Notification]:
    """Tell users something in the app and, if addresses are given, by e-mail.

    Call inside the transaction of the change being announced: the notices are committed
    with it, and the e-mail is sent only once it is committed.
    """
    users = list(users)
    notices = Notification.objects.bulk_create(
        [Notification(user=user, message=message[:300], url=url[:200]) for user in users]
    )
    User.objects.filter(pk__in=[u.pk for u in users]).update(
        unread_notifications=F("unread_notifications") + 1
    )
    recipients = [address for address in email_to if address]
    if recipients:
        subject = email_subject or _("Matricule")
        transaction.on_commit(
            lambda: send_mail(subject, message, None, recipients, fail_silently=True)
        )
    return notices


def notifications_mark_read(*, user: User) -> int:
    with transaction.atomic():
        marked = Notification.objects.filter(user=user, read_at__isnull=True).update(
            read_at=timezone.now()
        )
        User.objects.filter(pk=user.pk).update(unread_notifications=0)
        user.unread_notifications = 0
    return marked
