"""Reading a CSV, CSV.GZ or XLSX file as a header row and a stream of data rows.

The bytes are read by the shared safe reader (`core.tabular`): size, unpacked size, rows,
columns and cell length are capped there. Only the cells of the columns the import uses
are kept, so a 26-column register of which most columns are ignored costs the memory of
its useful columns.
"""

from __future__ import annotations

import io
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from typing import IO, Any

from django.conf import settings
from django.utils.translation import gettext as _

from matricule.core.tabular import (
    TabularError,
    TabularLimits,
    tabular_check,
    tabular_format,
    tabular_rows,
)
from matricule.personnel.importing.cells import cell_text
from matricule.personnel.importing.columns import field_for

HEADER_SEARCH_ROWS = 10


def import_limits() -> TabularLimits:
    """The limits of personnel imports, from settings (MATRICULE_IMPORT_*)."""
    return TabularLimits(
        max_bytes=settings.MATRICULE_IMPORT_MAX_BYTES,
        max_rows=settings.MATRICULE_IMPORT_MAX_ROWS,
    )


# The size limit, for messages and forms (the setting can raise or lower it).
MAX_FILE_BYTES = TabularLimits().max_bytes


class ImportFileError(Exception):
    """The file cannot be read as a table; the message is for the clerk."""


@dataclass
class Table:
    headers: list[str]
    header_row: int
    # (spreadsheet row number, cells); blank rows are left out. An iterator: read it once.
    rows: Iterable[tuple[int, list[Any]]]
    estimated_rows: int = 0
    close: Any = field(default=None, repr=False)


def _is_blank(cells: Iterable[Any]) -> bool:
    return all(c is None or (isinstance(c, str) and not c.strip()) for c in cells)


def _looks_like_header(cells: list[Any], history: bool) -> bool:
    return (
        sum(1 for c in cells if isinstance(c, str) and field_for(c, history=history) is not None)
        >= 2
    )


def _table_from(records: Iterator[tuple[int, list[Any]]], *, history: bool = False) -> Table:
    """Header and data rows; title lines above the header ("Liste du personnel…") are skipped."""
    leading: list[tuple[int, list[Any]]] = []
    header: tuple[int, list[Any]] | None = None
    for number, cells in records:
        if _is_blank(cells):
            continue
        if _looks_like_header(cells, history):
            header = (number, cells)
            break
        leading.append((number, cells))
        if len(leading) == HEADER_SEARCH_ROWS:
            break
    rest: list[tuple[int, list[Any]]] = []
    if header is None:
        # No row names known fields: take the first one, the report will say what is missing.
        if not leading:
            raise ImportFileError(
                _(
                    "Le fichier est vide : la première ligne doit contenir les "
                    "en-têtes des colonnes (Nom, Prénom(s), Date de naissance…)."
                )
            )
        header, rest = leading[0], leading[1:]
    headers = [cell_text(c) for c in header[1]]
    while headers and not headers[-1]:
        headers.pop()

    def data() -> Iterator[tuple[int, list[Any]]]:
        yield from rest
        for number, cells in records:
            if not _is_blank(cells):
                yield number, cells

    return Table(headers=headers, header_row=header[0], rows=data())


def _translated(rows: Iterator[tuple[int, list[Any]]]) -> Iterator[tuple[int, list[Any]]]:
    try:
        yield from rows
    except TabularError as error:
        raise ImportFileError(str(error)) from error


def open_table(
    source: str | IO[bytes],
    filename: str,
    *,
    history: bool = False,
    limits: TabularLimits | None = None,
) -> Table:
    """The header row and a stream of the non-blank data rows of a CSV, CSV.GZ or XLSX file.

    Limits are checked while reading: a file past one raises ImportFileError, with a
    French message naming it, from the point where it is found.
    """
    if tabular_format(filename) is None:
        raise ImportFileError(_("Seuls les fichiers .xlsx, .csv et .csv.gz sont acceptés."))
    limits = limits or import_limits()
    records = _translated(tabular_rows(source, filename, limits))
    table = _table_from(records, history=history)
    table.close = getattr(records, "close", None)
    table.estimated_rows = _estimate_rows(source, filename)
    return table


def _estimate_rows(source: str | IO[bytes], filename: str) -> int:
    """A rough count for the progress bar before the file is read to its end."""
    try:
        if isinstance(source, str):
            import os

            size = os.path.getsize(source)
        else:
            position = source.tell()
            source.seek(0, io.SEEK_END)
            size = source.tell()
            source.seek(position)
    except OSError:
        return 0
    per_row = 25 if filename.lower().endswith(".xlsx") else 120
    if filename.lower().endswith(".gz"):
        per_row = 25
    return max(1, size // per_row)


def read_table(data: bytes, filename: str, *, history: bool = False) -> Table:
    """The same as open_table, for a file already in memory (small files, tests)."""
    return open_table(io.BytesIO(data), filename, history=history)


def upload_check(handle: IO[bytes], filename: str) -> None:
    """What an upload form checks in the request: name, size, zip directory, first bytes.

    The file itself is parsed by the background worker, never in the request.
    """
    try:
        tabular_check(handle, filename, import_limits())
    except TabularError as error:
        raise ImportFileError(str(error)) from error


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
        upload_check(io.BytesIO(data), "f.xlsx")
    except ImportFileError:
        return False
    return True
