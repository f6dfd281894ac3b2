"""The database part of a backup: a consistent copy, a staging copy, and the swap.

SQLite: the copy is made with SQLite's online backup; a restore writes a staging file
beside the database, checks it, and replaces the database file by one rename.
PostgreSQL: `pg_dump -Fc`; a restore loads a staging database with `pg_restore` and
swaps the names in one transaction (the old database is then dropped).

`pg_dump` and `pg_restore` die with the command (Linux parent-death signal): a killed
restore never leaves a `pg_restore` going on alone.
"""

from __future__ import annotations

import contextlib
import ctypes
import os
import signal
import sqlite3
import subprocess
import time
from pathlib import Path
from typing import Any

import psycopg
from django.conf import settings
from psycopg import sql

from matricule.core.backup.errors import BackupError
from matricule.core.backup.files import fsync_dir

STAGING_SUFFIX = "__restauration"
OLD_SUFFIX = "__ancienne"
SQLITE_STAGING_SUFFIX = ".restauration"
PR_SET_PDEATHSIG = 1

try:
    _libc: ctypes.CDLL | None = ctypes.CDLL(None, use_errno=True)
except OSError:  # pragma: no cover - not Linux
    _libc = None


def _die_with_parent(parent: int) -> Any:
    def prepare() -> None:
        os.setpgid(0, 0)
        if _libc is not None:
            _libc.prctl(PR_SET_PDEATHSIG, signal.SIGKILL)
        if os.getppid() != parent:  # the parent died before the line above
            os._exit(1)

    return prepare


def run_tool(args: list[str], *, stdout: int | None = None) -> subprocess.CompletedProcess[bytes]:
    """Run pg_dump / pg_restore so that it cannot outlive this process."""
    env = dict(os.environ)
    password = settings.DATABASES["default"].get("PASSWORD")
    if password:
        env["PGPASSWORD"] = str(password)
    process = subprocess.Popen(
        args,
        env=env,
        stdout=stdout if stdout is not None else subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        preexec_fn=_die_with_parent(os.getpid()),
    )
    try:
        _out, err = process.communicate()
    except BaseException:
        process.kill()
        process.wait()
        raise
    return subprocess.CompletedProcess(args, process.returncode, b"", err)


def vendor() -> str:
    engine = str(settings.DATABASES["default"]["ENGINE"])
    if engine.endswith("sqlite3"):
        return "sqlite"
    if engine.endswith("postgresql"):
        return "postgresql"
    raise BackupError(f"Base {engine} non prise en charge.")


def dump_name() -> str:
    return "database.sqlite3" if vendor() == "sqlite" else "database.pgdump"


# --- SQLite ---------------------------------------------------------------------------


def sqlite_path() -> Path:
    return Path(str(settings.DATABASES["default"]["NAME"]))


def sqlite_staging_path() -> Path:
    path = sqlite_path()
    return path.with_name(path.name + SQLITE_STAGING_SUFFIX)


def sqlite_snapshot(target: Path) -> None:
    """A consistent copy of the live database, taken while the site may be in use."""
    source = sqlite3.connect(sqlite_path(), timeout=30)
    try:
        destination = sqlite3.connect(target)
        try:
            source.backup(destination)
        finally:
            destination.close()
    finally:
        source.close()


def sqlite_check(path: Path) -> None:
    try:
        # Read-write, so that closing removes the -wal/-shm files WAL mode makes.
        connection = sqlite3.connect(path)
        try:
            result = connection.execute("PRAGMA quick_check").fetchone()
            connection.execute("SELECT count(*) FROM django_migrations").fetchone()
        finally:
            connection.close()
    except sqlite3.Error as error:
        raise BackupError(f"La base de l'archive est illisible : {error}") from None
    if not result or result[0] != "ok":
        raise BackupError(f"La base de l'archive est endommagée : {result}")


def sqlite_discard_staging() -> None:
    staging = sqlite_staging_path()
    for suffix in ("", "-wal", "-shm", "-journal"):
        staging.with_name(staging.name + suffix).unlink(missing_ok=True)


def sqlite_swap() -> None:
    """Put the staging file in place of the database (idempotent: the journal may replay it)."""
    staging = sqlite_staging_path()
    if not staging.exists():
        return
    live = sqlite_path()
    # The old database's journal must never be applied to the new one.
    for suffix in ("-wal", "-shm", "-journal"):
        live.with_name(live.name + suffix).unlink(missing_ok=True)
    os.replace(staging, live)
    fsync_dir(live.parent)


# --- PostgreSQL -----------------------------------------------------------------------


def pg_name() -> str:
    return str(settings.DATABASES["default"]["NAME"])


def pg_args() -> list[str]:
    db = settings.DATABASES["default"]
    args = []
    if db.get("HOST"):
        args += ["-h", str(db["HOST"])]
    if db.get("PORT"):
        args += ["-p", str(db["PORT"])]
    if db.get("USER"):
        args += ["-U", str(db["USER"])]
    return args


