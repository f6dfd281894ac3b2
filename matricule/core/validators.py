"""Validators shared by the apps' models: what a person's name may be made of."""

from __future__ import annotations

import unicodedata

from django.core.exceptions import ValidationError
from django.utils.deconstruct import deconstructible
from django.utils.translation import gettext_lazy as _

# Apostrophes (N'Diaye, typed or typographic) and hyphens (Sidi-Mohamed) join the words.
NAME_JOINERS = frozenset("'’ʼ-‐")


@deconstructible
class PersonNameValidator:
    """Letters (any script, with their accents), spaces, apostrophes and hyphens.

    Enough for every civil-status name (Maïga, N'Diaye, Ag Mohamed, Ould Sidi, Touré dit
    Papa): particles are words like any other. Not enough for a formula, a link or a tag:
    a name cannot start with = + - @, hold a digit, a bracket or a quote mark.
    """

    message = _(
        "Un nom ne contient que des lettres, des espaces, des apostrophes et des traits "
        "d'union, et commence par une lettre (ex. Maïga, N'Diaye, Ag Mohamed)."
    )
    code = "person_name"

    def __call__(self, value: str) -> None:
        text = unicodedata.normalize("NFC", str(value))
        if not text:
            return
        if not unicodedata.category(text[0]).startswith("L") or not all(
            _allowed(char) for char in text
        ):
            raise ValidationError(self.message, code=self.code)

    def __eq__(self, other: object) -> bool:
        return isinstance(other, PersonNameValidator)

    def __hash__(self) -> int:
        return hash(self.code)


def _allowed(char: str) -> bool:
    category = unicodedata.category(char)
    return category.startswith(("L", "M")) or char == " " or char in NAME_JOINERS


person_name = PersonNameValidator()
