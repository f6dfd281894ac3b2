"""Print-ready card PDFs (WeasyPrint): one card on two CR80 pages, or A4 sheets of 10
cards (fronts, then backs mirrored for duplex printing) with crop marks."""

from __future__ import annotations

import base64
import datetime
import io
from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

import segno
from django.conf import settings
from django.template.loader import get_template, render_to_string
from django.urls import reverse
from django.utils import translation
from PIL import Image

from matricule.cards.models import Card, CardTemplate
from matricule.cards.selectors import card_template_for
from matricule.personnel.models import OfficerPhoto

CARD_W = 85.6
CARD_H = 53.98
A4_W = 210.0
A4_H = 297.0
COLS = 2
ROWS = 5
PER_SHEET = COLS * ROWS
GAP_X = 6.0
GAP_Y = 2.0
LEFT = (A4_W - COLS * CARD_W - (COLS - 1) * GAP_X) / 2
TOP = (A4_H - ROWS * CARD_H - (ROWS - 1) * GAP_Y) / 2
MARK_LEN = 5.0
MARK_GAP = 1.0
MARK_W = 0.15


def verify_url(token: str, *, base_url: str | None = None) -> str:
    """The address printed in the QR code: https://<host>/v/<token>."""
    base = (base_url or settings.MATRICULE_PUBLIC_URL).rstrip("/")
    return f"{base}{reverse('verify:check', args=[token])}"


# Any of the eight masks is valid for every reader; choosing the "best" one costs
# segno ~15 ms a code, a third of the per-card budget.
QR_MASK = 3
QR_PIXELS_PER_MODULE = 1


def qr_png(data: str) -> str:
    """The QR code as a 1-bit PNG data URI, drawn pixel-exact (scaled without smoothing).

    A bitmap, not SVG: WeasyPrint draws an SVG QR path command by command (~17 ms a card),
    while the PNG costs under a millisecond and prints exactly at 8 pixels per module.
    """
    code = segno.make(data, error="m", micro=False, mask=QR_MASK)
    border = 2  # plus the white card around it: quiet zone
    size = len(code.matrix) + 2 * border
    image = Image.new("1", (size, size), 1)
    pixels = image.load()
    assert pixels is not None
    for y, row in enumerate(code.matrix):
        for x, dark in enumerate(row):
            if dark:
                pixels[x + border, y + border] = 0
    scale = QR_PIXELS_PER_MODULE
    image = image.resize((size * scale, size * scale), Image.Resampling.NEAREST)
    out = io.BytesIO()
    image.save(out, "PNG", optimize=False)
    return "data:image/png;base64," + base64.b64encode(out.getvalue()).decode()


@lru_cache(maxsize=1)
def _stylesheet() -> Any:
    from weasyprint import CSS

    css = get_template("cards/pdf/cards.css").template.source  # type: ignore[attr-defined]
    return CSS(string=css, font_config=_font_config())


@lru_cache(maxsize=1)
def _font_config() -> Any:
    from weasyprint.text.fonts import FontConfiguration

    return FontConfiguration()


@dataclass
class CardFace:
    number: str
    matricule: str
    family_name: str
    given_names: str
    grade: str
    unit: str
    agency_code: str
    agency_name: str
    issued_on: datetime.date | None
    expires_on: datetime.date | None
    photo: str
    qr: str
    emblem: str
    design: CardTemplate
    position: str = ""
    back_position: str = ""


def _photos(officer_ids: list[int]) -> dict[int, str]:
    """Current photo of each officer as a data URI (one query; files read from storage)."""
    out: dict[int, str] = {}
    rows = OfficerPhoto.objects.filter(officer_id__in=officer_ids).order_by(
        "officer_id", "-uploaded_at", "-id"
    )
    for photo in rows.only("id", "officer_id", "image", "uploaded_at"):
        if photo.officer_id in out:
            continue
        try:
            with photo.image.open("rb") as handle:
                data = handle.read()
        except (FileNotFoundError, OSError, ValueError):
            continue
        out[photo.officer_id] = "data:image/jpeg;base64," + base64.b64encode(data).decode()
    return out


def _svg_uri(svg: str) -> str:
    # An <img> with the same address is parsed once per document, however many cards use it.
    return "data:image/svg+xml;base64," + base64.b64encode(svg.encode()).decode()


def _emblem(design: CardTemplate) -> str:
    return _svg_uri(
        render_to_string(
            "cards/pdf/emblem.svg",
            {
                "primary": design.primary_colour,
                "accent": design.accent_colour,
                "code": design.agency.code[:4],
            },
        )
    )


