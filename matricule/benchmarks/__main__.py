"""`python -m matricule.benchmarks`: build or reuse the bench dataset, time every operation.

Environment: BENCH_OFFICERS (default 100000), DATABASE_URL (SQLite by default; for
PostgreSQL a separate database named <name>_bench_<N> is used on the same server),
BENCH_ONLY (comma-separated operation names).
"""

from __future__ import annotations

import os
import sys
from pathlib import Path
from urllib.parse import urlparse, urlunparse

BASE_DIR = Path(__file__).resolve().parent.parent.parent
# Bump when seed_demo or the schema changes, so an old bench database is not reused.
DATASET_VERSION = 6


def bench_database_url(officers: int) -> str:
    url = os.environ.get("DATABASE_URL", "")
    if url.startswith(("postgres://", "postgresql://")):
        parsed = urlparse(url)
        name = parsed.path.lstrip("/") or "matricule"
        return urlunparse(parsed._replace(path=f"/{name}_bench_v{DATASET_VERSION}_{officers}"))
    return f"sqlite:///var/bench-v{DATASET_VERSION}-{officers}.sqlite3"


def ensure_postgres_database(url: str) -> None:
    import psycopg

    parsed = urlparse(url)
    name = parsed.path.lstrip("/")
    admin = urlunparse(parsed._replace(path="/postgres"))
    with psycopg.connect(admin, autocommit=True) as conn:
        exists = conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone()
        if not exists:
            conn.execute(f'CREATE DATABASE "{name}"')


def main() -> int:
    officers = int(os.environ.get("BENCH_OFFICERS", "100000"))
    url = bench_database_url(officers)
    os.environ["DATABASE_URL"] = url
    os.environ["DJANGO_SETTINGS_MODULE"] = "matricule.settings.bench"
    (BASE_DIR / "var" / "static").mkdir(parents=True, exist_ok=True)
    if url.startswith("postgres"):
        ensure_postgres_database(url)

    import django

    django.setup()
    from matricule.benchmarks.runner import run

    only = {n.strip() for n in os.environ.get("BENCH_ONLY", "").split(",") if n.strip()}
    return run(officers=officers, only=only, out=BASE_DIR / "bench-results.json")


if __name__ == "__main__":
    sys.exit(main())
