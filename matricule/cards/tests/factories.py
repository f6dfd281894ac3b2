"""Test factories for cards, built through the services like the badge office does."""

from __future__ import annotations

import io
from typing import Any

from matricule.cards.models import Card
from matricule.cards.services import card_issue_now


def card_issue_for_test(officer: Any, *, by: Any = None, handed_to: str = "le titulaire") -> Card:
    """Request, print (sign) and hand over a card: it is then valid."""
    return card_issue_now(officer=officer, handed_to=handed_to, by=by)


def photo_for_test(officer: Any) -> Any:
    """Give the officer a processed photo, as the record screens do."""
    from PIL import Image

    from matricule.personnel.services import photo_add

    buffer = io.BytesIO()
    Image.new("RGB", (413, 531), (90, 120, 160)).save(buffer, "JPEG")
    return photo_add(officer=officer, data=buffer.getvalue(), crop=None, by=None)
