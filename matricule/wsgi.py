"""WSGI entry point (gunicorn matricule.wsgi)."""

from __future__ import annotations

import os

from django.core.exceptions import ImproperlyConfigured
from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "matricule.settings.production")
application = get_wsgi_application()

# gunicorn runs no system checks: refuse here to serve a half-restored database.
from matricule.core.checks import RESUME_HINT, interrupted_restore_message  # noqa: E402

if (_interrupted := interrupted_restore_message()) is not None:
    raise ImproperlyConfigured(f"{_interrupted} {RESUME_HINT}")
