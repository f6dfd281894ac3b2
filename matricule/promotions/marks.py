"""The average-mark input: the last closed evaluation cycles, read from the evaluations app."""

from __future__ import annotations

from collections.abc import Collection
from decimal import Decimal

from matricule.evaluations.selectors import officer_marks


def marks_for(
    *, officer_ids: Collection[int] | None, agency_id: int, up_to_year: int, count: int
) -> dict[int, list[tuple[int, Decimal | None]]]:
    """Per officer, the last `count` closed cycles up to `up_to_year`, newest first."""
    if count <= 0:
        return {}
    return officer_marks(
        officer_ids=officer_ids, agency_id=agency_id, up_to_year=up_to_year, count=count
    )
