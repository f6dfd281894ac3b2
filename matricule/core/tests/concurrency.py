"""Running calls at the same moment in real threads, for the tests of races.

Each thread has its own database connection (Django opens one per thread), so the calls
meet in the database exactly as two requests served by two workers would. Use it from a
`@pytest.mark.django_db(transaction=True)` test: the other threads cannot see the data of
a test wrapped in a transaction that is never committed.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any

from django.db import connections

TIMEOUT = 30.0


@contextmanager
def _patient_sqlite_writers() -> Iterator[None]:
    """Let a queued SQLite writer wait as long as the race may last.

    The races assert on who wins, not on how long the losers queue: on a loaded machine the
    last of four writers can wait behind three transactions for more than the 5 seconds of
    production's busy timeout, and would fail with "database is locked" instead of being
    refused by the service. Only the threads' new connections are affected.
    """
    settings = connections.settings["default"]
    if "sqlite" not in settings["ENGINE"]:
        yield
        return
    options = settings.setdefault("OPTIONS", {})
    original = options.get("init_command", "")
    options["init_command"] = f"{original}; PRAGMA busy_timeout={int(TIMEOUT * 1000)}"
    try:
        yield
    finally:
        options["init_command"] = original


def run_together(*calls: Callable[[], Any]) -> list[Any]:
    """Start every call in its own thread at the same moment; return each one's result.

    A call that raised gives its exception in its place, so the test can assert that
    nothing leaked (no IntegrityError, no 500). Django's test clients listen for view
    exceptions on a process-wide signal: when one request fails, every client running at
    that moment re-raises the same exception, so read the first one.
    """
    start = threading.Barrier(len(calls))
    results: list[Any] = [None] * len(calls)

    def work(index: int, call: Callable[[], Any]) -> None:
        try:
            start.wait(TIMEOUT)
            results[index] = call()
        except BaseException as error:  # handed back to the test, which asserts on it
            results[index] = error
        finally:
            connections.close_all()

    threads = [
        threading.Thread(target=work, args=(i, call), daemon=True) for i, call in enumerate(calls)
    ]
    with _patient_sqlite_writers():
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(TIMEOUT)
    assert not any(thread.is_alive() for thread in threads), "a concurrent call never finished"
    return results
