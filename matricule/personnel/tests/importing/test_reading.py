"""Reading CSV files into a table: encodings, separators, blank and title lines."""

from __future__ import annotations

from matricule.personnel.importing.reading import read_table
from matricule.personnel.tests.importing.support import HEADER, csv_file, new_row


def test_blank_lines_are_skipped_and_rows_keep_their_spreadsheet_numbers():
    table = read_table(csv_file([HEADER, [""] * len(HEADER), new_row(1), [], new_row(2)]), "a.csv")
    assert [number for number, _cells in list(table.rows)] == [3, 5]


def test_csv_in_windows_1252_with_commas_is_read():
    data = csv_file([["Nom", "Prénom"], ["Maïga", "Fatoumata"]], sep=",", encoding="cp1252")
    table = read_table(data, "a.csv")
    assert table.headers == ["Nom", "Prénom"]
    assert list(table.rows) == [(2, ["Maïga", "Fatoumata"])]


def test_title_lines_above_the_header_are_skipped():
    data = csv_file(
        [["Liste du personnel — Commissariat du 1er arrondissement"], [], HEADER, new_row(1)]
    )
    table = read_table(data, "a.csv")
    assert (table.header_row, table.headers) == (3, HEADER)
    assert [number for number, _cells in list(table.rows)] == [4]
