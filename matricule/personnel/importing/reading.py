"""Reading a CSV or XLSX file into a `Table`: its header row and its non-blank data rows."""

from __future__ import annotations

import csv
import io
import zipfile
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from django.utils.translation import gettext as _

from matricule.personnel.importing.cells import cell_text
from matricule.personnel.importing.columns import field_for

MAX_FILE_BYTES = 10 * 1024 * 1024
HEADER_SEARCH_ROWS = 10


class ImportFileError(Exception):
    """The file cannot be read as a table; the message is for the clerk."""


@dataclass
class Table:
    headers: list[str]
    header_row: int
    # (spreadsheet row number, cells); blank rows are already left out.
    rows: list[tuple[int, list[Any]]]


def _is_blank(cells: Iterable[Any]) -> bool:
    return all(c is None or (isinstance(c, str) and not c.strip()) for c in cells)


def _looks_like_header(cells: list[Any]) -> bool:
    return sum(1 for c in cells if isinstance(c, str) and field_for(c) is not None) >= 2


def _table_from(records: Iterable[tuple[int, list[Any]]]) -> Table:
    """Header and data rows; title lines above the header ("Liste du personnel…") are skipped."""
    leading: list[tuple[int, list[Any]]] = []
    header: tuple[int, list[Any]] | None = None
    rows: list[tuple[int, list[Any]]] = []
    for number, cells in records:
        if _is_blank(cells):
            continue
        if header is not None:
            rows.append((number, cells))
        elif _looks_like_header(cells):
            header = (number, cells)
        else:
            leading.append((number, cells))
            if len(leading) == HEADER_SEARCH_ROWS:
                header, rows = leading[0], leading[1:]
    if header is None:
        # No row names known fields: take the first one, the report will say what is missing.
        if not leading:
            raise ImportFileError(
                _(
                    "Le fichier est vide : la première ligne doit contenir les "
                    "en-têtes des colonnes (Nom, Prénom(s), Date de naissance…)."
                )
            )
        header, rows = leading[0], leading[1:]
    headers = [cell_text(c) for c in header[1]]
    while headers and not headers[-1]:
        headers.pop()
    return Table(headers=headers, header_row=header[0], rows=rows)


def csv_decode(data: bytes) -> str:
    """UTF-8 (with or without BOM), else Windows-1252 as saved by Excel in French."""
    if b"\x00" in data[:4096]:
        raise ImportFileError(
            _(
                "Ce fichier n'est pas un fichier CSV (texte) : enregistrez-le "
                "au format CSV ou XLSX depuis votre tableur."
            )
        )
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        pass
    try:
        return data.decode("cp1252")
    except UnicodeDecodeError as error:
        raise ImportFileError(
            _(
                "Encodage du fichier CSV non reconnu : enregistrez-le en "
                "« CSV UTF-8 » depuis votre tableur."
            )
        ) from error


def xlsx_looks_valid(data: bytes) -> bool:
    """An XLSX file is a zip holding the workbook parts openpyxl reads."""
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            names = set(archive.namelist())
    except (zipfile.BadZipFile, ValueError):
        return False
    return "[Content_Types].xml" in names and "xl/workbook.xml" in names


def read_table(data: bytes, filename: str) -> Table:
    """The header row and the non-blank data rows of a CSV or XLSX file."""
    if filename.lower().endswith(".xlsx"):
        return _read_xlsx(data)
    if filename.lower().endswith(".csv"):
        return _read_csv(data)
    raise ImportFileError(_("Seuls les fichiers .xlsx et .csv sont acceptés."))


def _read_csv(data: bytes) -> Table:
    text = csv_decode(data)
    first_lines = "\n".join(text.split("\n", HEADER_SEARCH_ROWS)[:HEADER_SEARCH_ROWS])
    # French Excel writes ';', others ','; tabs come from copy-paste exports.
    delimiter = max((";", ",", "\t"), key=first_lines.count)
    if not first_lines.count(delimiter):
        delimiter = ","
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    try:
        return _table_from(enumerate(reader, start=1))
    except csv.Error as error:
        raise ImportFileError(_("Fichier CSV mal formé : %(error)s") % {"error": error}) from error


def _read_xlsx(data: bytes) -> Table:
    import openpyxl

    if not xlsx_looks_valid(data):
        raise ImportFileError(
            _(
                "Ce fichier n'est pas un classeur XLSX valide : enregistrez-le "
                "au format « Classeur Excel (.xlsx) »."
            )
        )
    try:
        workbook = openpyxl.load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except Exception as error:  # openpyxl raises many kinds for a damaged workbook
        message = _("Classeur XLSX illisible : %(error)s") % {"error": error}
        raise ImportFileError(message) from error
    try:
        sheet = workbook.worksheets[0]
        records = (
            (number, list(values))
            for number, values in enumerate(sheet.iter_rows(values_only=True), start=1)
        )
        return _table_from(records)
    finally:
        workbook.close()
