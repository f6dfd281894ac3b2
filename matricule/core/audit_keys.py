"""The secret keys that seal the audit trail, and its signed checkpoints: files, never rows.

Someone with access to the database alone can neither recompute the chain (its hashes
are HMAC-SHA-256 with a key kept in MATRICULE_AUDIT_KEY_DIR) nor cut its tail (the last
sealed position is written, signed, to a checkpoint file in the same folder). Back the
folder up with the database — `backup` includes it — and keep a copy off the server.

Files (mode 0600, in a 0700 folder):
- `audit-<kid>.key`: 32 random bytes, hex; the newest kid seals, older ones verify.
- `audit-checkpoint.json`: {"seq", "hash", "at", "kid", "mac"} of the last sealed entry.
"""

from __future__ import annotations

import datetime
import fcntl
import hashlib
import hmac
import json
import os
import secrets
from dataclasses import dataclass
from pathlib import Path

from django.conf import settings
from django.utils import timezone

KEY_PREFIX = "audit-"
KEY_SUFFIX = ".key"
CHECKPOINT_NAME = "audit-checkpoint.json"
# Entries sealed before the chain was keyed carry this kid and a plain SHA-256.
LEGACY_KID = ""

_keys: dict[str, bytes] = {}


def key_dir() -> Path:
    return Path(settings.MATRICULE_AUDIT_KEY_DIR)


def clear_key_cache() -> None:
    _keys.clear()


def _key_path(kid: str) -> Path:
    return key_dir() / f"{KEY_PREFIX}{kid}{KEY_SUFFIX}"


def _load() -> dict[str, bytes]:
    if not _keys:
        folder = key_dir()
        if folder.is_dir():
            for path in sorted(folder.glob(f"{KEY_PREFIX}*{KEY_SUFFIX}")):
                kid = path.name[len(KEY_PREFIX) : -len(KEY_SUFFIX)]
                _keys[kid] = bytes.fromhex(path.read_text().strip())
    return _keys


def key_rotate() -> str:
    """Make a new sealing key (it seals from now on; older keys keep verifying)."""
    folder = key_dir()
    folder.mkdir(mode=0o700, parents=True, exist_ok=True)
    # Sortable: the newest key is the last name in order, even within one second.
    existing = max(_load(), default="")
    kid = f"{timezone.now():%Y%m%d%H%M%S%f}"
    if kid <= existing:
        kid = str(int(existing) + 1)
    fd = os.open(_key_path(kid), os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(fd, "w") as handle:
        handle.write(secrets.token_hex(32))
        handle.flush()
        os.fsync(handle.fileno())
    clear_key_cache()
    return kid


def current_key() -> tuple[str, bytes]:
    """The sealing key, made on first use (an empty key folder on a new server)."""
    keys = _load()
    if not keys:
        key_rotate()
        keys = _load()
    kid = max(keys)
    return kid, keys[kid]


def key_for(kid: str) -> bytes | None:
    keys = _load()
    if kid not in keys:
        clear_key_cache()  # another process may have rotated
        keys = _load()
    return keys.get(kid)


def key_ids() -> list[str]:
    return sorted(_load())


def mac(key: bytes, payload: str) -> str:
    return hmac.new(key, payload.encode(), hashlib.sha256).hexdigest()


@dataclass(frozen=True)
class Checkpoint:
    seq: int
    hash: str
    at: str
    kid: str
    mac: str

    def payload(self) -> str:
        return f"{self.seq}|{self.hash}|{self.at}|{self.kid}"


def checkpoint_read() -> Checkpoint | None:
    path = key_dir() / CHECKPOINT_NAME
    try:
        data = json.loads(path.read_text())
        return Checkpoint(
            seq=int(data["seq"]),
            hash=str(data["hash"]),
            at=str(data["at"]),
            kid=str(data["kid"]),
            mac=str(data["mac"]),
        )
    except FileNotFoundError:
        return None
    except (OSError, ValueError, KeyError, TypeError):
        # An unreadable checkpoint is reported by verify_audit, never silently ignored.
        return Checkpoint(seq=-1, hash="", at="", kid="", mac="")


def checkpoint_valid(point: Checkpoint) -> bool:
    key = key_for(point.kid)
    return key is not None and hmac.compare_digest(point.mac, mac(key, point.payload()))


def checkpoint_write(*, seq: int, hash: str) -> None:
    """Record (seq, hash) as the last sealed position, unless a later one is already there.

    Several processes seal: the file is replaced atomically under a lock, and only ever
    moves forward.
    """
    folder = key_dir()
    folder.mkdir(mode=0o700, parents=True, exist_ok=True)
    kid, key = current_key()
    at = datetime.datetime.now(tz=datetime.UTC).isoformat(timespec="seconds")
    point = Checkpoint(seq=seq, hash=hash, at=at, kid=kid, mac="")
    point = Checkpoint(seq, hash, at, kid, mac(key, point.payload()))
    lock_fd = os.open(folder / ".audit-checkpoint.lock", os.O_WRONLY | os.O_CREAT, 0o600)
    try:
        fcntl.flock(lock_fd, fcntl.LOCK_EX)
        existing = checkpoint_read()
        if existing is not None and existing.seq >= seq and checkpoint_valid(existing):
            return
        temp = folder / f".{CHECKPOINT_NAME}.{os.getpid()}.tmp"
        fd = os.open(temp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        with os.fdopen(fd, "w") as handle:
            json.dump(point.__dict__, handle)
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(temp, folder / CHECKPOINT_NAME)
    finally:
        fcntl.flock(lock_fd, fcntl.LOCK_UN)
        os.close(lock_fd)
