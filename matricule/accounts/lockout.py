"""Lock-out policy after failed logins, written as django-axes' documented callables.

Three rules, so that nobody can lock someone else out by typing their username:

1. **Username and address together.** Failures count per (username, client address):
   `AXES_FAILURE_LIMIT` (5) wrong passwords from one address lock that username *from that
   address*; the owner, signing in from their own office, is not affected.
2. **Progressive delay.** The first lock lasts one minute, and every further failure from
   that address doubles it (2, 4, 8, 16 minutes…) up to `AXES_COOLOFF_MINUTES` (30).
   Failures are remembered for `MATRICULE_LOCKOUT_WINDOW_MINUTES` (15) of quiet.
3. **Account-wide lock, only under a spread attack.** When the username has gathered at
   least `MATRICULE_LOCKOUT_ACCOUNT_FAILURES` (20) failures from at least
   `MATRICULE_LOCKOUT_ACCOUNT_ADDRESSES` (3) different addresses, the account is locked
   from everywhere, for the longest delay.

An administrator unlocks at once with `accounts.services.lockout_reset` (the `unlock_account`
command), which the audit trail records. Addresses come from `core.net.client_ip`: proxy
headers are believed only from MATRICULE_TRUSTED_PROXIES.
"""

from __future__ import annotations

import datetime
from typing import Any

from axes.helpers import get_client_username
from axes.models import AccessAttempt
from django.conf import settings
from django.db.models import Count, Sum
from django.http import HttpRequest
from django.utils import timezone

PAIR = ["username", "ip_address"]


def lockout_parameters(
    request_or_attempt: Any, credentials: dict[str, Any] | None = None
) -> list[Any]:
    """AXES_LOCKOUT_PARAMETERS: the pair always; the username alone under a spread attack."""
    username = _username(request_or_attempt, credentials)
    if username and account_under_attack(username):
        return [PAIR, "username"]
    return [PAIR]


def cool_off(request: HttpRequest | None = None) -> datetime.timedelta:
    """AXES_COOLOFF_TIME: how long this request's failures count (and lock) for."""
    longest = datetime.timedelta(minutes=settings.AXES_COOLOFF_MINUTES)
    if request is None:
        return longest
    username = _username(request, None)
    if not username:
        return _window()
    if account_under_attack(username):
        return longest
    failures = pair_failures(username, getattr(request, "axes_ip_address", None))
    limit = settings.AXES_FAILURE_LIMIT
    if failures < limit:
        return _window()
    return min(longest, datetime.timedelta(minutes=2 ** (failures - limit)))


def pair_failures(username: str, ip_address: str | None) -> int:
    """Failures of this username from this address still remembered (all browsers)."""
    total = _live(username).filter(ip_address=ip_address).aggregate(n=Sum("failures_since_start"))
    return int(total["n"] or 0)


def account_under_attack(username: str) -> bool:
    """Many failures on this username, from several addresses."""
    spread = _live(username).aggregate(
        n=Sum("failures_since_start"), addresses=Count("ip_address", distinct=True)
    )
    return (spread["n"] or 0) >= settings.MATRICULE_LOCKOUT_ACCOUNT_FAILURES and (
        spread["addresses"] or 0
    ) >= settings.MATRICULE_LOCKOUT_ACCOUNT_ADDRESSES


def _live(username: str) -> Any:
    """Attempts not yet expired (expired ones are deleted at the next login, by axes)."""
    return AccessAttempt.objects.filter(username=username).exclude(
        expiration__expires_at__lte=timezone.now()
    )


def _window() -> datetime.timedelta:
    return datetime.timedelta(minutes=settings.MATRICULE_LOCKOUT_WINDOW_MINUTES)


def _username(request_or_attempt: Any, credentials: dict[str, Any] | None) -> str | None:
    if isinstance(request_or_attempt, AccessAttempt):
        name: str | None = request_or_attempt.username
        return name
    if isinstance(request_or_attempt, HttpRequest):
        name = get_client_username(request_or_attempt, credentials)
        return str(name) if name else None
    return (credentials or {}).get(getattr(settings, "AXES_USERNAME_FORM_FIELD", "username"))
