"""Reading uploaded spreadsheets safely: XLSX, CSV and gzip-compressed CSV, row by row.

Every tabular upload of the application (personnel imports, recruitment and training
results) goes through `tabular_rows`. It never holds the whole file in memory and it
refuses, with a French message naming the limit, what would make a worker run for
minutes or take gigabytes:

- the file's size (`max_bytes`, checked before anything is read);
- for XLSX, the uncompressed size declared by each part of the zip archive, their total
  (`max_unpacked`), the shared strings that openpyxl keeps in memory
  (`max_shared_strings`) and the compression ratio of large parts (`max_ratio`) — all
  read from the archive's directory, before a single byte is decompressed; `zipfile`
  never inflates a part beyond its declared size, so a lying header cannot get round
  it. XML is parsed by openpyxl in read-only mode, through defusedxml (installed
  with the application) against entity expansion;
- for CSV.GZ, the bytes inflated so far and their ratio to the compressed bytes read;
- the number of rows (`max_rows`, from the sheet's declared dimension when there is one,
  and while reading in any case), of columns (`max_columns`) and the length of a cell
  (`max_cell_chars`); a CSV line is read with a bounded `readline`.

Pure helper: no database, no Django model. Callers choose the limits (`TabularLimits`).
"""

from __future__ import annotations

import csv
import gzip
import io
import os
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass, replace
from pathlib import Path
from typing import IO, Any

from django.utils.translation import gettext as _

MB = 1024 * 1024
# Below this size a part's compression ratio says nothing (an empty sheet packs 1000:1).
RATIO_FLOOR_BYTES = 8 * MB
CSV_HEAD_BYTES = 4096
CSV_DELIMITERS = (";", ",", "\t")
SNIFF_LINES = 10


class TabularError(Exception):
    """The file cannot be read as a table, or goes past a limit; the message is for the clerk."""


@dataclass(frozen=True)
class TabularLimits:
    max_bytes: int = 200 * MB
    max_unpacked: int = 1024 * MB
    max_shared_strings: int = 128 * MB
    max_ratio: int = 200
    max_rows: int = 500_000
    max_columns: int = 200
    max_cell_chars: int = 10_000

    def with_(self, **changes: Any) -> TabularLimits:
        return replace(self, **changes)


def tabular_format(filename: str) -> str | None:
    """'xlsx', 'csv' or 'csv.gz' from the file's name, or None."""
    name = filename.lower()
    for suffix in ("csv.gz", "xlsx", "csv"):
        if name.endswith("." + suffix):
            return suffix
    return None


def _megabytes(n: int) -> str:
    return f"{n / MB:.0f}"


def _size_error(limits: TabularLimits) -> TabularError:
    return TabularError(
        _("Le fichier dépasse %(n)s Mo : découpez-le en plusieurs fichiers.")
        % {"n": _megabytes(limits.max_bytes)}
    )


Source = str | os.PathLike[str] | IO[bytes]


def _open(source: Source) -> IO[bytes]:
    if isinstance(source, str | os.PathLike):
        return Path(source).open("rb")
    source.seek(0)
    return source


def _size(handle: IO[bytes]) -> int:
    position = handle.tell()
    handle.seek(0, io.SEEK_END)
    size = handle.tell()
    handle.seek(position)
    return size


def tabular_check(source: Source, filename: str, limits: TabularLimits) -> None:
    """Cheap checks an upload form may run in the request: name, size, zip directory,
    first bytes. Nothing is decompressed beyond a few kilobytes."""
    kind = tabular_format(filename)
    if kind is None:
        raise TabularError(_("Seuls les fichiers .xlsx, .csv et .csv.gz sont acceptés."))
    handle = _open(source)
    try:
        if _size(handle) > limits.max_bytes:
            raise _size_error(limits)
        if kind == "xlsx":
            with _xlsx_archive(handle, limits):
                pass
        elif kind == "csv.gz":
            head = _gzip_head(handle)
            _check_csv_head(head)
        else:
            _check_csv_head(handle.read(CSV_HEAD_BYTES))
    finally:
        if isinstance(source, str | os.PathLike):
            handle.close()
        else:
            handle.seek(0)


def tabular_rows(
    source: Source, filename: str, limits: TabularLimits
) -> Iterator[tuple[int, list[Any]]]:
    """(row number, cells) for every row of the first sheet, blank rows included.

    Raises TabularError before the first row or while reading, as soon as a limit is
    passed. Close the iterator (or read it to the end) to release the file.
    """
    kind = tabular_format(filename)
    if kind is None:
        raise TabularError(_("Seuls les fichiers .xlsx, .csv et .csv.gz sont acceptés."))
    handle = _open(source)
    owned = isinstance(source, str | os.PathLike)
    try:
        if _size(handle) > limits.max_bytes:
            raise _size_error(limits)
        if kind == "xlsx":
            rows = _xlsx_rows(handle, limits)
        else:
            rows = _csv_rows(handle, kind == "csv.gz", limits)
        yield from _capped(rows, limits)
    finally:
        if owned:
            handle.close()


