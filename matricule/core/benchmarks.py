"""Helpers the apps' `benchmarks.py` share: a hand-written SQL floor, a signed-in client.

`personnel` and `recruitment` benchmarks import them from here (core sits below them);
they live in core so that no app reaches up to the web layer for them.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.db import connection


def _sql(query: str, params: list[Any]) -> Callable[[], Any]:
    """The floor of a benchmark: `query` run as written, all rows fetched."""

    def run() -> Any:
        with connection.cursor() as cursor:
            cursor.execute(query, params)
            return cursor.fetchall()

    return run


def logged_in_client(username: str) -> Any:
    """A test client signed in as `username`, second factor included, as in production."""
    from django.contrib.auth import get_user_model
    from django.test import Client
    from django_otp.plugins.otp_totp.models import TOTPDevice

    user = get_user_model().objects.get(username=username)
    client = Client()
    client.force_login(user)
    device, _ = TOTPDevice.objects.get_or_create(
        user=user, name="bench", defaults={"confirmed": True}
    )
    session = client.session
    session["otp_device_id"] = device.persistent_id
    session.save()
    return client
