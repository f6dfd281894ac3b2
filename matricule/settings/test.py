"""Settings for the test suite: fast hashing, in-memory mail, the real database engines."""

from __future__ import annotations

import atexit
import os
import shutil
import tempfile
from pathlib import Path

from matricule.settings.base import *  # noqa: F403

PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
MATRICULE_REQUIRE_2FA = True
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.InMemoryStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
AXES_ENABLED = True
ALLOWED_HOSTS = ["*"]
# Tasks run at once, in the test's thread.
TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}

# Audit sealing keys in a folder of this test run only, removed at exit.
MATRICULE_AUDIT_KEY_DIR = Path(tempfile.mkdtemp(prefix="matricule-test-audit-keys-"))
atexit.register(shutil.rmtree, MATRICULE_AUDIT_KEY_DIR, ignore_errors=True)

if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":  # noqa: F405
    # A file, not memory: in-memory SQLite shares one cache between threads and answers
    # "table is locked" at once instead of waiting, so the concurrency tests (two requests
    # in two threads) could not show how the real, file-backed database serialises writers.
    DATABASES["default"]["TEST"] = {  # noqa: F405
        "NAME": str(Path(tempfile.gettempdir()) / f"matricule-test-{os.getpid()}.sqlite3")
    }
