"""Importing officers from XLSX and CSV files (SPEC §3.1).

The package reads in one direction, each module using only those above it:

- `report`: the report's lines (`Problem`, levels `ERROR` and `INFO`) and its summary;
- `columns`: the fields a file may fill, the headers that name them, the clerk's mapping;
- `cells`: how a cell reads and how it becomes a field's value (dates, sex, NINA…);
- `dates`: the order of each date column (day or month first) and two-digit years;
- `values`: legacy values (ranks, units, positions…) mapped to the reference data;
- `reading`: a CSV, CSV.GZ or XLSX file as a header and a stream of rows (through the
  shared safe reader `core.tabular`);
- `selectors`: who may import, into which units, which imports they see, saved maps;
- `planning`: every row of an officers file checked against the reference data and the
  officers on file, and what it would do (`CREATE`, `UPDATE`, `UNCHANGED` or `SKIP`);
- `history`: the same for a career history file (postings, grades, positions, exits,
  functions), and its writing;
- `writing`: officers written in bounded batches with bulk inserts, and the undo of a
  failed import;
- `rejects`: the downloadable workbook of rejected rows, ready to correct;
- `services`: import jobs started, run in the foreground or background, recovered;
- `forms`, `views`, `urls`: the import screens; `benchmarks`: the `import_rows`,
  `import_commit` and `import_events_commit` lines.

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