def _capped(
    rows: Iterator[tuple[int, list[Any]]], limits: TabularLimits
) -> Iterator[tuple[int, list[Any]]]:
    for count, (number, cells) in enumerate(rows, start=1):
        if count > limits.max_rows:
            raise TabularError(
                _(
                    "Le fichier compte plus de %(n)s lignes, le maximum accepté : "
                    "découpez-le en plusieurs fichiers."
                )
                % {"n": f"{limits.max_rows:,}".replace(",", " ")}
            )
        if len(cells) > limits.max_columns:
            while cells and (cells[-1] is None or cells[-1] == ""):
                cells.pop()
            if len(cells) > limits.max_columns:
                raise TabularError(
                    _(
                        "Ligne %(row)d : plus de %(n)d colonnes, le maximum accepté. "
                        "Supprimez les colonnes inutiles."
                    )
                    % {"row": number, "n": limits.max_columns}
                )
        for index, cell in enumerate(cells):
            if isinstance(cell, str) and len(cell) > limits.max_cell_chars:
                raise TabularError(
                    _(
                        "Ligne %(row)d, colonne %(col)d : cellule de plus de %(n)s "
                        "caractères, le maximum accepté."
                    )
                    % {
                        "row": number,
                        "col": index + 1,
                        "n": f"{limits.max_cell_chars:,}".replace(",", " "),
                    }
                )
        yield number, cells


# --- XLSX -----------------------------------------------------------------------------


class _xlsx_archive:
    """The zip archive of a workbook, opened only after its directory passed the limits."""

    def __init__(self, handle: IO[bytes], limits: TabularLimits) -> None:
        self.handle = handle
        self.limits = limits
        self.archive: zipfile.ZipFile | None = None

    def __enter__(self) -> zipfile.ZipFile:
        not_xlsx = TabularError(
            _(
                "Ce fichier n'est pas un classeur XLSX valide : enregistrez-le "
                "au format « Classeur Excel (.xlsx) »."
            )
        )
        try:
            archive = zipfile.ZipFile(self.handle)
        except (zipfile.BadZipFile, ValueError, OSError) as error:
            raise not_xlsx from error
        self.archive = archive
        names = set(archive.namelist())
        if "[Content_Types].xml" not in names or "xl/workbook.xml" not in names:
            archive.close()
            raise not_xlsx
        limits = self.limits
        total = 0
        for info in archive.infolist():
            total += info.file_size
            ratio_bomb = (
                info.file_size > RATIO_FLOOR_BYTES
                and info.file_size > limits.max_ratio * max(info.compress_size, 1)
            )
            shared = info.filename.lower().endswith("sharedstrings.xml")
            if (
                total > limits.max_unpacked
                or ratio_bomb
                or (shared and info.file_size > limits.max_shared_strings)
            ):
                archive.close()
                raise TabularError(
                    _(
                        "Classeur refusé : une fois décompressé il occuperait plus de "
                        "%(n)s Mo (ou se décompresse de façon anormale). Enregistrez-le de "
                        "nouveau depuis votre tableur, ou au format CSV."
                    )
                    % {
                        "n": _megabytes(
                            limits.max_shared_strings if shared else limits.max_unpacked
                        )
                    }
                )
        return archive

    def __exit__(self, *exc: object) -> None:
        if self.archive is not None:
            self.archive.close()


def _xlsx_rows(handle: IO[bytes], limits: TabularLimits) -> Iterator[tuple[int, list[Any]]]:
    import openpyxl

    with _xlsx_archive(handle, limits):
        pass
    handle.seek(0)
    try:
        workbook = openpyxl.load_workbook(handle, read_only=True, data_only=True)
    except Exception as error:  # openpyxl raises many kinds for a damaged workbook
        raise TabularError(
            _("Classeur XLSX illisible : %(error)s") % {"error": str(error)[:200]}
        ) from error
    try:
        if not workbook.worksheets:
            raise TabularError(_("Le classeur ne contient aucune feuille."))
        sheet = workbook.worksheets[0]
        declared = _declared_rows(sheet)
        if declared is not None and declared > limits.max_rows + SNIFF_LINES:
            raise TabularError(
                _(
                    "Le fichier compte plus de %(n)s lignes, le maximum accepté : "
                    "découpez-le en plusieurs fichiers."
                )
                % {"n": f"{limits.max_rows:,}".replace(",", " ")}
            )
        # Without this, read-only mode pads every row to the declared width (up to 16,384).
        sheet.reset_dimensions()
        try:
            for number, values in enumerate(sheet.iter_rows(values_only=True), start=1):
                yield number, list(values)
        except TabularError:
            raise
        except (zipfile.BadZipFile, EOFError, OSError, ValueError) as error:
            raise TabularError(
                _("Classeur XLSX abîmé (lecture interrompue) : %(error)s")
                % {"error": str(error)[:200]}
            ) from error
    finally:
        workbook.close()


