"""Facts about the request's network origin, for the audit trail, rate limits and lock-out.

The client's address is the connection's (REMOTE_ADDR) unless the connection comes from a
reverse proxy listed in MATRICULE_TRUSTED_PROXIES: only then are X-Real-IP and
X-Forwarded-For believed. Without the list (the default, `make run`), anyone could write
those headers and choose the address that the audit trail, the rate limits and the
lock-out see.
"""

from __future__ import annotations

import functools
import ipaddress

from django.conf import settings
from django.http import HttpRequest

Network = ipaddress.IPv4Network | ipaddress.IPv6Network
Address = ipaddress.IPv4Address | ipaddress.IPv6Address


def client_ip(request: HttpRequest) -> str | None:
    remote = _address(request.META.get("REMOTE_ADDR", ""))
    if remote is None:
        return None
    if not _trusted(remote):
        return str(remote)
    real = _address(request.META.get("HTTP_X_REAL_IP", ""))
    if real is not None:
        return str(real)
    # X-Forwarded-For: client, proxy1, proxy2 — read from the right, past our own proxies.
    forwarded = request.META.get("HTTP_X_FORWARDED_FOR", "")
    for part in reversed(forwarded.split(",")):
        hop = _address(part)
        if hop is None:
            break  # a garbled entry: nothing to its left can be trusted
        if not _trusted(hop):
            return str(hop)
    return str(remote)


def _address(text: str) -> Address | None:
    try:
        return ipaddress.ip_address(text.strip())
    except ValueError:
        return None


def _trusted(address: Address) -> bool:
    return any(address in network for network in trusted_networks())


@functools.cache
def _networks(spec: tuple[str, ...]) -> tuple[Network, ...]:
    return tuple(ipaddress.ip_network(item, strict=False) for item in spec)


def trusted_networks() -> tuple[Network, ...]:
    return _networks(tuple(settings.MATRICULE_TRUSTED_PROXIES))
