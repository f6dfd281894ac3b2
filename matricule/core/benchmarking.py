"""Where benchmark operations register themselves."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from django.contrib.auth import get_user_model
from django.db import connection
from django.test import Client


@dataclass
class Context:
    """Shared objects prepared once for all operations (users, clients, sample ids)."""

    officers: int
    values: dict[str, Any] = field(default_factory=dict)


# setup(ctx) -> (run, floor) or (run, floor, reset): run() does the work once; floor() is
# the hand-written SQL; reset(), when given, is called after every run and floor call,
# outside the timing, to bring the database back to its state before (write benchmarks).
Prepared = (
    tuple[Callable[[], Any], Callable[[], Any]]
    | tuple[Callable[[], Any], Callable[[], Any], Callable[[], Any]]
)


@dataclass
class Operation:
    name: str
    setup: Callable[[Context], Prepared]
    # Throughput operations handle several items per run and report milliseconds per item.
    items_per_run: int = 1
    repeat: int = 30


OPERATIONS: list[Operation] = []


def operation(
    name: str, *, items_per_run: int = 1, repeat: int = 30
) -> Callable[[Callable[[Context], Prepared]], Callable[[Context], Prepared]]:
    def register(setup: Callable[[Context], Prepared]) -> Callable[[Context], Prepared]:
        OPERATIONS.append(Operation(name, setup, items_per_run, repeat))
        return setup

    return register


def sql_floor(query: str, params: list[Any]) -> Callable[[], Any]:
    """The floor of a benchmark: the same work written by hand in SQL."""

    def run() -> Any:
        with connection.cursor() as cursor:
            cursor.execute(query, params)
            return cursor.fetchall()

    return run


def logged_in_client(username: str) -> Client:
    """A test client signed in as `username`, second factor included, as in production."""
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
