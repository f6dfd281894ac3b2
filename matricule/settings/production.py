"""Production settings: secrets required, HTTPS everywhere, two-factor always enforced."""

from __future__ import annotations

from django.core.exceptions import ImproperlyConfigured

from matricule.settings.base import *  # noqa: F403
from matricule.settings.env import env_bool, env_int, env_list, env_str

DEBUG = False
SECRET_KEY = env_str("SECRET_KEY")
if len(SECRET_KEY) < 50 or SECRET_KEY.startswith("dev-only"):
    raise ImproperlyConfigured(
        "SECRET_KEY doit être une valeur aléatoire d'au moins 50 caractères "
        "(python -c 'import secrets; print(secrets.token_urlsafe(64))')."
    )
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", [])
if not ALLOWED_HOSTS:
    raise ImproperlyConfigured("ALLOWED_HOSTS est obligatoire en production (ex. : rh.police.ml).")

MATRICULE_REQUIRE_2FA = True
# The API document maps every operation: only for callers with a token or a session.
MATRICULE_API_DOCS_PUBLIC = env_bool("MATRICULE_API_DOCS_PUBLIC", False)

SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", True)
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_HSTS_SECONDS = env_int("SECURE_HSTS_SECONDS", 31536000, minimum=0)
SECURE_HSTS_INCLUDE_SUBDOMAINS = True
SECURE_HSTS_PRELOAD = True
SESSION_COOKIE_SECURE = True
CSRF_COOKIE_SECURE = True
CSRF_COOKIE_HTTPONLY = True
