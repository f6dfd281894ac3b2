"""Settings shared by every environment; values come from the environment (see env.py)."""

from __future__ import annotations

from pathlib import Path

import django_stubs_ext
from django.utils.translation import gettext_lazy as _

from matricule.settings.env import (
    cache_from_url,
    database_from_url,
    env_bool,
    env_int,
    env_list,
    env_networks,
    env_str,
)

# Lets typed generics such as admin.ModelAdmin[Unit] work at run time.
django_stubs_ext.monkeypatch()

BASE_DIR = Path(__file__).resolve().parent.parent.parent
VAR_DIR = Path(env_str("MATRICULE_VAR_DIR", str(BASE_DIR / "var")))

SECRET_KEY = env_str("SECRET_KEY", "dev-only-insecure-key-change-me")
DEBUG = env_bool("DEBUG", False)
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", ["127.0.0.1", "localhost"])
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS", [])

INSTALLED_APPS = [
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.admin",
    "django.contrib.humanize",
    "django_htmx",
    "axes",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "django_otp.plugins.otp_static",
    "django_tasks",
    "django_tasks_db",
    "matricule.core",
    "matricule.accounts",
    "matricule.personnel",
    "matricule.corrections",
    "matricule.recruitment",
    "matricule.training",
    "matricule.cards",
    "matricule.evaluations",
    "matricule.deployments",
    "matricule.promotions",
    "matricule.reports",
    "matricule.web",
    "matricule.demo",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    # Pages travel compressed (a 40 KB list becomes ~6 KB on a 256 kbit/s link). BREACH needs
    # a secret repeated in a body next to text the attacker controls: Django masks the CSRF
    # token anew in every response, session and API keys never appear in pages, so what is
    # left to guess is personnel data the attacker could only reflect by being signed in.
    # Static files are compressed ahead of time by WhiteNoise (and skipped here).
    "django.middleware.gzip.GZipMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "matricule.core.middleware.RejectNulMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "matricule.core.middleware.SessionRefreshMiddleware",
    "matricule.core.middleware.FrenchFirstLocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django_otp.middleware.OTPMiddleware",
    "matricule.accounts.middleware.SecurityPolicyMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "matricule.urls"
WSGI_APPLICATION = "matricule.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "matricule" / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "matricule.accounts.context_processors.navigation",
            ],
        },
    }
]

