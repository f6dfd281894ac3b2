"""Time each registered operation: warm-up, repeated runs, median, p95, queries, floor ratio."""

from __future__ import annotations

import importlib
import json
import statistics
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from django.apps import apps
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from matricule.core.benchmarking import OPERATIONS, Context, Operation

WARMUP = 3


def _timed(
    fn: Callable[[], Any], repeat: int, reset: Callable[[], Any] | None = None
) -> list[float]:
    for _ in range(WARMUP):
        fn()
        if reset is not None:
            reset()
    samples = []
    for _ in range(repeat):
        start = time.perf_counter()
        fn()
        samples.append((time.perf_counter() - start) * 1000)
        if reset is not None:
            reset()  # outside the timing: write benchmarks start each run from the same state
    return samples


def _p95(samples: list[float]) -> float:
    ordered = sorted(samples)
    return ordered[min(len(ordered) - 1, round(0.95 * (len(ordered) - 1)))]


def prepare_dataset(officers: int) -> None:
    from matricule.personnel.models import Officer

    call_command("migrate", verbosity=0, interactive=False)
    # The demo builds the police force at the asked size; the OCS and the ministry come
    # with it at a fixed few hundred, so they are not counted here.
    present = Officer.objects.filter(agency__code="PN").count()
    if present == officers:
        print(
            f"# jeu de données réutilisé : {present} agents ({connection.vendor})", file=sys.stderr
        )
        return
    if present:
        raise SystemExit(
            f"La base de benchmark contient {present} agents au lieu de {officers} : "
            "supprimez-la (var/bench-*.sqlite3 ou la base PostgreSQL *_bench_*) et relancez."
        )
    print(f"# construction du jeu de données : {officers} agents…", file=sys.stderr)
    start = time.monotonic()
    call_command("seed_demo", officers=officers, seed=1, verbosity=0)
    print(f"# construit en {time.monotonic() - start:.0f} s", file=sys.stderr)


def load_operations() -> None:
    for config in apps.get_app_configs():
        if config.name.startswith("matricule."):
            try:
                importlib.import_module(f"{config.name}.benchmarks")
            except ModuleNotFoundError as error:
                if error.name != f"{config.name}.benchmarks":
                    raise


def measure(op: Operation, ctx: Context) -> dict[str, Any]:
    prepared = op.setup(ctx)
    run, floor = prepared[0], prepared[1]
    reset = prepared[2] if len(prepared) == 3 else None
    run()  # warm per-process caches, so the count is the steady-state one
    if reset is not None:
        reset()
    with CaptureQueriesContext(connection) as captured:
        run()
    queries = len(captured.captured_queries)
    if reset is not None:
        reset()
    samples = _timed(run, op.repeat, reset)
    floor_samples = _timed(floor, op.repeat, reset)
    per = op.items_per_run
    median = statistics.median(samples) / per
    p95 = _p95(samples) / per
    floor_median = statistics.median(floor_samples) / per
    return {
        "name": op.name,
        "median_ms": round(median, 3),
        "p95_ms": round(p95, 3),
        "queries": queries,
        "floor_ms": round(floor_median, 3),
        "ratio_to_floor": round(median / floor_median, 2) if floor_median > 0 else None,
        "items_per_run": per,
        "runs": op.repeat,
    }


def run(*, officers: int, only: set[str], out: Path) -> int:
    prepare_dataset(officers)
    load_operations()
    ctx = Context(officers=officers)
    results = []
    for op in OPERATIONS:
        if only and op.name not in only:
            continue
        result = measure(op, ctx)
        results.append(result)
        print(
            f"{result['name']}: {result['median_ms']:.2f} {result['p95_ms']:.2f} "
            f"{result['queries']} {result['ratio_to_floor']}",
            flush=True,
        )
    out.write_text(
        json.dumps(
            {
                "database": connection.vendor,
                "officers": officers,
                "measured_at": timezone.now().isoformat(),
                "results": results,
            },
            indent=2,
            ensure_ascii=False,
        )
    )
    return 0
