"""Where benchmark operations register themselves."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any


@dataclass
class Context:
    """Shared objects prepared once for all operations (users, clients, sample ids)."""

    officers: int
    values: dict[str, Any] = field(default_factory=dict)


@dataclass
class Operation:
    name: str
    # setup(ctx) -> (run, floor): run() does the work once; floor() is the hand-written SQL.
    setup: Callable[[Context], tuple[Callable[[], Any], Callable[[], Any]]]
    # Throughput operations handle several items per run and report milliseconds per item.
    items_per_run: int = 1
    repeat: int = 30


OPERATIONS: list[Operation] = []


def operation(
    name: str, *, items_per_run: int = 1, repeat: int = 30
) -> Callable[
    [Callable[[Context], tuple[Callable[[], Any], Callable[[], Any]]]],
    Callable[[Context], tuple[Callable[[], Any], Callable[[], Any]]],
]:
    def register(
        setup: Callable[[Context], tuple[Callable[[], Any], Callable[[], Any]]],
    ) -> Callable[[Context], tuple[Callable[[], Any], Callable[[], Any]]]:
        OPERATIONS.append(Operation(name, setup, items_per_run, repeat))
        return setup

    return register
