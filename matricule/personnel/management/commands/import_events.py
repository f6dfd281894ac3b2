"""Import career history (postings, grades, positions, exits, functions) from a file.

    python manage.py import_events affectations.csv --dry-run --source SIGRH
    python manage.py import_events grades_par_annee.xlsx --kind grade --source SIGRH
    python manage.py import_events sorties.csv --kind exit --date-order mdy

Each row names its officer by matricule, NINA or legacy identifier (`--source`), and
gives a period: start date (or year, or promotion date), end date, and the unit, grade,
position, exit reason or function. `--kind` says which (deduced from the columns when
left out). The events are marked « reprise de l'historique »; the act is optional, the
corps' order of grades is a warning, dates stay coherent; overlapping postings are
resolved (the later one wins, the earlier one ends the day before) and reported. After
the import each officer's snapshot is rebuilt from all their events. Importing the same
history again changes nothing. Options as for import_officers; the last line printed
sums up the counts (events created, officers updated, rows unchanged, rows in error).
"""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from matricule.personnel.importing.command import add_common_arguments, run_import
from matricule.personnel.models import ImportJob


class Command(BaseCommand):
    help = __doc__

    def add_arguments(self, parser: CommandParser) -> None:
        add_common_arguments(parser)
        parser.add_argument(
            "--kind",
            choices=[k for k in ImportJob.Kind.values if k != ImportJob.Kind.OFFICERS],
            help="nature des événements : posting, grade, status, exit ou function",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        run_import(self, options, kind=options["kind"] or "")
