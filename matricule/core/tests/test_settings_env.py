from __future__ import annotations

from pathlib import Path

import pytest
from django.core.exceptions import ImproperlyConfigured

from matricule.settings.env import database_from_url, env_bool, env_int


def test_sqlite_relative_and_absolute(tmp_path):
    rel = database_from_url("sqlite:///var/x.sqlite3", base_dir=Path("/app"))
    assert rel["NAME"] == "/app/var/x.sqlite3"
    absolute = database_from_url(f"sqlite:///{tmp_path}/y.sqlite3", base_dir=Path("/app"))
    assert absolute["NAME"] == f"{tmp_path}/y.sqlite3"


def test_postgres_url():
    db = database_from_url(
        "postgres://rh:s%40cret@db.local:5433/matricule?sslmode=require", base_dir=Path("/app")
    )
    assert db["ENGINE"] == "django.db.backends.postgresql"
    assert (db["USER"], db["PASSWORD"], db["HOST"], db["PORT"], db["NAME"]) == (
        "rh",
        "s@cret",
        "db.local",
        "5433",
        "matricule",
    )
    assert db["OPTIONS"] == {"options": "-c jit=off", "sslmode": "require"}


@pytest.mark.parametrize(
    "url", ["mysql://x/y", "postgres://host/", "sqlite://", "postgres://h:abc/x"]
)
def test_bad_database_urls_are_explained(url):
    with pytest.raises(ImproperlyConfigured):
        database_from_url(url, base_dir=Path("/app"))


def test_bad_booleans_and_integers_are_explained(monkeypatch):
    monkeypatch.setenv("X_FLAG", "peut-être")
    with pytest.raises(ImproperlyConfigured, match="booléen"):
        env_bool("X_FLAG", False)
    monkeypatch.setenv("X_NUM", "douze")
    with pytest.raises(ImproperlyConfigured, match="entier"):
        env_int("X_NUM", 1)
    monkeypatch.setenv("X_NUM", "2")
    with pytest.raises(ImproperlyConfigured, match="au moins"):
        env_int("X_NUM", 1, minimum=5)


def test_the_embedded_sqlite_database_syncs_every_commit(tmp_path, django_db_blocker):
    """A power cut must not lose a committed write: WAL with synchronous=FULL (2)."""
    from django.db.backends.sqlite3.base import DatabaseWrapper

    settings_dict = database_from_url(f"sqlite:///{tmp_path}/m.sqlite3", base_dir=Path("/"))
    wrapper = DatabaseWrapper(
        {
            **settings_dict,
            "ATOMIC_REQUESTS": False,
            "AUTOCOMMIT": True,
            "CONN_MAX_AGE": 0,
            "CONN_HEALTH_CHECKS": False,
            "TIME_ZONE": None,
            "USER": "",
            "PASSWORD": "",
            "HOST": "",
            "PORT": "",
        }
    )
    try:
        with django_db_blocker.unblock(), wrapper.cursor() as cursor:
            cursor.execute("PRAGMA synchronous")
            assert cursor.fetchone()[0] == 2  # FULL
            cursor.execute("PRAGMA journal_mode")
            assert cursor.fetchone()[0] == "wal"
    finally:
        wrapper.close()