def card_faces(cards: Sequence[Card], *, base_url: str | None = None) -> list[CardFace]:
    """What each card shows. Cards must have their token (printed or later) and come with
    officer, grade, unit and agency loaded."""
    photos = _photos([c.officer_id for c in cards])
    designs: dict[int, tuple[CardTemplate, str]] = {}
    faces = []
    for card in cards:
        if not card.token:
            raise ValueError(f"card {card.number} has no token: print it first")
        officer = card.officer
        if card.agency_id not in designs:
            design = card_template_for(card.agency)
            designs[card.agency_id] = (design, _emblem(design))
        design, emblem = designs[card.agency_id]
        faces.append(
            CardFace(
                number=card.number,
                matricule=officer.matricule,
                family_name=officer.family_name,
                given_names=officer.given_names,
                grade=officer.grade_label,
                unit=officer.unit.name,
                agency_code=card.agency.code,
                agency_name=card.agency.name,
                issued_on=card.issued_on,
                expires_on=card.expires_on,
                photo=photos.get(card.officer_id, ""),
                qr=qr_png(verify_url(card.token, base_url=base_url)),
                emblem=emblem,
                design=design,
            )
        )
    return faces


@lru_cache(maxsize=1)
def _crop_marks() -> str:
    """Cut lines in the sheet margins, in line with every card edge, as one A4 SVG image."""
    lines = []
    xs = sorted({LEFT + c * (CARD_W + GAP_X) + d for c in range(COLS) for d in (0, CARD_W)})
    ys = sorted({TOP + r * (CARD_H + GAP_Y) + d for r in range(ROWS) for d in (0, CARD_H)})
    grid_bottom = TOP + ROWS * CARD_H + (ROWS - 1) * GAP_Y
    grid_right = LEFT + COLS * CARD_W + (COLS - 1) * GAP_X
    top_len = min(MARK_LEN, TOP - MARK_GAP)
    side_len = min(MARK_LEN, LEFT - MARK_GAP)
    for x in xs:
        for y in (TOP - MARK_GAP - top_len, grid_bottom + MARK_GAP):
            lines.append(f'<line x1="{x:.2f}" y1="{y:.2f}" x2="{x:.2f}" y2="{y + top_len:.2f}"/>')
    for y in ys:
        for x in (LEFT - MARK_GAP - side_len, grid_right + MARK_GAP):
            lines.append(f'<line x1="{x:.2f}" y1="{y:.2f}" x2="{x + side_len:.2f}" y2="{y:.2f}"/>')
    svg = (
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{A4_W}mm" height="{A4_H}mm" '
        f'viewBox="0 0 {A4_W} {A4_H}"><g stroke="#000" stroke-width="{MARK_W}">'
        + "".join(lines)
        + "</g></svg>"
    )
    return _svg_uri(svg)


def _position(index: int, *, mirror: bool) -> str:
    row, col = divmod(index, COLS)
    if mirror:
        # Long-edge duplex: the back of the left card is printed on the right.
        col = COLS - 1 - col
    x = LEFT + col * (CARD_W + GAP_X)
    y = TOP + row * (CARD_H + GAP_Y)
    return f"left:{x:.2f}mm;top:{y:.2f}mm"


def render_cards_pdf(
    cards: Sequence[Card], *, layout: str = "a4", base_url: str | None = None
) -> bytes:
    """The PDF of `cards`: layout "single" (front and back pages per card) or "a4"."""
    from weasyprint import HTML

    if layout not in ("single", "a4"):
        raise ValueError(layout)
    faces = card_faces(cards, base_url=base_url)
    sheets: list[dict[str, list[CardFace | None]]] = []
    if layout == "single":
        sheets = [{"fronts": [face], "backs": [face]} for face in faces]
    else:
        for start in range(0, len(faces), PER_SHEET):
            chunk = faces[start : start + PER_SHEET]
            for i, face in enumerate(chunk):
                face.position = _position(i, mirror=False)
                face.back_position = _position(i, mirror=True)
            sheets.append({"fronts": list(chunk), "backs": list(chunk)})
    designs = {id(f.design): f.design for f in faces}
    base = (base_url or settings.MATRICULE_PUBLIC_URL).rstrip("/")
    with translation.override("fr"):
        html = render_to_string(
            "cards/pdf/cards.html",
            {
                "sheets": sheets,
                "layout": layout,
                "designs": list(designs.values()),
                "crop_marks": _crop_marks() if layout == "a4" else "",
                "verify_url": f"{base}{reverse('verify:page')}",
            },
        )
    document = HTML(string=html, base_url=str(settings.BASE_DIR))
    pdf: bytes = document.write_pdf(stylesheets=[_stylesheet()], font_config=_font_config())
    return pdf
