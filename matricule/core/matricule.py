"""Matricule numbers: agency prefix, zero-padded number and a check letter."""

from __future__ import annotations

import re

from django.db import transaction
from django.db.models import F

from matricule.core.models import Agency

# 23 letters: I, O and Q are left out because they are misread as 1, 0 and O.
CHECK_LETTERS = "ABCDEFGHJKLMNPRSTUVWXYZ"


def _char_value(char: str) -> int:
    return int(char) if char.isdigit() else ord(char.upper()) - 55  # A=10 … Z=35


def check_letter(body: str) -> str:
    """Weighted sum modulo 23: catches any single wrong character and most swaps."""
    total = sum((position + 1) * _char_value(c) for position, c in enumerate(body))
    return CHECK_LETTERS[total % len(CHECK_LETTERS)]


def matricule_format(*, prefix: str, digits: int, number: int) -> str:
    body = f"{prefix}{number:0{digits}d}"
    return body + check_letter(body)


def matricule_is_valid(value: str, *, prefix: str, digits: int) -> bool:
    pattern = rf"^{re.escape(prefix)}\d{{{digits}}}[{CHECK_LETTERS}]$"
    if not re.match(pattern, value):
        return False
    return check_letter(value[:-1]) == value[-1]


def matricule_allocate(*, agency: Agency, count: int = 1) -> list[str]:
    """Reserve `count` new matricules for the agency; numbers are never reused."""
    with transaction.atomic():
        Agency.objects.filter(pk=agency.pk).update(matricule_seq=F("matricule_seq") + count)
        last = Agency.objects.values_list("matricule_seq", flat=True).get(pk=agency.pk)
    first = last - count + 1
    return [
        matricule_format(prefix=agency.matricule_prefix, digits=agency.matricule_digits, number=n)
        for n in range(first, last + 1)
    ]
