# LOCAL SHIM (not committed): main's personnel/recruitment benchmarks import this module,
# which the architecture commit moved to web/benchmarks.py. Lets `make bench` run here.
from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.db import connection


def _sql(query: str, params: list[Any]) -> Callable[[], Any]:
    def run() -> Any:
        with connection.cursor() as cursor:
            cursor.execute(query, params)
            return cursor.fetchall()

    return run


def logged_in_client(username: str) -> Any:
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
