"""French wording of durations, marks and verdicts (pure functions)."""

from __future__ import annotations

import datetime
from decimal import Decimal

from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from matricule.core.dates import add_months, add_years


def years_months(start: datetime.date, end: datetime.date) -> tuple[int, int]:
    """Completed years and months from `start` to `end` (calendar arithmetic)."""
    if end < start:
        return 0, 0
    years = end.year - start.year
    if add_years(start, years) > end:
        years -= 1
    base = add_years(start, years)
    months = 0
    while add_months(base, months + 1) <= end:
        months += 1
    return years, months


def duration(years: int, months: int = 0) -> str:
    """'4 ans et 3 mois', '1 an', '7 mois'."""
    y = ngettext("%(n)d an", "%(n)d ans", years) % {"n": years}
    m = ngettext("%(n)d mois", "%(n)d mois", months) % {"n": months}
    if years and months:
        return _("%(years)s et %(months)s") % {"years": y, "months": m}
    return m if months and not years else y


def number(value: Decimal | float | int | None, places: int = 2) -> str:
    """A French decimal: 14,50."""
    if value is None:
        return "—"
    text = f"{Decimal(value):.{places}f}"
    if places and "." in text:
        text = text.rstrip("0").rstrip(".")
    return text.replace(".", ",")


def verdict(met: bool) -> str:
    return _("rempli") if met else _("non rempli")


def day(value: datetime.date) -> str:
    return f"{value:%d/%m/%Y}"


def group_ordinal(group: int) -> str:
    return _("1er groupe") if group == 1 else _("%(n)de groupe") % {"n": group}
