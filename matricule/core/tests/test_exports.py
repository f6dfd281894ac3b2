"""Shared export checks: what every export of every app must do with formula-like text."""

from __future__ import annotations

import csv
import io

from openpyxl import load_workbook

FORMULA = '=HYPERLINK("http://exemple.invalid","Clic")'


def xlsx_cells(content: bytes) -> list:
    """Every non-empty cell of every sheet, as openpyxl reads it."""
    book = load_workbook(io.BytesIO(content))
    return [
        cell
        for sheet in book.worksheets
        for row in sheet.iter_rows()
        for cell in row
        if cell.value is not None
    ]


def assert_xlsx_holds_text(content: bytes, text: str = FORMULA) -> None:
    cells = [c for c in xlsx_cells(content) if isinstance(c.value, str) and text in c.value]
    assert cells, f"{text!r} is not in the workbook"
    assert all(c.data_type == "s" for c in cells), [(c.coordinate, c.data_type) for c in cells]


def assert_csv_neutralised(text: str, value: str = FORMULA) -> None:
    rows = list(csv.reader(io.StringIO(text.lstrip("\ufeff")), delimiter=";"))
    cells = [cell for row in rows for cell in row if value in cell]
    assert cells, f"{value!r} is not in the CSV"
    assert all(cell == "'" + value for cell in cells), cells


def test_csv_safe_neutralises_every_formula_start():
    from matricule.core.exports import csv_safe

    for start in ("=", "+", "-", "@", "\t", "\r"):
        assert csv_safe(start + "1+1") == "'" + start + "1+1"
    assert csv_safe(-3) == "-3" and csv_safe("Maïga") == "Maïga"
