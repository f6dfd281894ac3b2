"""Settings for the test suite: fast hashing, in-memory mail, the real database engines."""

from __future__ import annotations

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
import atexit  # noqa: E402
import shutil  # noqa: E402
import tempfile  # noqa: E402
from pathlib import Path  # noqa: E402

MATRICULE_AUDIT_KEY_DIR = Path(tempfile.mkdtemp(prefix="matricule-test-audit-keys-"))
atexit.register(shutil.rmtree, MATRICULE_AUDIT_KEY_DIR, ignore_errors=True)
