"""A fixed-window counter per client address, for the public pages (no login)."""

from __future__ import annotations

import time

from django.core.cache import cache
from django.http import HttpRequest

from matricule.core.net import client_ip


def over_limit(request: HttpRequest, *, scope: str, limit: int, window_seconds: int) -> bool:
    """Count this request; True once the address made more than `limit` in the window.

    The counter lives in the configured cache: with the default in-memory cache each
    server process counts on its own; with CACHE_URL=redis://… (docs/deployment.md) every
    worker shares it. The address is `core.net.client_ip`'s, which believes proxy headers
    only from MATRICULE_TRUSTED_PROXIES.
    """
    window = int(time.time() // window_seconds)
    key = f"ratelimit:{scope}:{client_ip(request) or '-'}:{window}"
    if cache.add(key, 1, timeout=window_seconds + 10):
        return limit < 1
    try:
        count = cache.incr(key)
    except ValueError:  # the key expired between add() and incr()
        cache.add(key, 1, timeout=window_seconds + 10)
        count = 1
    return count > limit
