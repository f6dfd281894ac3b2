"""gunicorn.conf.py: threads, so that a burst of logins does not hold every worker."""

from __future__ import annotations

import runpy
from pathlib import Path

ROOT = Path(__file__).resolve().parents[3]


def test_gunicorn_serves_with_threads_on_loopback(monkeypatch):
    for name in ("GUNICORN_BIND", "GUNICORN_WORKERS", "GUNICORN_THREADS", "GUNICORN_WORKER_CLASS"):
        monkeypatch.delenv(name, raising=False)
    config = runpy.run_path(str(ROOT / "gunicorn.conf.py"))
    assert config["worker_class"] == "gthread"
    assert config["workers"] * config["threads"] >= 16
    assert config["bind"].startswith("127.0.0.1:")
    assert config["wsgi_app"] == "matricule.wsgi"
