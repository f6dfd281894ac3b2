"""Benchmarks of ID cards: print-ready PDFs (per card) and the public check page."""

from __future__ import annotations

import itertools
from collections.abc import Callable
from typing import Any

import cbor2
from django.test import Client
from django.utils import timezone

from matricule.cards import pdf as card_pdf_module
from matricule.cards.demo import seed_cards_demo
from matricule.cards.models import Card, CardStatus
from matricule.core.benchmarking import Context, operation

Pair = tuple[Callable[[], Any], Callable[[], Any]]
SHEET = card_pdf_module.PER_SHEET


def _ensure_cards() -> None:
    """The reference dataset gets its demo cards once (about 0.8 per officer in service)."""
    if not Card.objects.exists():
        seed_cards_demo(seed=1, today=timezone.localdate())


def _sample_numbers(count: int) -> list[str]:
    """Valid cards of officers who have a photo, as the badge office prints them."""
    return list(
        Card.objects.filter(status=CardStatus.ACTIVE, officer__photos__isnull=False)
        .order_by("number")
        .values_list("number", flat=True)
        .distinct()[:count]
    )


@operation("card_pdf", items_per_run=SHEET, repeat=10)
def card_pdf(ctx: Context) -> Pair:
    """One A4 sheet of 10 cards (fronts and backs), photos and QR codes included."""
    _ensure_cards()
    numbers = _sample_numbers(SHEET)

    def load() -> list[Card]:
        return list(
            Card.objects.filter(number__in=numbers)
            .select_related("officer", "officer__grade", "officer__unit", "agency")
            .order_by("number")
        )

    def run() -> bytes:
        return card_pdf_module.render_cards_pdf(load(), layout="a4")

    # Floor: WeasyPrint alone on the same, already built HTML (no database, no QR, no
    # template), with the same parsed stylesheet.
    from django.template.loader import render_to_string
    from weasyprint import HTML

    faces = card_pdf_module.card_faces(load())
    for i, face in enumerate(faces):
        face.position = card_pdf_module._position(i, mirror=False)
        face.back_position = card_pdf_module._position(i, mirror=True)
    html = render_to_string(
        "cards/pdf/cards.html",
        {
            "sheets": [{"fronts": faces, "backs": faces}],
            "layout": "a4",
            "designs": list({id(f.design): f.design for f in faces}.values()),
            "crop_marks": card_pdf_module._crop_marks(),
            "verify_url": "https://localhost/verify/",
        },
    )

    def floor() -> bytes:
        return bytes(
            HTML(string=html).write_pdf(
                stylesheets=[card_pdf_module._stylesheet()],
                font_config=card_pdf_module._font_config(),
            )
        )

    return run, floor


@operation("card_verify")
def card_verify(ctx: Context) -> Pair:
    """The page a card's QR opens: signature, card state, log of the check."""
    _ensure_cards()
    card = Card.objects.get(number=_sample_numbers(1)[0])
    client = Client()
    addresses = (f"10.{i // 65536 % 256}.{i // 256 % 256}.{i % 256}" for i in itertools.count())

    def run() -> None:
        # Each check from its own address: many people checking, none rate-limited.
        response = client.get(f"/v/{card.token}", REMOTE_ADDR=next(addresses))
        assert response.status_code == 200 and b"VALIDE" in response.content, response.status_code

    # Floor: the same work by hand — Ed25519 check with the raw library, one SELECT, one
    # INSERT of the log row — without Django's request, template and ORM.
    from django.db import connection

    from matricule.cards.keys import public_key
    from matricule.cards.tokens import b64url_decode

    key = public_key(card.kid)
    assert key is not None
    message = cbor2.loads(b64url_decode(card.token)).value
    to_be_signed = cbor2.dumps(["Signature1", message[0], b"", message[2]])
    select = (
        "SELECT c.id, c.status, c.expires_on, o.family_name, o.given_names, g.name, a.name, "
        "(SELECT p.id FROM personnel_officerphoto p WHERE p.officer_id = o.id "
        "ORDER BY p.uploaded_at DESC, p.id DESC LIMIT 1) "
        "FROM cards_card c JOIN personnel_officer o ON o.id = c.officer_id "
        "JOIN core_grade g ON g.id = o.grade_id JOIN core_agency a ON a.id = c.agency_id "
        "WHERE c.number = %s AND c.token = %s"
    )
    insert = "INSERT INTO cards_cardverification (checked_at, card_id, result) VALUES (%s, %s, %s)"

    def floor() -> None:
        key.verify(message[3], to_be_signed)
        with connection.cursor() as cursor:
            cursor.execute(select, [card.number, card.token])
            row = cursor.fetchone()
            cursor.execute(insert, [timezone.now(), row[0], "valid"])

    return run, floor
