"""Private, durable files: created 0600, synced to disk, put in place by one rename.

A file under construction has no name at all where the filesystem allows it (Linux
O_TMPFILE): a kill -9 or a power cut then leaves nothing behind, the kernel frees it.
Elsewhere it is a hidden `.…partiel` name, removed on failure, by the janitor or by the
next run.
"""

from __future__ import annotations

import contextlib
import errno
import os
import secrets
import shutil
from collections.abc import Iterator
from pathlib import Path

PARTIAL_SUFFIX = ".partiel"
CHUNK = 1 << 20


def fsync_dir(path: Path) -> None:
    """Make a rename or an unlink in `path` durable (it lives in the directory's blocks)."""
    fd = os.open(path, os.O_RDONLY | os.O_DIRECTORY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def private_dir(path: Path) -> Path:
    path.mkdir(mode=0o700, parents=True, exist_ok=True)
    return path


def partial_name(target: Path) -> Path:
    return target.with_name(f".{target.name}.{secrets.token_hex(4)}{PARTIAL_SUFFIX}")


class PendingFile:
    """A 0600 file in `folder` that gets its final name only through `publish`."""

    def __init__(self, folder: Path, *, named_like: Path | None = None) -> None:
        self.folder = folder
        self.named: Path | None = None
        try:
            self.fd = os.open(folder, os.O_TMPFILE | os.O_RDWR, 0o600)
        except (AttributeError, OSError) as error:
            if isinstance(error, OSError) and error.errno not in (
                errno.EOPNOTSUPP,
                errno.EISDIR,
                errno.EINVAL,
                errno.ENOENT,
            ):
                raise
            self.named = partial_name(named_like or folder / "fichier")
            self.fd = os.open(self.named, os.O_RDWR | os.O_CREAT | os.O_EXCL, 0o600)

    def publish(self, target: Path) -> None:
        """Sync the content, then give it the name `target` in one step."""
        os.fsync(self.fd)
        if self.named is None:
            step = partial_name(target)
            # linkat(…, AT_SYMLINK_FOLLOW) through /proc: gives the unnamed file a name.
            # (os.link calls plain link(), which refuses, unless a dir_fd is passed.)
            proc = os.open("/proc/self/fd", os.O_RDONLY | os.O_DIRECTORY)
            try:
                os.link(str(self.fd), step, src_dir_fd=proc, follow_symlinks=True)
            finally:
                os.close(proc)
            os.replace(step, target)
        else:
            os.replace(self.named, target)
            self.named = None
        fsync_dir(target.parent)

    def close(self) -> None:
        with contextlib.suppress(OSError):
            os.close(self.fd)
        if self.named is not None:
            self.named.unlink(missing_ok=True)
            self.named = None


def copy_durably(source: Path, target: Path, *, mode: int = 0o600) -> None:
    """Copy `source` over `target` in one step (a partial copy never has the real name)."""
    target.parent.mkdir(parents=True, exist_ok=True)
    pending = PendingFile(target.parent, named_like=target)
    try:
        with source.open("rb") as handle, open(pending.fd, "wb", closefd=False) as out:
            shutil.copyfileobj(handle, out, CHUNK)
        os.fchmod(pending.fd, mode)
        pending.publish(target)
    finally:
        pending.close()


def remove_tree(path: Path) -> None:
    if path.is_dir() and not path.is_symlink():
        shutil.rmtree(path, ignore_errors=True)
    else:
        with contextlib.suppress(FileNotFoundError):
            path.unlink()


def stale_partials(folder: Path) -> Iterator[Path]:
    """Hidden partial files a killed run may have left in `folder`."""
    if folder.is_dir():
        yield from folder.glob(f".*{PARTIAL_SUFFIX}")
