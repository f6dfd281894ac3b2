"""The rejected rows of an import as a workbook, ready to correct and import again.

The stored file is read again (through the same safe reader) and each row in error is
copied with all its columns, as the clerk wrote them, plus one column giving its
problems in French. That column is ignored when the corrected workbook is imported.
"""

from __future__ import annotations

import datetime
import io
from typing import Any

from django.utils.translation import gettext as _

from matricule.personnel.importing.columns import REPORT_COLUMN
from matricule.personnel.importing.reading import ImportFileError, open_table
from matricule.personnel.importing.report import report_rows_in_error
from matricule.personnel.models import ImportJob


def _write(sheet: Any, row: int, col: int, value: Any, dates: Any) -> None:
    # Text is written as text: a cell starting with "=" is never turned into a formula.
    if isinstance(value, str):
        sheet.write_string(row, col, value)
    elif isinstance(value, datetime.datetime):
        sheet.write_datetime(row, col, value.replace(tzinfo=None), dates)
    elif isinstance(value, datetime.date):
        sheet.write_datetime(row, col, value, dates)
    elif isinstance(value, bool | int | float):
        sheet.write_number(row, col, value)
    elif value is not None:
        sheet.write_string(row, col, str(value))


def rejects_workbook(*, job: ImportJob) -> bytes:
    """The workbook of the job's rows in error (header row first)."""
    import xlsxwriter

    errors = report_rows_in_error(job.report)
    header_problems = [m for row, messages in errors.items() if row <= 1 for m in messages]
    out = io.BytesIO()
    book = xlsxwriter.Workbook(out, {"in_memory": True, "strings_to_formulas": False})
    sheet = book.add_worksheet(_("Lignes à corriger")[:31])
    bold = book.add_format({"bold": True})
    dates = book.add_format({"num_format": "dd/mm/yyyy"})
    wrap = book.add_format({"text_wrap": True, "font_color": "#9c0006"})
    try:
        with job.file.open("rb") as handle:
            table = open_table(handle, job.filename, history=job.is_history)
            headers = list(table.headers)
            problem_col = len(headers)
            for col, name in enumerate(headers):
                sheet.write(0, col, name, bold)
            sheet.write(0, problem_col, str(REPORT_COLUMN), bold)
            sheet.set_column(problem_col, problem_col, 60)
            out_row = 1
            if header_problems:
                sheet.write(out_row, problem_col, " ; ".join(header_problems), wrap)
                out_row += 1
            for number, cells in table.rows:
                messages = errors.get(number)
                if not messages:
                    continue
                for col, value in enumerate(cells[: len(headers) or len(cells)]):
                    _write(sheet, out_row, col, value, dates)
                sheet.write(
                    out_row, problem_col, f"{_('ligne')} {number} : " + " ; ".join(messages), wrap
                )
                out_row += 1
    except ImportFileError as error:
        sheet.write(0, 0, str(error))
    book.close()
    return out.getvalue()
