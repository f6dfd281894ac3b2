"""Client addresses cannot be chosen by the client; rate limits can be shared by workers."""

from __future__ import annotations

import socket
import uuid

import pytest
from django.core.cache import caches
from django.test import RequestFactory

from matricule.core import net
from matricule.core.ratelimit import over_limit

rf = RequestFactory()


def _request(remote="203.0.113.9", **headers):
    return rf.get("/", REMOTE_ADDR=remote, **headers)


@pytest.fixture(autouse=True)
def _no_cached_networks():
    net._networks.cache_clear()
    yield
    net._networks.cache_clear()


def test_without_trusted_proxies_the_headers_are_ignored(settings):
    settings.MATRICULE_TRUSTED_PROXIES = []
    spoofed = _request(HTTP_X_REAL_IP="10.9.9.9", HTTP_X_FORWARDED_FOR="10.8.8.8")
    assert net.client_ip(spoofed) == "203.0.113.9"


def test_a_trusted_proxy_gives_the_client_address(settings):
    settings.MATRICULE_TRUSTED_PROXIES = ["127.0.0.1", "10.0.0.0/8"]
    assert net.client_ip(_request("127.0.0.1", HTTP_X_REAL_IP="41.73.1.2")) == "41.73.1.2"
    # X-Forwarded-For from the right, past our own proxies; what the client wrote on the
    # left of the real address is not believed.
    forwarded = _request("127.0.0.1", HTTP_X_FORWARDED_FOR="6.6.6.6, 41.73.1.2, 10.1.1.1")
    assert net.client_ip(forwarded) == "41.73.1.2"
    garbled = _request("127.0.0.1", HTTP_X_REAL_IP="pas une ip", HTTP_X_FORWARDED_FOR="x, 10.1.1.1")
    assert net.client_ip(garbled) == "127.0.0.1"
    # An untrusted sender's headers stay ignored even with the list set.
    assert net.client_ip(_request("198.51.100.7", HTTP_X_REAL_IP="41.73.1.2")) == "198.51.100.7"


def test_a_spoofed_header_cannot_escape_a_rate_limit(settings):
    settings.MATRICULE_TRUSTED_PROXIES = []
    scope = f"test-{uuid.uuid4().hex}"
    answers = [
        over_limit(_request(HTTP_X_REAL_IP=f"10.0.0.{i}"), scope=scope, limit=3, window_seconds=60)
        for i in range(5)
    ]
    assert answers == [False, False, False, True, True]


def _redis_up() -> bool:
    try:
        with socket.create_connection(("127.0.0.1", 6379), timeout=0.5):
            return True
    except OSError:
        return False


@pytest.mark.skipif(not _redis_up(), reason="Redis ne répond pas sur 127.0.0.1:6379")
def test_with_redis_two_workers_share_one_limit(settings):
    from matricule.settings.env import cache_from_url

    settings.CACHES = {"default": cache_from_url("redis://127.0.0.1:6379/0")}
    scope = f"test-{uuid.uuid4().hex}"
    request = _request()
    # A worker is a process with its own cache connection: drop ours between the two.
    assert not over_limit(request, scope=scope, limit=2, window_seconds=60)
    caches["default"].close()
    del caches["default"]
    assert not over_limit(request, scope=scope, limit=2, window_seconds=60)
    caches["default"].close()
    del caches["default"]
    assert over_limit(request, scope=scope, limit=2, window_seconds=60)
    assert "RedisCache" in type(caches["default"]).__name__
