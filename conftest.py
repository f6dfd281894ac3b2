"""Shared test fixtures: the Mali reference data, a small named cast, and the browser."""

from __future__ import annotations

import os
import shutil
from collections.abc import Callable
from typing import Any

import pytest

# pytest-django's live server runs in a thread; Playwright's sync API needs this.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-quic",
]


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup: Any, django_db_blocker: Any) -> None:
    """Load the Mali reference data once; each test's transaction rolls back on top of it."""
    from matricule.core.seeding import seed_reference

    with django_db_blocker.unblock():
        seed_reference()


@pytest.fixture(autouse=True)
def _fresh_reference_caches() -> None:
    """In-process reference caches must not carry rows from one test into the next."""
    from matricule.core import refcache
    from matricule.personnel.career import clear_grade_cache

    refcache.clear()
    clear_grade_cache()


@pytest.fixture(autouse=True)
def _audit_key_dir(settings: Any, tmp_path: Any) -> Any:
    """Each test seals the audit trail with its own copy of the key folder.

    The copy holds the keys and the checkpoint as they were once the session's reference
    data was committed, which is the state each test's rolled-back transaction starts from.
    """
    from pathlib import Path

    from matricule.core import audit_keys

    source = Path(settings.MATRICULE_AUDIT_KEY_DIR)
    target = tmp_path / "audit-keys"
    if source.is_dir():
        shutil.copytree(source, target)
    settings.MATRICULE_AUDIT_KEY_DIR = target
    audit_keys.clear_key_cache()
    yield target
    audit_keys.clear_key_cache()


@pytest.fixture
def one_rate_window(monkeypatch: Any) -> None:
    """The public pages' rate limits count in fixed windows of wall-clock time: a test's
    requests could straddle a window's end and be counted afresh. Hold the clock still."""
    import time
    from types import SimpleNamespace

    from matricule.core import ratelimit

    now = time.time()
    monkeypatch.setattr(ratelimit, "time", SimpleNamespace(time=lambda: now))


@pytest.fixture
def mali(db: Any) -> Any:
    """The reference data, reloaded if a transactional test flushed it."""
    from matricule.core.models import Agency
    from matricule.core.seeding import seed_reference

    if not Agency.objects.filter(code="PN").exists():
        seed_reference()
    return Agency.objects.get(code="PN")


def chromium_path() -> str | None:
    return shutil.which("chromium") or shutil.which("chromium-browser")


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args: dict[str, Any]) -> dict[str, Any]:
    path = chromium_path()
    return {**browser_type_launch_args, "executable_path": path, "args": CHROMIUM_ARGS}


@pytest.fixture(scope="session")
def base_url() -> str | None:
    """No fixed base URL: browser tests navigate from `live_server.url`.

    Defined here so that pytest-playwright's fallback `base_url` (a session fixture written
    as an instance method, which pytest 9 deprecates) is never used.
    """
    return None


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    # Browser tests use a live server, whose database flush would remove the session's
    # reference data: run them last, where each reloads what it needs.
    items.sort(key=lambda item: item.get_closest_marker("browser") is not None)
    if chromium_path():
        return
    reason = (
        "tests navigateur ignorés : Chromium introuvable (installez le paquet Debian "
        "'chromium' : apt-get install chromium)"
    )
    browser_items = [item for item in items if item.get_closest_marker("browser")]
    if not browser_items:
        return
    if os.environ.get("CI") == "true":
        raise pytest.UsageError("CI=true mais Chromium est introuvable : " + reason)
    for item in browser_items:
        item.add_marker(pytest.mark.skip(reason=reason))


def pytest_terminal_summary(terminalreporter: Any) -> None:
    skipped = terminalreporter.stats.get("skipped", [])
    if any("Chromium introuvable" in str(getattr(r, "longrepr", "")) for r in skipped):
        terminalreporter.write_line(
            "ATTENTION : les tests navigateur ont été ignorés car Chromium est absent "
            "(apt-get install chromium).",
            yellow=True,
            bold=True,
        )


@pytest.fixture
def make_user(mali: Any) -> Callable[..., Any]:
    """Create a user holding `role` on the PN agency (or `agency`), optionally narrowed to a
    unit code."""
    from matricule.accounts.models import RoleGrant, User
    from matricule.core.models import Agency, Unit

    def factory(
        role: str | None = None,
        unit: str | None = None,
        *,
        username: str | None = None,
        officer: Any = None,
        password: str = "mot-de-passe-test",
        agency: str = "PN",
    ) -> Any:
        name = username or f"{role or 'user'}-{unit or agency}-{User.objects.count()}".lower()
        user = User.objects.create_user(username=name, password=password, officer=officer)
        if role:
            owner = mali if agency == "PN" else Agency.objects.get(code=agency)
            RoleGrant.objects.create(
                user=user,
                role=role,
                agency=owner,
                unit=Unit.objects.get(agency=owner, code=unit) if unit else None,
            )
        return user

    return factory


@pytest.fixture
def make_officer(mali: Any) -> Callable[..., Any]:
    from matricule.personnel.tests.factories import officer_create_for_test

    return officer_create_for_test


@pytest.fixture
def hire(mali: Any) -> Callable[..., Any]:
    """Create an officer through the service (with the entry event of the career)."""
    from matricule.personnel.tests.factories import officer_hire_for_test

    return officer_hire_for_test


@pytest.fixture
def login(client: Any) -> Callable[[Any], Any]:
    """Log a user in on the test client, second factor included."""

    def do_login(user: Any) -> Any:
        return _log_in(client, user)

    return do_login


@pytest.fixture
def client_for(db: Any) -> Callable[[Any], Any]:
    """A new test client logged in as `user`: one per caller when requests run in parallel."""
    from django.test import Client

    def make(user: Any) -> Any:
        return _log_in(Client(), user)

    return make


def _log_in(client: Any, user: Any) -> Any:
    client.force_login(user)
    if user.needs_two_factor:
        from django_otp.plugins.otp_totp.models import TOTPDevice

        device = TOTPDevice.objects.create(user=user, name="test", confirmed=True)
        session = client.session
        session["otp_device_id"] = device.persistent_id
        session.save()
    return client