DATABASES = {
    "default": database_from_url(
        env_str("DATABASE_URL", "sqlite:///var/matricule.sqlite3"), base_dir=BASE_DIR
    )
}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = [
    # Axes first so a locked-out account is refused before the password is checked.
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
PASSWORD_HASHERS = [
    # Argon2id with parameters measured for the target server, and a bound on the
    # checks running at once (accounts/hashers.py, docs/deployment.md "Logins").
    "matricule.accounts.hashers.MatriculeArgon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 10},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "accounts:login"
LOGIN_REDIRECT_URL = "web:home"
LOGOUT_REDIRECT_URL = "accounts:login"

# Password checks running at once on the whole server (the others wait their turn):
# one per two cores leaves page views a core during a burst of logins.
MATRICULE_LOGIN_CONCURRENCY = env_int("MATRICULE_LOGIN_CONCURRENCY", 1, minimum=1)

# Lock-out after repeated failures (django-axes), policy in accounts/lockout.py: per
# username *and* address with a progressive delay, account-wide only when the failures come
# from several addresses, so that typing someone's username five times cannot lock them out.
AXES_FAILURE_LIMIT = 5
AXES_COOLOFF_MINUTES = env_int("AXES_COOLOFF_MINUTES", 30, minimum=1)  # the longest lock
AXES_COOLOFF_TIME = "matricule.accounts.lockout.cool_off"
AXES_LOCKOUT_PARAMETERS = "matricule.accounts.lockout.lockout_parameters"
AXES_USE_ATTEMPT_EXPIRATION = True  # each attempt keeps its own delay
# A try while locked is refused unread: it neither counts nor lengthens the lock (the owner
# retrying from the same office must not make it worse); the next failure after it does.
AXES_RESET_COOL_OFF_ON_FAILURE_DURING_LOCKOUT = False
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_TEMPLATE = "accounts/locked_out.html"
AXES_VERBOSE = False
MATRICULE_LOCKOUT_WINDOW_MINUTES = env_int("MATRICULE_LOCKOUT_WINDOW_MINUTES", 15, minimum=1)
MATRICULE_LOCKOUT_ACCOUNT_FAILURES = env_int("MATRICULE_LOCKOUT_ACCOUNT_FAILURES", 20, minimum=5)
MATRICULE_LOCKOUT_ACCOUNT_ADDRESSES = env_int("MATRICULE_LOCKOUT_ACCOUNT_ADDRESSES", 3, minimum=2)
# The same client address as the audit trail: proxy headers only from trusted proxies.
AXES_CLIENT_IP_CALLABLE = "matricule.core.net.client_ip"

# Sessions expire after a period of inactivity and when the browser closes.
SESSION_COOKIE_AGE = env_int("SESSION_IDLE_MINUTES", 30, minimum=5) * 60
# Not rewritten on every request (a write per page view locks SQLite): the expiry moves
# when the session changes, or at most every SESSION_REFRESH_SECONDS otherwise.
SESSION_SAVE_EVERY_REQUEST = False
SESSION_REFRESH_SECONDS = 300
SESSION_EXPIRE_AT_BROWSER_CLOSE = True
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_SAMESITE = "Lax"

# Two-factor authentication for HR, administrator and badge roles.
MATRICULE_REQUIRE_2FA = True
OTP_TOTP_ISSUER = "Matricule"

LANGUAGE_CODE = "fr"
LANGUAGES = [("fr", _("Français")), ("en", _("English"))]
LOCALE_PATHS = [BASE_DIR / "matricule" / "locale"]
TIME_ZONE = "Africa/Bamako"
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATICFILES_DIRS = [BASE_DIR / "matricule" / "static"]
STATIC_ROOT = VAR_DIR / "static"
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}
MEDIA_URL = "/media/"
MEDIA_ROOT = VAR_DIR / "media"

# Background jobs (large imports) are stored in the database and run by
# `python manage.py db_worker`.
TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": ["default"]}}

# Personnel imports (legacy registers): the largest file accepted (XLSX, CSV or CSV.GZ),
# its largest number of rows, the rows written per transaction (each batch commits on
# its own so that a long import never holds the database), and how long a running
# import may stay silent before it is taken for dead (its worker killed).
MATRICULE_IMPORT_MAX_BYTES = env_int("MATRICULE_IMPORT_MAX_MB", 200, minimum=1) * 1024 * 1024
MATRICULE_IMPORT_MAX_ROWS = env_int("MATRICULE_IMPORT_MAX_ROWS", 500_000, minimum=1)
MATRICULE_IMPORT_BATCH_ROWS = env_int("MATRICULE_IMPORT_BATCH_ROWS", 2000, minimum=1)
MATRICULE_IMPORT_STALE_SECONDS = env_int("MATRICULE_IMPORT_STALE_SECONDS", 120, minimum=5)

EMAIL_BACKEND = env_str("EMAIL_BACKEND", "django.core.mail.backends.smtp.EmailBackend")
EMAIL_HOST = env_str("EMAIL_HOST", "localhost")
EMAIL_PORT = env_int("EMAIL_PORT", 25, minimum=1)
EMAIL_HOST_USER = env_str("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = env_str("EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", False)
DEFAULT_FROM_EMAIL = env_str("DEFAULT_FROM_EMAIL", "matricule@localhost")
SERVER_EMAIL = DEFAULT_FROM_EMAIL

X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"

# ID cards (SPEC §3.8). Private signing keys live in this folder (mode 0600), never in
# the database or the repository: back it up with the database.
MATRICULE_CARD_KEY_DIR = Path(env_str("MATRICULE_CARD_KEY_DIR", str(VAR_DIR / "keys")))
# The audit trail's sealing keys and signed checkpoint (core.audit_keys): outside the
# database, so that someone with database access alone cannot rewrite or cut the trail.
MATRICULE_AUDIT_KEY_DIR = Path(env_str("MATRICULE_AUDIT_KEY_DIR", str(MATRICULE_CARD_KEY_DIR)))
# Backup archives listed (and written) by the administration screen; `backup FILE` may write
# anywhere, but only archives in this folder are shown.
MATRICULE_BACKUP_DIR = Path(env_str("MATRICULE_BACKUP_DIR", str(VAR_DIR / "backups")))
# Base of the URL printed in the cards' QR code, for commands that have no request.
MATRICULE_PUBLIC_URL = env_str("MATRICULE_PUBLIC_URL", "https://localhost").rstrip("/")
MATRICULE_CARD_VALIDITY_YEARS = env_int("MATRICULE_CARD_VALIDITY_YEARS", 5, minimum=1)
# Public card checks allowed per address and per minute (/v/<token>).
MATRICULE_VERIFY_RATE_PER_MINUTE = env_int("MATRICULE_VERIFY_RATE_PER_MINUTE", 60, minimum=1)

# The API's OpenAPI document and its pages (/api/v1/openapi.json, /api/v1/docs): public
# here and in development; production serves them only to a signed-in caller.
MATRICULE_API_DOCS_PUBLIC = env_bool("MATRICULE_API_DOCS_PUBLIC", True)

# Reverse proxies whose X-Real-IP / X-Forwarded-For are believed (addresses or networks,
# comma-separated; e.g. 127.0.0.1 behind the nginx of docs/deployment.md). Empty: the
# connection's own address is the client's, whatever the headers say.
MATRICULE_TRUSTED_PROXIES = env_networks("MATRICULE_TRUSTED_PROXIES")

# The rate limits' counters (core.ratelimit) live in this cache. In memory by default, which
# counts per server process; with several gunicorn workers set CACHE_URL=redis://127.0.0.1:6379/0
# so that a limit holds across all of them.
CACHES = {"default": cache_from_url(env_str("CACHE_URL", ""))}

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env_str("LOG_LEVEL", "WARNING")},
}
