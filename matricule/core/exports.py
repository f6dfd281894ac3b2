"""One way to hand a table to a clerk: an XLSX or CSV download.

Every export of every app goes through `tabular_response`, so that
- headers are lazy translations, turned into text when the file is written, in the
  language of the person downloading it;
- text stays text: XLSX cells are written as strings (never formulas or links) and CSV
  cells that a spreadsheet would run as a formula (=, +, -, @, tab, carriage return at
  the start) are prefixed with an apostrophe;
- dates read as 21/11/2026, whatever the format.
The app's export *service* decides what is exported and writes its audit entry; this
module only formats.
"""

from __future__ import annotations

import csv
import datetime
import io
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

import xlsxwriter
from django.http import HttpResponse, StreamingHttpResponse
from django.http.response import HttpResponseBase
from django.utils import timezone
from django_stubs_ext import StrOrPromise

FORMATS = ("xlsx", "csv")
XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
# What a spreadsheet may execute when a cell starts with it (CSV injection).
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


@dataclass(frozen=True)
class Column:
    label: StrOrPromise
    width: int = 16


def csv_safe(value: Any) -> str:
    """The cell as text a spreadsheet will show and never run.

    Numbers stay numbers (-3 is data); any text starting like a formula is prefixed.
    """
    if isinstance(value, int | float | Decimal) and not isinstance(value, bool):
        return str(value)
    text = cell_text(value)
    return "'" + text if text.startswith(_FORMULA_START) else text


def cell_text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, datetime.datetime):
        local = timezone.localtime(value) if timezone.is_aware(value) else value
        return f"{local:%d/%m/%Y %H:%M}"
    if isinstance(value, datetime.date):
        return f"{value:%d/%m/%Y}"
    if isinstance(value, bool):
        return "oui" if value else "non"
    return str(value)


def tabular_response(
    *,
    fmt: str,
    filename: str,
    title: StrOrPromise,
    columns: Sequence[Column],
    rows: Iterable[Sequence[Any]],
    preamble: Sequence[tuple[StrOrPromise, Any]] = (),
) -> HttpResponseBase:
    """The rows as a download; `preamble` lines (e.g. the filters) come before the header.

    CSV is streamed (`;`-separated, UTF-8 with a BOM so that Excel shows accents); XLSX is
    built in constant memory.
    """
    if fmt not in FORMATS:
        raise ValueError(f"unknown export format {fmt!r}")
    headers = [str(column.label) for column in columns]
    if fmt == "csv":
        response: HttpResponseBase = StreamingHttpResponse(
            _csv_chunks(headers, rows, preamble), content_type="text/csv; charset=utf-8"
        )
    else:
        response = HttpResponse(
            xlsx_bytes(title=title, columns=columns, rows=rows, preamble=preamble),
            content_type=XLSX_TYPE,
        )
    response["Content-Disposition"] = f'attachment; filename="{filename}.{fmt}"'
    return response


def _csv_chunks(
    headers: list[str],
    rows: Iterable[Sequence[Any]],
    preamble: Sequence[tuple[StrOrPromise, Any]],
) -> Iterator[str]:
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=";")
    buffer.write("\ufeff")
    for label, value in preamble:
        writer.writerow([csv_safe(str(label)), csv_safe(value)])
    if preamble:
        writer.writerow([])
    writer.writerow([csv_safe(h) for h in headers])
    for row in rows:
        writer.writerow([csv_safe(v) for v in row])
        if buffer.tell() > 64_000:
            yield buffer.getvalue()
            buffer.seek(0)
            buffer.truncate()
    yield buffer.getvalue()


@dataclass(frozen=True)
class Sheet:
    title: StrOrPromise
    columns: Sequence[Column]
    rows: Iterable[Sequence[Any]]
    preamble: Sequence[tuple[StrOrPromise, Any]] = ()


def xlsx_bytes(
    *,
    title: StrOrPromise,
    columns: Sequence[Column],
    rows: Iterable[Sequence[Any]],
    preamble: Sequence[tuple[StrOrPromise, Any]] = (),
) -> bytes:
    return workbook_bytes([Sheet(title, columns, rows, preamble)])


def workbook_response(*, filename: str, sheets: Sequence[Sheet]) -> HttpResponse:
    """An XLSX download with several sheets (e.g. a report and its breakdown)."""
    response = HttpResponse(workbook_bytes(sheets), content_type=XLSX_TYPE)
    response["Content-Disposition"] = f'attachment; filename="{filename}.xlsx"'
    return response


def workbook_bytes(sheets: Sequence[Sheet]) -> bytes:
    out = io.BytesIO()
    # Strings are never turned into formulas or links: a name typed as =HYPERLINK(...)
    # stays the text it is.
    book = xlsxwriter.Workbook(
        out,
        {
            "constant_memory": True,
            "strings_to_formulas": False,
            "strings_to_urls": False,
            "strings_to_numbers": False,
            "in_memory": True,
        },
    )
    formats = {
        "bold": book.add_format({"bold": True}),
        "date": book.add_format({"num_format": "dd/mm/yyyy"}),
        "stamp": book.add_format({"num_format": "dd/mm/yyyy hh:mm"}),
    }
    for sheet in sheets:
        _write_sheet(book, sheet, formats)
    book.close()
    return out.getvalue()


def _write_sheet(book: Any, spec: Sheet, formats: dict[str, Any]) -> None:
    sheet = book.add_worksheet(_sheet_name(str(spec.title)))
    bold = formats["bold"]
    for index, column in enumerate(spec.columns):
        sheet.set_column(index, index, column.width)
    line = 0
    for label, value in spec.preamble:
        sheet.write_string(line, 0, str(label), bold)
        sheet.write_string(line, 1, cell_text(value))
        line += 1
    if spec.preamble:
        line += 1
    for index, column in enumerate(spec.columns):
        sheet.write_string(line, index, str(column.label), bold)
    sheet.freeze_panes(line + 1, 0)
    for row in spec.rows:
        line += 1
        for index, value in enumerate(row):
            if value is None or value == "":
                continue
            if isinstance(value, bool):
                sheet.write_string(line, index, cell_text(value))
            elif isinstance(value, datetime.datetime):
                local = timezone.localtime(value) if timezone.is_aware(value) else value
                sheet.write_datetime(line, index, local.replace(tzinfo=None), formats["stamp"])
            elif isinstance(value, datetime.date):
                sheet.write_datetime(line, index, value, formats["date"])
            elif isinstance(value, int | float | Decimal):
                sheet.write_number(line, index, value)
            else:
                sheet.write_string(line, index, str(value))


def _sheet_name(title: str) -> str:
    # Excel refuses sheet names over 31 characters or with []:*?/\
    cleaned = "".join(" " if c in "[]:*?/\\" else c for c in title).strip()
    return (cleaned or "Export")[:31]
