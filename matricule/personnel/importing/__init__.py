"""Importing officers from XLSX and CSV files (SPEC §3.1).

The package reads in one direction, each module using only those above it:

- `report`: the report's lines (`Problem`, levels `ERROR` and `INFO`) and its summary;
- `columns`: the fields a file may fill, the headers that name them, the clerk's mapping;
- `cells`: how a cell reads and how it becomes a field's value (dates, sex, NINA…);
- `reading`: a CSV or XLSX file into a `Table`;
- `selectors`: who may import, into which units, and which imports they see;
- `planning`: every row checked against the reference data and the officers on file,
  and what it would do (`CREATE`, `UPDATE`, `UNCHANGED` or `SKIP`), without writing;
- `services`: import jobs started, run in the foreground or background, and written;
- `forms`, `views`, `urls`: the import screens; `benchmarks`: the `import_rows` line.

Import from the module that defines a name. The names below are re-exported only so
that code written against the former single module `importing.py` keeps working.
"""

from __future__ import annotations

from matricule.personnel.importing.cells import CellError, parse_date
from matricule.personnel.importing.columns import COLUMNS, columns_match, mapping_parse
from matricule.personnel.importing.planning import import_check
from matricule.personnel.importing.reading import (
    MAX_FILE_BYTES,
    ImportFileError,
    csv_decode,
    read_table,
    xlsx_looks_valid,
)
from matricule.personnel.importing.report import ERROR, INFO, Problem, job_summary
from matricule.personnel.importing.selectors import (
    import_access,
    import_job_get,
    import_jobs,
    import_roles,
)
from matricule.personnel.importing.services import import_rerun, import_run, import_start

__all__ = [
    "COLUMNS",
    "ERROR",
    "INFO",
    "MAX_FILE_BYTES",
    "CellError",
    "ImportFileError",
    "Problem",
    "columns_match",
    "csv_decode",
    "import_access",
    "import_check",
    "import_job_get",
    "import_jobs",
    "import_rerun",
    "import_roles",
    "import_run",
    "import_start",
    "job_summary",
    "mapping_parse",
    "parse_date",
    "read_table",
    "xlsx_looks_valid",
]
