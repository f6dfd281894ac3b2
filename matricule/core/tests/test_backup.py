"""backup then restore gives back exactly what was saved (run as real commands)."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path
from urllib.parse import urlparse, urlunparse

import pytest

ROOT = Path(__file__).resolve().parents[3]

# Each test runs manage.py in subprocesses (migrate, seed_demo, backup, restore).
pytestmark = pytest.mark.slow


def _manage(env: dict[str, str], *args: str) -> str:
    result = subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        check=False,
        timeout=300,
    )
    assert result.returncode == 0, result.stderr[-3000:]
    return result.stdout


def _snapshot(env: dict[str, str]) -> str:
    return _manage(
        env, "dumpdata", "personnel", "core.auditentry", "accounts.user", "--indent", "0"
    )


def _databases(tmp_path: Path) -> list[tuple[str, str]]:
    cases = [("sqlite", f"sqlite:///{tmp_path}/bk.sqlite3")]
    url = os.environ.get("DATABASE_URL", "")
    if url.startswith(("postgres://", "postgresql://")):
        import psycopg

        name = f"matricule_backup_test_{os.getpid()}"
        admin = urlunparse(urlparse(url)._replace(path="/postgres"))
        with psycopg.connect(admin, autocommit=True) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{name}"')
            conn.execute(f'CREATE DATABASE "{name}"')
        cases.append(("postgresql", urlunparse(urlparse(url)._replace(path=f"/{name}"))))
    return cases


@pytest.mark.parametrize("vendor", ["sqlite", "postgresql"])
def test_restore_gives_back_exactly_what_was_saved(tmp_path, vendor):
    cases = dict(_databases(tmp_path))
    if vendor not in cases:
        pytest.skip("PostgreSQL n'est testé que lorsque DATABASE_URL le désigne.")
    env = {
        **os.environ,
        "DATABASE_URL": cases[vendor],
        "MATRICULE_VAR_DIR": str(tmp_path),
        "DJANGO_SETTINGS_MODULE": "matricule.settings.dev",
    }
    try:
        _round_trip(env, tmp_path)
    finally:
        if vendor == "postgresql":
            import psycopg

            url = urlparse(cases[vendor])
            with psycopg.connect(
                urlunparse(url._replace(path="/postgres")), autocommit=True
            ) as conn:
                conn.execute(f'DROP DATABASE IF EXISTS "{url.path.lstrip("/")}"')


def _round_trip(env: dict[str, str], tmp_path: Path) -> None:
    _manage(env, "migrate", "-v0")
    _manage(env, "seed_demo", "--officers", "40", "--seed", "3", "-v0")
    saved = _snapshot(env)
    archive = tmp_path / "sauvegarde.tar.gz"
    _manage(env, "backup", str(archive))
    photos = sorted(p.name for p in (tmp_path / "media").rglob("*.jpg"))
    # Damage the data after the backup.
    _manage(
        env,
        "shell",
        "-c",
        "from matricule.personnel.models import Officer, CareerEvent;"
        "Officer.objects.update(birth_place='Nulle part');"
        "CareerEvent.objects.filter(kind='posting').delete()",
    )
    for photo in (tmp_path / "media").rglob("*.jpg"):
        photo.unlink()
    assert _snapshot(env) != saved
    _manage(env, "restore", str(archive), "--yes")
    assert _snapshot(env) == saved
    assert sorted(p.name for p in (tmp_path / "media").rglob("*.jpg")) == photos
    assert "intacte" in _manage(env, "verify_audit")


def test_restore_refuses_a_file_that_is_not_a_backup(tmp_path):
    env = {
        **os.environ,
        "DATABASE_URL": f"sqlite:///{tmp_path}/x.sqlite3",
        "MATRICULE_VAR_DIR": str(tmp_path),
        "DJANGO_SETTINGS_MODULE": "matricule.settings.dev",
    }
    bogus = tmp_path / "pas-une-sauvegarde.tar.gz"
    bogus.write_bytes(b"not an archive")
    result = subprocess.run(
        [sys.executable, "manage.py", "restore", str(bogus), "--yes"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode != 0
    assert "Archive illisible" in result.stderr
