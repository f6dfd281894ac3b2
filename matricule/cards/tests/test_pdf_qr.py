"""A printed card's QR code leads to the public check page, whose verdict follows the card."""

from __future__ import annotations

import datetime
import shutil
import subprocess

import pytest
import zxingcpp
from django.utils import timezone
from PIL import Image

from matricule.cards.models import CardStatus, CardVerification
from matricule.cards.pdf import render_cards_pdf
from matricule.cards.services import card_withdraw
from matricule.cards.tests.factories import photo_for_test

pytestmark = pytest.mark.django_db


def _qr_links(pdf: bytes, tmp_path, *, page: int = 1) -> list[str]:
    """Rasterise one page with pdftoppm and read every QR code on it with zxing-cpp."""
    source = tmp_path / "cards.pdf"
    source.write_bytes(pdf)
    subprocess.run(
        [
            shutil.which("pdftoppm") or "pdftoppm",
            "-png",
            "-r",
            "300",
            "-f",
            str(page),
            "-l",
            str(page),
            str(source),
            str(tmp_path / "page"),
        ],
        check=True,
    )
    (png,) = sorted(tmp_path.glob("page*.png"))
    with Image.open(png) as image:
        return [
            r.text
            for r in zxingcpp.read_barcodes(image)
            if r.format == zxingcpp.BarcodeFormat.QRCode
        ]


def _pdfinfo(pdf: bytes, tmp_path) -> dict[str, str]:
    source = tmp_path / "info.pdf"
    source.write_bytes(pdf)
    pdfinfo = shutil.which("pdfinfo") or "pdfinfo"
    out = subprocess.run([pdfinfo, str(source)], check=True, capture_output=True, text=True)
    return {
        k.strip(): v.strip()
        for k, _, v in (line.partition(":") for line in out.stdout.splitlines())
    }


def test_single_card_is_two_cr80_pages(hire, issue_card, tmp_path):
    info = _pdfinfo(render_cards_pdf([issue_card(hire())], layout="single"), tmp_path)
    assert info["Pages"] == "2"
    # 85.60 × 53.98 mm = 242.65 × 153.01 pt
    assert info["Page size"].startswith("242.6") and " x 153.0" in info["Page size"]


def _path(link: str) -> str:
    assert link.startswith("https://cartes.example.ml/v/"), link
    return link.removeprefix("https://cartes.example.ml")


def test_qr_read_from_the_printed_card_opens_a_valid_verdict(client, hire, issue_card, tmp_path):
    officer = hire(family_name="Coulibaly", given_names="Awa", sex="F")
    photo_for_test(officer)
    card = issue_card(officer)
    pdf = render_cards_pdf([card], layout="single")
    assert pdf.startswith(b"%PDF")
    (link,) = _qr_links(pdf, tmp_path)
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


def test_revoked_card_reads_revoquee(client, hire, issue_card, tmp_path):
    card = issue_card(hire())
    (link,) = _qr_links(render_cards_pdf([card], layout="single"), tmp_path)
    card_withdraw(card=card, reason="stolen", by=None)

    text = client.get(_path(link)).content.decode()
    assert "RÉVOQUÉE" in text and "VALIDE" not in text.replace("INVALIDE", "")
    assert CardVerification.objects.get(card=card).result == "revoked"


def test_expired_card_reads_expiree(client, hire, issue_card, tmp_path, monkeypatch):
    card = issue_card(hire())
    (link,) = _qr_links(render_cards_pdf([card], layout="single"), tmp_path)
    later = card.expires_on + datetime.timedelta(days=1)
    monkeypatch.setattr(timezone, "localdate", lambda *a, **k: later)

    text = client.get(_path(link)).content.decode()
    assert "EXPIRÉE" in text
    assert CardVerification.objects.get(card=card).result == "expired"


def test_one_byte_changed_in_the_token_reads_invalide(client, hire, issue_card, tmp_path):
    card = issue_card(hire())
    (link,) = _qr_links(render_cards_pdf([card], layout="single"), tmp_path)
    token = link.rsplit("/", 1)[1]
    middle = len(token) // 2
    forged = token[:middle] + ("A" if token[middle] != "A" else "B") + token[middle + 1 :]

    response = client.get(f"/v/{forged}")
    text = response.content.decode()
    assert response.status_code == 200 and "INVALIDE" in text
    assert card.officer.family_name.upper() not in text
    assert client.get(f"/v/{forged}/photo").status_code == 404
    assert CardVerification.objects.get().card is None


def test_a4_sheet_holds_ten_cards_whose_qr_codes_all_read(hire, issue_card, tmp_path):
    cards = [issue_card(hire(family_name=f"Diarra{i}")) for i in range(11)]
    pdf = render_cards_pdf(cards, layout="a4")
    links = _qr_links(pdf, tmp_path, page=1)
    assert sorted(link.rsplit("/", 1)[1] for link in links) == sorted(c.token for c in cards[:10])
    info = _pdfinfo(pdf, tmp_path)
    # Fronts then backs, for each of the two sheets.
    assert info["Pages"] == "4"
    assert info["Page size"].startswith("595.2")  # A4: 595.28 × 841.89 pt
    assert all(c.status == CardStatus.ISSUED for c in cards)
