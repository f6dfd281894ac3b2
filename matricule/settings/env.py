"""Typed reading of settings from the environment, failing loudly on bad values."""

from __future__ import annotations

import os
from pathlib import Path
from urllib.parse import parse_qs, unquote, urlparse

from django.core.exceptions import ImproperlyConfigured


def env_str(name: str, default: str | None = None) -> str:
    value = os.environ.get(name)
    if value is None or value == "":
        if default is None:
            raise ImproperlyConfigured(f"La variable d'environnement {name} est obligatoire.")
        return default
    return value


def env_bool(name: str, default: bool) -> bool:
    value = os.environ.get(name)
    if value is None or value == "":
        return default
    lowered = value.strip().lower()
    if lowered in {"1", "true", "yes", "on", "oui"}:
        return True
    if lowered in {"0", "false", "no", "off", "non"}:
        return False
    raise ImproperlyConfigured(
        f"{name}={value!r} n'est pas un booléen : utilisez true/false, 1/0, oui/non."
    )


def env_int(name: str, default: int, *, minimum: int | None = None) -> int:
    value = os.environ.get(name)
    if value is None or value == "":
        return default
    try:
        number = int(value)
    except ValueError:
        raise ImproperlyConfigured(f"{name}={value!r} n'est pas un nombre entier.") from None
    if minimum is not None and number < minimum:
        raise ImproperlyConfigured(f"{name}={number} doit être au moins {minimum}.")
    return number


def env_list(name: str, default: list[str]) -> list[str]:
    value = os.environ.get(name)
    if value is None or value.strip() == "":
        return default
    return [item.strip() for item in value.split(",") if item.strip()]


def env_networks(name: str) -> list[str]:
    """A comma-separated list of IP addresses or networks (10.0.0.0/8), checked now."""
    import ipaddress

    items = env_list(name, [])
    for item in items:
        try:
            ipaddress.ip_network(item, strict=False)
        except ValueError:
            raise ImproperlyConfigured(
                f"{name} : « {item} » n'est ni une adresse IP ni un réseau (ex. 127.0.0.1, "
                "10.0.0.0/8)."
            ) from None
    return items


def cache_from_url(url: str) -> dict[str, object]:
    """The default cache: in this process's memory, or a shared Redis (redis://…)."""
    if not url:
        return {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": "matricule"}
    scheme = urlparse(url).scheme.lower()
    if scheme not in {"redis", "rediss", "unix"}:
        raise ImproperlyConfigured(
            f"CACHE_URL={url!r} : seul Redis est pris en charge (redis://hôte:6379/0)."
        )
    return {
        "BACKEND": "django.core.cache.backends.redis.RedisCache",
        "LOCATION": url,
        "KEY_PREFIX": "matricule",
    }


def database_from_url(url: str, *, base_dir: Path) -> dict[str, object]:
    """Translate a DATABASE_URL into a Django DATABASES entry (SQLite or PostgreSQL)."""
    parsed = urlparse(url)
    scheme = parsed.scheme.lower()
    if scheme == "sqlite":
        # sqlite:///relative/path or sqlite:////absolute/path
        raw = unquote(url[len("sqlite://") :])
        if raw.startswith("//"):
            path = Path(raw[1:])
        elif raw.startswith("/"):
            path = base_dir / raw[1:]
        else:
            raise ImproperlyConfigured(
                f"DATABASE_URL={url!r} : écrivez sqlite:///chemin/relatif ou sqlite:////chemin/absolu."
            )
        if not raw.strip("/"):
            raise ImproperlyConfigured("DATABASE_URL SQLite sans chemin de fichier.")
        return {
            "ENGINE": "django.db.backends.sqlite3",
            "NAME": str(path),
            "OPTIONS": {
                # WAL keeps readers going during writes. synchronous=FULL syncs the log at
                # every commit: with NORMAL a power cut (hours a day in regional offices)
                # may lose the last commits, however consistent the file stays
                # (docs/deployment.md, "Power cuts").
                "init_command": (
                    "PRAGMA journal_mode=WAL; PRAGMA synchronous=FULL; "
                    "PRAGMA foreign_keys=ON; PRAGMA busy_timeout=5000;"
                ),
                "transaction_mode": "IMMEDIATE",
            },
            "TEST": {"NAME": None},
        }
    if scheme in {"postgres", "postgresql", "pgsql"}:
        name = parsed.path.lstrip("/")
        if not name:
            raise ImproperlyConfigured(
                f"DATABASE_URL={url!r} : le nom de la base manque (postgres://hôte/nom)."
            )
        # PostgreSQL's JIT spends ~60 ms compiling any query it deems costly: a loss for the
        # short queries of a web application. ?options=... in the URL replaces this.
        options: dict[str, object] = {"options": "-c jit=off"}
        for key, values in parse_qs(parsed.query).items():
            options[key] = values[-1]
        try:
            port = parsed.port
        except ValueError:
            raise ImproperlyConfigured(f"DATABASE_URL={url!r} : port invalide.") from None
        return {
            "ENGINE": "django.db.backends.postgresql",
            "NAME": unquote(name),
            "USER": unquote(parsed.username or ""),
            "PASSWORD": unquote(parsed.password or ""),
            "HOST": parsed.hostname or "",
            "PORT": str(port or ""),
            "CONN_MAX_AGE": 60,
            "CONN_HEALTH_CHECKS": True,
            "OPTIONS": options,
        }
    raise ImproperlyConfigured(
        f"DATABASE_URL={url!r} : seuls sqlite:/// et postgres:// sont pris en charge."
    )
