"""Demo cards: deterministic, realistic shares, every token verifies."""

from __future__ import annotations

import datetime

import pytest

from matricule.cards.demo import seed_cards_demo
from matricule.cards.models import Card, CardStatus
from matricule.cards.selectors import card_check
from matricule.personnel.tests.factories import letters

pytestmark = [pytest.mark.django_db, pytest.mark.slow]


def test_demo_cards_are_deterministic_and_verify(hire):
    for i in range(60):
        hire(family_name=f"Démo {letters(i)}")
    today = datetime.date(2026, 11, 21)
    created = seed_cards_demo(seed=1, today=today)
    assert created >= 50
    assert seed_cards_demo(seed=1, today=today) == 0  # never twice
    statuses = dict.fromkeys(CardStatus.values, 0)
    for status in Card.objects.values_list("status", flat=True):
        statuses[status] += 1
    assert statuses[CardStatus.ACTIVE] + statuses[CardStatus.ISSUED] > 30
    first = list(Card.objects.order_by("number").values_list("number", "officer_id", "status"))
    valid = Card.objects.filter(status=CardStatus.ACTIVE).first()
    assert card_check(token=valid.token, today=today).result == "valid"
    Card.objects.all().delete()
    seed_cards_demo(seed=1, today=today)
    again = list(Card.objects.order_by("officer_id", "status").values_list("officer_id", "status"))
    assert again == sorted((o, s) for _n, o, s in first)
