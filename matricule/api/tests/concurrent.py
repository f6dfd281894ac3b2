"""Requests fired at the same instant from many threads, each with its own connection."""

from __future__ import annotations

import json
import os
import sqlite3
import subprocess
import sys
import threading
from pathlib import Path
from typing import Any

from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test import Client

ROOT = Path(__file__).resolve().parents[3]


def _send(spec: dict[str, Any]) -> tuple[int, str]:
    if "form" in spec:
        data = dict(spec["form"])
        for field, (name, content) in spec.get("files", {}).items():
            data[field] = [SimpleUploadedFile(name, content.encode("latin-1"), "application/pdf")]
        response = Client().post(spec["path"], data, **spec["headers"])
    else:
        response = Client().post(
            spec["path"], data=spec["body"], content_type="application/json", **spec["headers"]
        )
    return response.status_code, response.content.decode()


def fire_all(requests: list[dict[str, Any]]) -> list[tuple[int, str]]:
    answers: list[tuple[int, str]] = []
    start = threading.Barrier(len(requests))

    def fire(spec: dict[str, Any]) -> None:
        try:
            start.wait()
            answers.append(_send(spec))
        finally:
            connection.close()

    threads = [threading.Thread(target=fire, args=(spec,)) for spec in requests]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(120)
    return answers


def fire_together(requests: list[dict[str, Any]], tmp_path: Path) -> list[tuple[int, str]]:
    """Send the requests at once against the test database as committed so far.

    PostgreSQL: threads of this process. SQLite: the test database lives in memory, whose
    shared cache answers "table locked" instead of waiting; it is copied to a file, the
    threads run in a child process as gunicorn's would, and the result is copied back.
    """
    if connection.vendor == "postgresql":
        return fire_all(requests)
    copy = tmp_path / "concurrent.sqlite3"
    connection.ensure_connection()
    target = sqlite3.connect(copy)
    connection.connection.backup(target)
    target.close()
    script = (
        "import json, sys\n"
        "from matricule.api.tests.concurrent import fire_all\n"
        f"print(json.dumps(fire_all(json.loads({json.dumps(requests)!r}))))\n"
    )
    result = subprocess.run(
        [sys.executable, "manage.py", "shell", "-c", script],
        cwd=ROOT,
        env={
            **os.environ,
            "DJANGO_SETTINGS_MODULE": "matricule.settings.test",
            "DATABASE_URL": f"sqlite:///{copy}",
        },
        capture_output=True,
        text=True,
        timeout=300,
        check=True,
    )
    answers = [(int(s), b) for s, b in json.loads(result.stdout.strip().splitlines()[-1])]
    source = sqlite3.connect(copy)
    source.backup(connection.connection)
    source.close()
    return answers
