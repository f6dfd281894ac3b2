"""Restore the database and the uploaded files from an archive made by `backup`.

    python manage.py restore /sauvegardes/matricule-2026-11-21.tar.gz --yes

Everything currently in the database is replaced. Stop the application first.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from matricule.core.backup import BackupError, backup_restore


class Command(BaseCommand):
    help = __doc__

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file", help="archive produite par « backup »")
        parser.add_argument("--yes", action="store_true", help="ne pas demander de confirmation")

    def handle(self, *args: Any, **options: Any) -> None:
        if not options["yes"]:
            answer = input("Toutes les données actuelles seront remplacées. Continuer ? [oui/non] ")
            if answer.strip().lower() not in {"oui", "o", "yes", "y"}:
                raise CommandError("Restauration annulée.")
        try:
            manifest = backup_restore(Path(options["file"]))
        except BackupError as error:
            raise CommandError(str(error)) from None
        self.stdout.write(
            self.style.SUCCESS(f"Restauration terminée (sauvegarde du {manifest['created_at']}).")
        )
