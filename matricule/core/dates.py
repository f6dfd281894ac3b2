"""Calendar arithmetic the statutes rely on, written once.

"Same day N years later" falls on 28 February for someone born on 29 February in a
year that is not a leap year; "N months later" keeps the day, or the month's last day.
"""

from __future__ import annotations

import calendar
import datetime


def age_on(birth_date: datetime.date, day: datetime.date) -> int:
    """Completed years on `day`: someone born 01/01/2001 is 25 on 01/01/2026, not before."""
    years = day.year - birth_date.year
    if (day.month, day.day) < (birth_date.month, birth_date.day):
        years -= 1
    return years


def add_years(day: datetime.date, years: int) -> datetime.date:
    """The same day `years` later (or earlier when negative); 29/02 becomes 28/02."""
    try:
        return day.replace(year=day.year + years)
    except ValueError:
        return day.replace(year=day.year + years, day=28)


def add_months(day: datetime.date, months: int) -> datetime.date:
    """The same day `months` later (or earlier), or the last day of a shorter month."""
    index = day.year * 12 + day.month - 1 + months
    year, month = divmod(index, 12)
    last = calendar.monthrange(year, month + 1)[1]
    return datetime.date(year, month + 1, min(day.day, last))
