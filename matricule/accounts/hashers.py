"""Argon2id set for the target server, and a bound on password checks running at once.

Django's default Argon2 (100 MiB, 8 lanes, 2 passes) took about 1 s per check on the
2-core reference server under load, and a burst of 50 logins held every worker for
50 s. These parameters follow OWASP's recommended minimum for Argon2id (19 MiB, 2
passes, 1 lane), measured in docs/deployment.md ("Logins"): one lane means one check
uses one core. MATRICULE_LOGIN_CONCURRENCY bounds how many checks run at once on the
server, across every gunicorn process and thread (file locks in VAR_DIR/run): a login
burst queues behind them while page views keep the other core.

Hashes made with other parameters still verify, and are upgraded at the next login.
"""

from __future__ import annotations

import fcntl
import os
import random
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from django.conf import settings
from django.contrib.auth.hashers import Argon2PasswordHasher

# Waiting longer than this for a slot, a check goes ahead anyway: a login is slowed by a
# burst, never refused because of one.
SLOT_WAIT_SECONDS = 30.0


@contextmanager
def password_check_slot() -> Iterator[None]:
    """Hold one of MATRICULE_LOGIN_CONCURRENCY slots shared by the whole server."""
    slots = int(getattr(settings, "MATRICULE_LOGIN_CONCURRENCY", 1))
    folder = Path(settings.VAR_DIR) / "run"
    folder.mkdir(mode=0o700, parents=True, exist_ok=True)
    # A fresh descriptor per call: flock is per open file, so threads of one process
    # exclude each other too.
    fds = [
        os.open(folder / f"password-check-{index}.lock", os.O_RDWR | os.O_CREAT, 0o600)
        for index in range(slots)
    ]
    deadline = time.monotonic() + SLOT_WAIT_SECONDS
    try:
        while True:
            if any(_try_lock(fd) for fd in fds) or time.monotonic() > deadline:
                break
            time.sleep(0.005 + random.random() * 0.01)
        yield
    finally:
        for fd in fds:
            os.close(fd)  # releases the slot held, if any


def _try_lock(fd: int) -> bool:
    try:
        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except BlockingIOError:
        return False
    return True


class MatriculeArgon2PasswordHasher(Argon2PasswordHasher):
    time_cost = 2
    memory_cost = 19456  # KiB (19 MiB)
    parallelism = 1

    def verify(self, password: str, encoded: str) -> bool:
        with password_check_slot():
            return bool(super().verify(password, encoded))

    def encode(self, password: str, salt: str) -> Any:
        with password_check_slot():
            return super().encode(password, salt)
