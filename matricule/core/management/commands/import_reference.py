"""Import reference data in bulk from an XLSX or CSV file, for a force starting from scratch.

    python manage.py import_reference unites.xlsx --kind units --agency PN [--dry-run]
    python manage.py import_reference grades.csv --kind grades --agency PN

Units: columns code, nom, type (code or name of the unit type), unité parente (code, in
the file or already on file), région. Grades: statut (code), corps (code), code, nom,
rang (1 for the lowest of the corps), catégorie. Every row is checked first; one bad row
and nothing is written. Existing codes are updated where the file differs. The last line
sums up the counts.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from matricule.core.models import Agency
from matricule.core.reference_import import ReferenceImportError, grades_import, units_import


class Command(BaseCommand):
    help = __doc__

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file", help="fichier .xlsx, .csv ou .csv.gz")
        parser.add_argument("--kind", choices=["units", "grades"], required=True)
        parser.add_argument("--agency", default="PN", help="code de l'agence (défaut : PN)")
        parser.add_argument("--dry-run", action="store_true", help="vérifier seulement")

    def handle(self, *args: Any, **options: Any) -> None:
        path = Path(options["file"])
        if not path.is_file():
            raise CommandError(f"Fichier introuvable : {path}")
        agency = Agency.objects.filter(code=options["agency"].upper()).first()
        if agency is None:
            raise CommandError(f"Agence « {options['agency']} » introuvable.")
        run = units_import if options["kind"] == "units" else grades_import
        try:
            with path.open("rb") as handle:
                report = run(
                    agency=agency,
                    handle=handle,
                    filename=path.name,
                    by=None,
                    dry_run=options["dry_run"],
                )
        except ReferenceImportError as error:
            for problem in error.problems:
                self.stderr.write(problem)
            raise CommandError(
                f"Rien n'a été enregistré : {len(error.problems)} problème(s).", returncode=1
            ) from error
        verb = "à créer" if options["dry_run"] else "créés"
        self.stdout.write(
            f"{verb} : {report.created}, mis à jour : {report.updated}, "
            f"inchangés : {report.unchanged}"
            + (" (essai : rien n'a été enregistré)" if options["dry_run"] else "")
        )
