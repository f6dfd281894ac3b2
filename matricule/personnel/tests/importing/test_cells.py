"""Cell values: dates in the forms registers write them."""

from __future__ import annotations

import datetime

import pytest

from matricule.personnel.importing.cells import CellError, parse_date


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("21/11/2026", datetime.date(2026, 11, 21)),
        ("2026-11-21", datetime.date(2026, 11, 21)),
        ("21-11-2026", datetime.date(2026, 11, 21)),
        ("21.11.2026", datetime.date(2026, 11, 21)),
        ("1/2/85", datetime.date(1985, 2, 1)),
        ("3/4/05", datetime.date(2005, 4, 3)),
        ("2026-11-21 00:00:00", datetime.date(2026, 11, 21)),
        (44927, datetime.date(2023, 1, 1)),  # Excel serial number
        (44927.0, datetime.date(2023, 1, 1)),
        ("44927", datetime.date(2023, 1, 1)),  # a serial number saved to CSV
        # openpyxl reads date cells as naive datetimes.
        (datetime.datetime(2026, 11, 21, 0, 0), datetime.date(2026, 11, 21)),  # noqa: DTZ001
        (datetime.date(2026, 11, 21), datetime.date(2026, 11, 21)),
    ],
)
def test_common_date_formats_are_read(value, expected):
    assert parse_date(value, today=datetime.date(2026, 1, 1)) == expected


@pytest.mark.parametrize(
    ("value", "message"),
    [
        ("31/02/2020", "Date impossible"),
        ("le 3 mars", "Date illisible : écrivez-la sous la forme JJ/MM/AAAA"),
        ("21/11", "Date illisible"),
    ],
)
def test_bad_dates_say_how_to_write_them(value, message):
    with pytest.raises(CellError, match=message):
        parse_date(value)
