"""`make loadtest`: Matricule under load as it runs in production, on loopback only.

1. a PostgreSQL database of its own (LOADTEST_DATABASE_URL, name containing "loadtest"),
   migrated and seeded with a small demo force, and its own data folder (var/loadtest);
2. gunicorn with the production settings and gunicorn.conf.py, on 127.0.0.1 only,
   reached as nginx would reach it (X-Forwarded-Proto: https);
3. locust, headless, LOADTEST_USERS users (50) spawned at LOADTEST_SPAWN_RATE per second
   (10: fifty logins in five seconds) for LOADTEST_DURATION (60s), through locust's own
   command line;
4. the summary (requests, failures, p50/p95/p99 in ms, per request and overall), then
   everything stops and the database is dropped.

Not part of `make test`. Plain Python, no Django: each step is a command.
"""

from __future__ import annotations

import csv
import os
import secrets
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path
from urllib.parse import urlparse, urlunparse

ROOT = Path(__file__).resolve().parent.parent
BIN = Path(sys.executable).parent
WORK = ROOT / "var" / "loadtest"
URL = os.environ.get(
    "LOADTEST_DATABASE_URL", "postgres://postgres@127.0.0.1:5432/matricule_loadtest"
)
USERS = int(os.environ.get("LOADTEST_USERS", "50"))
SPAWN_RATE = os.environ.get("LOADTEST_SPAWN_RATE", "10")
DURATION = os.environ.get("LOADTEST_DURATION", "60s")
OFFICERS = os.environ.get("LOADTEST_OFFICERS", "500")


def step(message: str) -> None:
    print(f"\n=== {message}", flush=True)


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def database(action: str) -> None:
    import psycopg

    name = urlparse(URL).path.lstrip("/")
    if "loadtest" not in name:
        sys.exit(f"LOADTEST_DATABASE_URL doit désigner une base « …loadtest… » (ici {name}).")
    admin = urlunparse(urlparse(URL)._replace(path="/postgres"))
    with psycopg.connect(admin, autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        if action == "create":
            conn.execute(f'CREATE DATABASE "{name}"')


def manage(env: dict[str, str], *args: str) -> None:
    subprocess.run([str(BIN / "python"), "manage.py", *args], cwd=ROOT, env=env, check=True)


def wait_healthy(port: int, server: subprocess.Popen[bytes]) -> None:
    request = urllib.request.Request(
        f"http://127.0.0.1:{port}/healthz", headers={"X-Forwarded-Proto": "https"}
    )
    for _ in range(120):
        if server.poll() is not None:
            sys.exit("gunicorn s'est arrêté au démarrage.")
        try:
            with urllib.request.urlopen(request, timeout=2) as response:  # noqa: S310 - loopback
                if response.status == 200:
                    return
        except OSError:
            time.sleep(0.5)
    sys.exit("gunicorn ne répond pas sur /healthz.")


def summary(prefix: Path) -> None:
    with (prefix.parent / f"{prefix.name}_stats.csv").open() as handle:
        rows = list(csv.DictReader(handle))
    print(f"\n{'requête':42s} {'nombre':>7s} {'échecs':>7s} {'p50':>6s} {'p95':>6s} {'p99':>6s}")
    for row in sorted(rows, key=lambda r: (r["Name"] == "Aggregated", r["Name"])):
        name = "TOTAL" if row["Name"] == "Aggregated" else f"{row['Type']} {row['Name']}"
        print(
            f"{name[:42]:42s} {row['Request Count']:>7s} {row['Failure Count']:>7s} "
            f"{row['50%']:>6s} {row['95%']:>6s} {row['99%']:>6s}"
        )
    total = next(r for r in rows if r["Name"] == "Aggregated")
    print(
        f"\nloadtest: {USERS} utilisateurs, {DURATION} : {total['Request Count']} requêtes, "
        f"{total['Failure Count']} échecs, p50 {total['50%']} ms, p95 {total['95%']} ms, "
        f"p99 {total['99%']} ms"
    )


def main() -> None:
    WORK.mkdir(parents=True, exist_ok=True)
    port = free_port()
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "matricule.settings.production",
        "SECRET_KEY": secrets.token_urlsafe(64),
        "ALLOWED_HOSTS": "127.0.0.1",
        "CSRF_TRUSTED_ORIGINS": f"https://127.0.0.1:{port}",
        "DATABASE_URL": URL,
        "MATRICULE_VAR_DIR": str(WORK),
        "SECURE_HSTS_SECONDS": "0",
        "EMAIL_BACKEND": "django.core.mail.backends.locmem.EmailBackend",
        "GUNICORN_BIND": f"127.0.0.1:{port}",
    }
    step(f"Base {urlparse(URL).path.lstrip('/')} et {OFFICERS} agents de démonstration")
    database("create")
    server = None
    try:
        manage(env, "migrate", "--noinput", "-v0")
        manage(env, "compile_translations", "-v0")
        manage(env, "collectstatic", "--noinput", "-v0")
        manage(env, "seed_demo", "--officers", OFFICERS, "--seed", "1", "-v0")
        accounts = WORK / "accounts.json"
        manage(env, "loadtest_accounts", "--users", str(USERS), "--output", str(accounts))
        step(f"gunicorn (réglages de production) sur 127.0.0.1:{port}")
        server = subprocess.Popen(
            [str(BIN / "gunicorn"), "-c", str(ROOT / "gunicorn.conf.py")],
            cwd=ROOT,
            env=env,
            start_new_session=True,
        )
        wait_healthy(port, server)
        step(f"locust : {USERS} utilisateurs, {SPAWN_RATE}/s, {DURATION}")
        prefix = WORK / "locust"
        subprocess.run(
            [
                str(BIN / "locust"),
                "-f",
                str(ROOT / "loadtest" / "locustfile.py"),
                "--headless",
                "--users",
                str(USERS),
                "--spawn-rate",
                SPAWN_RATE,
                "--run-time",
                DURATION,
                "--stop-timeout",
                "10",
                "--host",
                f"http://127.0.0.1:{port}",
                "--csv",
                str(prefix),
                "--only-summary",
                "--loglevel",
                "WARNING",
            ],
            cwd=ROOT,
            env={**os.environ, "LOADTEST_ACCOUNTS": str(accounts)},
            check=False,
            timeout=3600,
        )
        summary(prefix)
    finally:
        if server is not None and server.poll() is None:
            os.killpg(server.pid, signal.SIGTERM)
            try:
                server.wait(30)
            except subprocess.TimeoutExpired:
                os.killpg(server.pid, signal.SIGKILL)
        database("drop")


if __name__ == "__main__":
    main()
