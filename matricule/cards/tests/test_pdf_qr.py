"""A printed card's QR code leads to the public check page, whose verdict follows the card."""

from __future__ import annotations

import datetime

import pytest
from django.utils import timezone

from matricule.cards.models import CardStatus, CardVerification
from matricule.cards.pdf import render_cards_pdf
from matricule.cards.services import card_withdraw
from matricule.cards.tests.factories import photo_for_test
from matricule.core.tests.pdf import pdf_page_sizes, pdf_qr_codes
from matricule.personnel.tests.factories import letters

# Every test renders cards and rasterises them at 300 dpi to read the QR codes back.
pytestmark = [pytest.mark.django_db, pytest.mark.slow]


def test_single_card_is_two_cr80_pages(hire, issue_card):
    sizes = pdf_page_sizes(render_cards_pdf([issue_card(hire())], layout="single"))
    # 85.60 × 53.98 mm = 242.65 × 153.01 pt, front and back
    assert [(round(w, 1), round(h, 1)) for w, h in sizes] == [(242.6, 153.0)] * 2


def _path(link: str) -> str:
    assert link.startswith("https://cartes.example.ml/v/"), link
    return link.removeprefix("https://cartes.example.ml")


def test_qr_read_from_the_printed_card_opens_a_valid_verdict(client, hire, issue_card):
    officer = hire(family_name="Coulibaly", given_names="Awa", sex="F")
    photo_for_test(officer)
    card = issue_card(officer)
    pdf = render_cards_pdf([card], layout="single")
    assert pdf.startswith(b"%PDF")
    (link,) = pdf_qr_codes(pdf)
    assert link.endswith(card.token)

    response = client.get(_path(link))
    assert response.status_code == 200
    text = response.content.decode()
    assert "VALIDE" in text and "INVALIDE" not in text
    assert "COULIBALY" in text and "Awa" in text
    assert officer.grade.name in text and "Police nationale du Mali" in text
    photo = client.get(_path(link) + "/photo")
    assert photo.status_code == 200 and photo["Content-Type"] == "image/jpeg"
    assert CardVerification.objects.filter(card=card, result="valid").count() == 1


def test_revoked_card_reads_revoquee(client, hire, issue_card):
    card = issue_card(hire())
    (link,) = pdf_qr_codes(render_cards_pdf([card], layout="single"))
    card_withdraw(card=card, reason="stolen", by=None)

    text = client.get(_path(link)).content.decode()
    assert "RÉVOQUÉE" in text and "VALIDE" not in text.replace("INVALIDE", "")
    assert CardVerification.objects.get(card=card).result == "revoked"


def test_expired_card_reads_expiree(client, hire, issue_card, monkeypatch):
    card = issue_card(hire())
    (link,) = pdf_qr_codes(render_cards_pdf([card], layout="single"))
    later = card.expires_on + datetime.timedelta(days=1)
    monkeypatch.setattr(timezone, "localdate", lambda *a, **k: later)

    text = client.get(_path(link)).content.decode()
    assert "EXPIRÉE" in text
    assert CardVerification.objects.get(card=card).result == "expired"


def test_one_byte_changed_in_the_token_reads_invalide(client, hire, issue_card):
    card = issue_card(hire())
    (link,) = pdf_qr_codes(render_cards_pdf([card], layout="single"))
    token = link.rsplit("/", 1)[1]
    middle = len(token) // 2
    forged = token[:middle] + ("A" if token[middle] != "A" else "B") + token[middle + 1 :]

    response = client.get(f"/v/{forged}")
    text = response.content.decode()
    assert response.status_code == 200 and "INVALIDE" in text
    assert card.officer.family_name.upper() not in text
    assert client.get(f"/v/{forged}/photo").status_code == 404
    assert CardVerification.objects.get().card is None


def test_a4_sheet_holds_ten_cards_whose_qr_codes_all_read(hire, issue_card):
    cards = [issue_card(hire(family_name=f"Diarra {letters(i)}")) for i in range(11)]
    pdf = render_cards_pdf(cards, layout="a4")
    links = pdf_qr_codes(pdf, page=1)
    assert sorted(link.rsplit("/", 1)[1] for link in links) == sorted(c.token for c in cards[:10])
    sizes = pdf_page_sizes(pdf)
    # Fronts then backs, for each of the two sheets; A4 is 595.28 × 841.89 pt.
    assert [(round(w), round(h)) for w, h in sizes] == [(595, 842)] * 4
    assert all(c.status == CardStatus.ISSUED for c in cards)
