"""Local and demo settings: `make run`. Two-factor may be relaxed so newcomers can look around."""

from __future__ import annotations

from matricule.settings.base import *  # noqa: F403
from matricule.settings.env import env_bool

DEBUG = env_bool("DEBUG", True)
# Demo logins work without an authenticator app; production never relaxes this.
MATRICULE_REQUIRE_2FA = env_bool("MATRICULE_REQUIRE_2FA", False)
EMAIL_BACKEND = "django.core.mail.backends.console.EmailBackend"
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