def pg_connect(dbname: str = "postgres") -> psycopg.Connection[Any]:
    """A connection of our own (never Django's) to the maintenance database."""
    db = settings.DATABASES["default"]
    params: dict[str, Any] = {"dbname": dbname, "autocommit": True, "connect_timeout": 10}
    for key, name in (
        ("HOST", "host"),
        ("PORT", "port"),
        ("USER", "user"),
        ("PASSWORD", "password"),
    ):
        if db.get(key):
            params[name] = str(db[key])
    options: dict[str, Any] = dict(db.get("OPTIONS") or {})  # type: ignore[call-overload]
    for key, value in options.items():
        if key in {"sslmode", "sslrootcert", "sslcert", "sslkey", "options"}:
            params[key] = value
    try:
        return psycopg.connect(**params)
    except psycopg.OperationalError:
        if dbname != "postgres":
            raise
        params["dbname"] = "template1"
        return psycopg.connect(**params)


def pg_staging_name() -> str:
    name = pg_name()
    if len(name) + len(STAGING_SUFFIX) > 63:
        raise BackupError(f"Nom de base trop long pour une restauration sûre : {name}")
    return name + STAGING_SUFFIX


def pg_old_name() -> str:
    return pg_name() + OLD_SUFFIX


def pg_exists(connection: psycopg.Connection[Any], name: str) -> bool:
    row = connection.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone()
    return row is not None


def pg_drop(name: str) -> None:
    with pg_connect() as connection:
        connection.execute(
            sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(name))
        )


def pg_others_connected(name: str) -> int:
    with pg_connect() as connection:
        row = connection.execute(
            "SELECT count(*) FROM pg_stat_activity WHERE datname = %s AND pid <> pg_backend_pid()",
            [name],
        ).fetchone()
    return int(row[0]) if row else 0


def pg_create_staging() -> str:
    """An empty staging database with the live one's encoding and collation."""
    staging = pg_staging_name()
    with pg_connect() as connection:
        connection.execute(
            sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(staging))
        )
        row = connection.execute(
            "SELECT pg_encoding_to_char(encoding), datcollate, datctype FROM pg_database "
            "WHERE datname = %s",
            [pg_name()],
        ).fetchone()
        try:
            if row:
                connection.execute(
                    sql.SQL(
                        "CREATE DATABASE {} TEMPLATE template0 ENCODING {} LC_COLLATE {} "
                        "LC_CTYPE {}"
                    ).format(
                        sql.Identifier(staging),
                        sql.Literal(row[0]),
                        sql.Literal(row[1]),
                        sql.Literal(row[2]),
                    )
                )
            else:
                connection.execute(
                    sql.SQL("CREATE DATABASE {} TEMPLATE template0 ENCODING 'UTF8'").format(
                        sql.Identifier(staging)
                    )
                )
        except psycopg.errors.InsufficientPrivilege:
            raise BackupError(
                "Le compte PostgreSQL de Matricule ne peut pas créer de base : donnez-lui ce "
                "droit (sudo -u postgres psql -c 'ALTER ROLE matricule CREATEDB'), puis "
                "relancez. Rien n'a été modifié."
            ) from None
    return staging


def pg_load_staging(dump: Path, staging: str) -> None:
    result = run_tool(
        [
            "pg_restore",
            "--no-owner",
            "--no-privileges",
            "--exit-on-error",
            "--single-transaction",
            "-d",
            staging,
            *pg_args(),
            str(dump),
        ]
    )
    if result.returncode != 0:
        raise BackupError(
            "pg_restore a échoué sur la base de préparation ; rien n'a été modifié : "
            + result.stderr.decode(errors="replace").strip()[-2000:]
        )


def pg_swap() -> None:
    """Rename live → old and staging → live in one transaction; idempotent."""
    live, staging, old = pg_name(), pg_staging_name(), pg_old_name()
    for attempt in range(10):
        with pg_connect() as connection:
            if not pg_exists(connection, staging):
                return
            if pg_exists(connection, old):
                # A copy left by an earlier interrupted restore (DROP cannot run in the
                # transaction below).
                connection.execute(
                    sql.SQL("DROP DATABASE {} WITH (FORCE)").format(sql.Identifier(old))
                )
            if attempt >= 3:
                # Past the point of no return: whoever connected meanwhile must let go.
                connection.execute(
                    "SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
                    "WHERE datname IN (%s, %s) AND pid <> pg_backend_pid()",
                    [live, staging],
                )
            try:
                with connection.transaction():
                    if pg_exists(connection, live):
                        connection.execute(
                            sql.SQL("ALTER DATABASE {} RENAME TO {}").format(
                                sql.Identifier(live), sql.Identifier(old)
                            )
                        )
                    connection.execute(
                        sql.SQL("ALTER DATABASE {} RENAME TO {}").format(
                            sql.Identifier(staging), sql.Identifier(live)
                        )
                    )
                return
            except psycopg.errors.ObjectInUse:
                time.sleep(0.5)
    raise BackupError("Impossible de remplacer la base : elle reste utilisée. Relancez restore.")


def pg_dump_into(fd: int) -> None:
    result = run_tool(["pg_dump", "-Fc", "--no-owner", *pg_args(), pg_name()], stdout=fd)
    if result.returncode != 0:
        raise BackupError(
            "pg_dump a échoué : " + result.stderr.decode(errors="replace").strip()[-2000:]
        )


def close_django_connections() -> None:
    from django.db import connections

    with contextlib.suppress(Exception):
        connections.close_all()
