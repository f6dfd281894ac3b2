"""A helper process that outlives a killed backup or restore and tidies up after it.

`backup` and `restore` fork it first. It waits on a pipe: the command tells it what to
remove should it die (partial files, the staging folder, the staging database) and,
once a restore has passed its point of no return, to finish that restore instead. When
the command ends normally it says so and the janitor does nothing; when the pipe closes
without that word (kill -9, out of memory), the janitor does what it was told. It runs in
its own session so that Ctrl-C or a kill of the command alone does not reach it. If both
die at once (power cut), the next run does the same work (`recover_interrupted`).
"""

from __future__ import annotations

import contextlib
import fcntl
import json
import os
import signal
import time
from collections.abc import Callable
from pathlib import Path
from types import TracebackType
from typing import Any

from matricule.core.backup.files import remove_tree

# Given by the caller: finishes (or undoes) a restore left in the middle.
Recover = Callable[[], None]
LOCK_ATTEMPTS = 60  # 3 s


class Janitor:
    def __init__(
        self, *, lock: Path, recover: Recover, drop_database: Callable[[str], None]
    ) -> None:
        self._lock = lock
        self._recover = recover
        self._drop_database = drop_database
        self._write_fd = -1
        self._pid = 0

    def __enter__(self) -> Janitor:
        read_fd, write_fd = os.pipe()
        pid = os.fork()
        if pid == 0:  # pragma: no cover - runs in the forked child, checked by kill tests
            os.close(write_fd)
            status = 0
            try:
                self._child(read_fd)
            except BaseException:
                status = 1
            finally:
                os._exit(status)
        os.close(read_fd)
        self._write_fd, self._pid = write_fd, pid
        return self

    def __exit__(
        self,
        kind: type[BaseException] | None,
        error: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        # The command cleaned up after itself (or succeeded): nothing for the janitor.
        with contextlib.suppress(OSError):
            self._send(done=True)
        with contextlib.suppress(OSError):
            os.close(self._write_fd)
        with contextlib.suppress(ChildProcessError):
            os.waitpid(self._pid, 0)

    def remove_on_death(self, path: Path) -> None:
        self._send(rm=str(path))

    def forget(self, path: Path) -> None:
        self._send(forget=str(path))

    def drop_database_on_death(self, name: str) -> None:
        self._send(dropdb=name)

    def recover_on_death(self) -> None:
        """From now on, a death means: finish the restore (the new state is committed)."""
        self._send(recover=True)

    def _send(self, **message: Any) -> None:
        os.write(self._write_fd, (json.dumps(message) + "\n").encode())

    def _child(self, read_fd: int) -> None:  # pragma: no cover - forked child
        os.setsid()
        for sig in (signal.SIGINT, signal.SIGHUP, signal.SIGTERM, signal.SIGQUIT):
            signal.signal(sig, signal.SIG_IGN)
        devnull = os.open(os.devnull, os.O_RDWR)
        for fd in (0, 1, 2):
            os.dup2(devnull, fd)
        # Nothing of the parent's stays open here (its database socket above all).
        os.closerange(3, read_fd)
        os.closerange(read_fd + 1, 1 << 16)
        paths: list[str] = []
        databases: list[str] = []
        recover = False
        buffer = b""
        with os.fdopen(read_fd, "rb") as pipe:
            while chunk := pipe.read1(4096):
                buffer += chunk
                *lines, buffer_rest = buffer.split(b"\n")
                buffer = buffer_rest
                for line in lines:
                    message = json.loads(line)
                    if message.get("done"):
                        return
                    if "rm" in message:
                        paths.append(message["rm"])
                    if "forget" in message and message["forget"] in paths:
                        paths.remove(message["forget"])
                    if "dropdb" in message:
                        databases.append(message["dropdb"])
                    if message.get("recover"):
                        recover = True
        # The command died without saying it was done. Should a new run already hold the
        # lock, it does this work itself (and its own staging must not be touched).
        # The dying command's lock may be released a moment after its pipe closes.
        lock_fd = os.open(self._lock, os.O_RDWR | os.O_CREAT, 0o600)
        for _attempt in range(LOCK_ATTEMPTS):
            try:
                fcntl.flock(lock_fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
                break
            except BlockingIOError:
                time.sleep(0.05)
        else:
            return
        if recover:
            self._recover()
            return
        for path in paths:
            remove_tree(Path(path))
        for name in databases:
            with contextlib.suppress(Exception):
                self._drop_database(name)
