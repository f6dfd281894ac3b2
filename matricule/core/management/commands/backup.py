"""Back up the database and the uploaded files into one archive.

python manage.py backup /sauvegardes/matricule-2026-11-21.tar.gz
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from matricule.core.backup import BackupError, backup_create


class Command(BaseCommand):
    help = __doc__

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file", help="archive à écrire (.tar.gz)")

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            info = backup_create(Path(options["file"]))
        except BackupError as error:
            raise CommandError(str(error)) from None
        self.stdout.write(
            self.style.SUCCESS(
                f"Sauvegarde {info.vendor} écrite : {info.path} ({info.size // 1024} Ko)."
            )
        )
