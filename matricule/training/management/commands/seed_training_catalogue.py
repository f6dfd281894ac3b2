"""Load the training catalogue (partners, courses with their modules, required training).

    python manage.py seed_training_catalogue [--dry-run]

Safe to run again: existing courses (matched by code) are left as they are.
"""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandParser


class Command(BaseCommand):
    help = __doc__

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--dry-run", action="store_true", help="dire ce qui serait fait, sans rien écrire"
        )

    def handle(self, *args: Any, **options: Any) -> None:
        from matricule.training import catalogue_data
        from matricule.training.models import Course
        from matricule.training.seeding import seed_training_catalogue

        if options["dry_run"]:
            known = set(Course.objects.values_list("code", flat=True))
            missing = [row[0] for row in catalogue_data.COURSES if row[0] not in known]
            self.stdout.write(f"Formations à créer : {', '.join(missing) or 'aucune'}.")
            return
        count = seed_training_catalogue()
        if options["verbosity"] >= 1:
            self.stdout.write(self.style.SUCCESS(f"Catalogue prêt : {count} formations."))
