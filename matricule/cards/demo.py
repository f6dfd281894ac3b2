"""Demo ID cards for the demo force: bulk, deterministic for a seed, no PDF written.

Most officers in service hold a valid card; some have a replacement on its way after a
loss or theft, some a first request waiting, some a card that expired. Tokens are signed
in Python in bulk (Ed25519 signs in ~50 µs) with the current card key.
"""

from __future__ import annotations

import datetime
import random
import time
from typing import Any

from django.db import transaction
from django.utils import timezone

from matricule.cards.keys import signing_key
from matricule.cards.models import Card, CardStatus
from matricule.cards.services import card_numbers_allocate, card_templates_seed, expiry_date
from matricule.cards.tokens import CardClaims, token_sign
from matricule.core.audit import audit_record
from matricule.core.dates import add_years
from matricule.personnel.models import IN_SERVICE_STATUSES, Officer

BATCH = 5000
HANDED_TO = "le titulaire"


def _retirement(birth: datetime.date, age: int) -> datetime.date:
    return add_years(birth, age)


def seed_cards_demo(*, seed: int, today: datetime.date) -> int:
    """Give the demo officers their cards; returns how many cards were created."""
    if Card.objects.exists():
        return 0
    started = time.monotonic()
    rng = random.Random(seed * 7919 + 6)
    card_templates_seed()
    kid, key = signing_key()
    officers = list(
        Officer.objects.filter(status__in=IN_SERVICE_STATUSES)
        .order_by("id")
        .values_list(
            "id",
            "agency_id",
            "agency__code",
            "matricule",
            "family_name",
            "given_names",
            "grade__code",
            "unit__code",
            "birth_date",
            "corps__retirement_age",
            "entry_date",
            "corps__agency__code",
            "secondment_end",
        )
    )
    now = timezone.now()
    # (officer row, status, issued_on or None, end reason)
    plan: list[tuple[Any, str, datetime.date | None, str]] = []
    for row in officers:
        entry: datetime.date = row[10]
        draw = rng.random()
        first_day = max(entry, today - datetime.timedelta(days=int(4.8 * 365)))
        span = max(0, (today - first_day).days)

        def issued() -> datetime.date:
            return first_day + datetime.timedelta(days=rng.randint(0, span))  # noqa: B023

        if draw < 0.74:
            old = first_day - datetime.timedelta(days=rng.randint(400, 1500))
            if rng.random() < 0.08 and old >= entry:
                plan.append((row, CardStatus.REVOKED, old, "Remplacée (changement de grade)"))
            plan.append(
                (row, CardStatus.ACTIVE if rng.random() < 0.9 else CardStatus.ISSUED, issued(), "")
            )
        elif draw < 0.78:
            loss = CardStatus.LOST if rng.random() < 0.7 else CardStatus.STOLEN
            plan.append((row, loss, issued(), "Perdue" if loss == CardStatus.LOST else "Volée"))
            plan.append(
                (row, CardStatus.REQUESTED if rng.random() < 0.5 else CardStatus.PRINTED, today, "")
            )
        elif draw < 0.84:
            plan.append((row, CardStatus.REQUESTED, None, ""))
        elif draw < 0.86 and entry < today - datetime.timedelta(days=6 * 365):
            old = today - datetime.timedelta(days=rng.randint(5 * 365 + 10, 6 * 365))
            plan.append((row, CardStatus.EXPIRED, old, "Date d'expiration passée"))
    if not plan:
        return 0

    by_agency: dict[str, list[int]] = {}
    for i, (row, *_rest) in enumerate(plan):
        by_agency.setdefault(str(row[2]), []).append(i)
    numbers: list[str] = [""] * len(plan)
    for code, indexes in by_agency.items():
        for i, number in zip(
            indexes, card_numbers_allocate(agency_code=code, count=len(indexes)), strict=True
        ):
            numbers[i] = number

    cards: list[Card] = []
    with transaction.atomic():
        for i, (row, status, issued_on, reason) in enumerate(plan):
            (
                officer_id,
                agency_id,
                agency_code,
                matricule,
                family,
                given,
                grade,
                unit,
                birth,
                age,
                _e,
                origin,
                secondment_end,
            ) = row
            if origin != agency_code:
                # An OCS member of another corps: that corps' grade (cards.services).
                grade = f"{origin}:{grade}"
            card = Card(
                number=numbers[i],
                officer_id=officer_id,
                agency_id=agency_id,
                status=status,
                requested_at=now,
                end_reason=reason,
            )
            if issued_on is not None:
                expires = expiry_date(
                    issued_on=issued_on,
                    retirement=_retirement(birth, age),
                )
                if origin != agency_code and secondment_end is not None:
                    expires = max(issued_on, min(expires, secondment_end))
                claims = CardClaims(
                    number=numbers[i],
                    matricule=str(matricule),
                    family_name=str(family),
                    given_names=str(given),
                    grade_code=str(grade),
                    unit_code=str(unit),
                    agency_code=str(agency_code),
                    issued_on=issued_on,
                    expires_on=expires,
                )
                card.token = token_sign(claims, kid=kid, key=key)
                card.kid = kid
                card.issued_on, card.expires_on = issued_on, expires
                card.printed_at = now
                stamp = timezone.make_aware(datetime.datetime.combine(issued_on, datetime.time(10)))
                card.requested_at = stamp
                if status != CardStatus.PRINTED:
                    card.handed_over_at = stamp
                    card.handed_to = HANDED_TO
                if status == CardStatus.ACTIVE:
                    card.activated_at = stamp
                if reason:
                    card.ended_at = now
            cards.append(card)
            if len(cards) >= BATCH:
                Card.objects.bulk_create(cards)
                cards = []
        Card.objects.bulk_create(cards)
        audit_record(
            by=None,
            action="demo.seed_cards",
            object_type="cards.card",
            object_repr=f"{len(plan)} cartes de démonstration",
            after={
                "cards": len(plan),
                "seed": seed,
                "seconds": round(time.monotonic() - started, 1),
            },
        )
    return len(plan)
