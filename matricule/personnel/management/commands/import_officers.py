"""Import officers from an XLSX, CSV or CSV.GZ file, as the import screen does, in the foreground.

    python manage.py import_officers agents.xlsx --dry-run
    python manage.py import_officers registre.csv.gz --source SIGRH --date-order mdy \\
        --value-map correspondances.csv --create-units-under DR-BKO
    python manage.py import_officers agents.csv --mode valid_rows --map "Tél. perso=phone"

Headers in French or English are recognised; `--map "En-tête=champ"` names the others
(`=ignorer` skips a column). `--date-order` gives the order of the file's dates (dmy,
mdy, ymd; or "En-tête=mdy" for one column), deduced from the values otherwise.
`--value-map` is a CSV `field,value,code` mapping the file's ranks, units, positions,
sexes and exit reasons to the reference data; the mapping is kept for the `--source`
and used again by its next imports. `--create-units-under UNIT` creates the units the
reference data lacks under that unit (`--unit-type` for their type).

Without `--dry-run` the mode is `atomic` (nothing is written if any row is wrong; a
failure while writing is undone by the system) unless `--mode valid_rows` is given. Rows
are written in bounded batches, so the application stays usable during a long import.
The job and its report are kept and shown on the import screen. The last line printed
sums up the counts (created, updated, unchanged, in error). Exit code 1 when a dry run
or an atomic import finds errors.
"""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from matricule.personnel.importing.command import add_common_arguments, run_import


class Command(BaseCommand):
    help = __doc__

    def add_arguments(self, parser: CommandParser) -> None:
        add_common_arguments(parser)

    def handle(self, *args: Any, **options: Any) -> None:
        run_import(self, options, kind=None)
