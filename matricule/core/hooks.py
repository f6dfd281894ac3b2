"""Typed hook lists: how a lower layer lets the apps above it take part in its work.

A lower layer never imports a higher one. Where its work must reach upward (an exit
revokes the ID card, the profile shows a training tab), it owns a `HookList` and calls
what is registered; each upper app registers its entries in `AppConfig.ready()`.
Hooks run in the caller's transaction, in registration order: a hook that raises
rolls the whole operation back. No Django signals: the list is explicit and typed.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Generic, TypeVar

T = TypeVar("T")


class HookList(Generic[T]):
    """An ordered registry of named entries; registering a name again replaces it."""

    def __init__(self, name: str) -> None:
        self.name = name
        self._entries: dict[str, T] = {}

    def register(self, key: str, entry: T) -> T:
        self._entries[key] = entry
        return entry

    def unregister(self, key: str) -> None:
        self._entries.pop(key, None)

    def keys(self) -> list[str]:
        return list(self._entries)

    def items(self) -> list[tuple[str, T]]:
        return list(self._entries.items())

    def __iter__(self) -> Iterator[T]:
        return iter(list(self._entries.values()))

    def __len__(self) -> int:
        return len(self._entries)

    def __repr__(self) -> str:
        return f"HookList({self.name!r}, {self.keys()!r})"


# Run by `manage.py worker` when it starts, before it takes tasks: each entry recovers the
# work a dead worker left half-done (an import still « en cours ») and returns a count.
worker_recoveries: HookList[Callable[[], int]] = HookList("core.worker_recoveries")
