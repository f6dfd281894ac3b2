"""Card fixtures: a private key folder per test, empty rate-limit counters, a small cast."""

from __future__ import annotations

from typing import Any

import pytest


@pytest.fixture(autouse=True)
def card_keys_dir(settings: Any, tmp_path: Any) -> Any:
    """Each test signs with keys kept in its own temporary folder, never in var/keys."""
    from django.core.cache import cache

    from matricule.cards.keys import clear_key_caches

    settings.MATRICULE_CARD_KEY_DIR = tmp_path / "keys"
    settings.MATRICULE_PUBLIC_URL = "https://cartes.example.ml"
    clear_key_caches()
    cache.clear()
    yield settings.MATRICULE_CARD_KEY_DIR
    clear_key_caches()
    cache.clear()


@pytest.fixture
def issue_card() -> Any:
    from matricule.cards.tests.factories import card_issue_for_test

    return card_issue_for_test
