"""Bearer-token authentication for the API: tokens are looked up by their SHA-256."""

from __future__ import annotations

import datetime
from typing import Any

from django.db.models import Q
from django.http import HttpRequest
from django.utils import timezone
from ninja.security import HttpBearer

from matricule.accounts.models import ApiToken, hash_token

TOUCH_SECONDS = 60


def token_lookup(token: str) -> ApiToken | None:
    """The live token with this raw value (revoked tokens and closed accounts: None)."""
    return (
        ApiToken.objects.select_related("user")
        .filter(key_hash=hash_token(token), revoked_at__isnull=True, user__is_active=True)
        .first()
    )


class TokenAuth(HttpBearer):
    def authenticate(self, request: HttpRequest, token: str) -> Any:
        found = token_lookup(token)
        if found is None:
            return None
        now = timezone.now()
        stale = now - datetime.timedelta(seconds=TOUCH_SECONDS)
        # At most one write a minute per token, even from many processes at once: reads
        # must not turn into writes (on SQLite, a write lock per API call).
        if found.last_used_at is None or found.last_used_at < stale:
            ApiToken.objects.filter(
                Q(last_used_at__isnull=True) | Q(last_used_at__lt=stale), pk=found.pk
            ).update(last_used_at=now)
        request.user = found.user
        return found.user