def _declared_rows(sheet: Any) -> int | None:
    try:
        max_row = sheet.max_row
    except Exception:  # a missing or odd <dimension> is no reason to refuse
        return None
    return int(max_row) if isinstance(max_row, int) else None


# --- CSV and CSV.GZ -------------------------------------------------------------------


def _check_csv_head(head: bytes) -> None:
    if b"\x00" in head:
        raise TabularError(
            _(
                "Ce fichier n'est pas un fichier CSV (texte) : enregistrez-le "
                "au format CSV ou XLSX depuis votre tableur."
            )
        )


def _gzip_head(handle: IO[bytes]) -> bytes:
    try:
        with gzip.GzipFile(fileobj=handle, mode="rb") as unpacked:
            return unpacked.read(CSV_HEAD_BYTES)
    except (OSError, EOFError, gzip.BadGzipFile) as error:
        raise TabularError(
            _("Fichier .csv.gz illisible : ce n'est pas un fichier CSV compressé par gzip.")
        ) from error


class _GzipGuard:
    """Reads lines from a gzip stream, refusing a stream that inflates abnormally."""

    def __init__(self, handle: IO[bytes], limits: TabularLimits) -> None:
        self.raw = handle
        self.stream = gzip.GzipFile(fileobj=handle, mode="rb")
        self.limits = limits
        self.inflated = 0

    def readline(self, limit: int) -> bytes:
        try:
            line = self.stream.readline(limit)
        except (OSError, EOFError) as error:
            raise TabularError(
                _("Fichier .csv.gz abîmé (lecture interrompue) : %(error)s")
                % {"error": str(error)[:200]}
            ) from error
        self.inflated += len(line)
        limits = self.limits
        if self.inflated > limits.max_unpacked or (
            self.inflated > RATIO_FLOOR_BYTES
            and self.inflated > limits.max_ratio * max(self.raw.tell(), 1)
        ):
            raise TabularError(
                _(
                    "Fichier .csv.gz refusé : une fois décompressé il occuperait plus de "
                    "%(n)s Mo (ou se décompresse de façon anormale)."
                )
                % {"n": _megabytes(limits.max_unpacked)}
            )
        return line


class _PlainLines:
    def __init__(self, handle: IO[bytes]) -> None:
        self.handle = handle

    def readline(self, limit: int) -> bytes:
        return self.handle.readline(limit)


def _decoded_lines(reader: _GzipGuard | _PlainLines, limits: TabularLimits) -> Iterator[str]:
    """Text lines: UTF-8 (BOM dropped), or Windows-1252 for a line that is not UTF-8
    (as French Excel saves CSV)."""
    line_limit = limits.max_columns * (limits.max_cell_chars + 3) + 2
    first = True
    while True:
        raw = reader.readline(line_limit)
        if not raw:
            return
        if len(raw) >= line_limit and not raw.endswith(b"\n"):
            raise TabularError(
                _("Ligne de plus de %(n)s Mo : ce n'est pas un fichier CSV de tableur.")
                % {"n": f"{line_limit / MB:.1f}"}
            )
        if first:
            _check_csv_head(raw[:CSV_HEAD_BYTES])
            if raw.startswith(b"\xef\xbb\xbf"):
                raw = raw[3:]
            first = False
        try:
            yield raw.decode("utf-8")
        except UnicodeDecodeError:
            yield raw.decode("cp1252", errors="replace")


def _csv_rows(
    handle: IO[bytes], compressed: bool, limits: TabularLimits
) -> Iterator[tuple[int, list[Any]]]:
    if compressed:
        _gzip_head(handle)
        handle.seek(0)
        reader: _GzipGuard | _PlainLines = _GzipGuard(handle, limits)
    else:
        reader = _PlainLines(handle)
    lines = _decoded_lines(reader, limits)
    head: list[str] = []
    for line in lines:
        head.append(line)
        if len(head) == SNIFF_LINES:
            break
    sample = "".join(head)
    # French Excel writes ';', others ','; tabs come from copy-paste exports.
    delimiter = max(CSV_DELIMITERS, key=sample.count)
    if not sample.count(delimiter):
        delimiter = ","

    def all_lines() -> Iterator[str]:
        yield from head
        yield from lines

    records = csv.reader(all_lines(), delimiter=delimiter)
    number = 0
    try:
        for number, cells in enumerate(records, start=1):
            yield number, list(cells)
    except csv.Error as error:
        raise TabularError(
            _("Fichier CSV mal formé (ligne %(row)d) : %(error)s")
            % {"row": number + 1, "error": error}
        ) from error
