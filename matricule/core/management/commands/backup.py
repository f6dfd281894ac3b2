"""Back up the database, the uploaded files and the key folders into one archive.

    python manage.py backup /var/backups/matricule/matricule-2026-11-21.tar.gz

The archive (mode 0600) holds the database, `media/`, the audit trail's keys and
checkpoint, and the card signing keys, each with its SHA-256 in the manifest. It gets
its name only once complete: an interrupted backup leaves no partial file.
"""

from __future__ import annotations

import signal
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from matricule.core.backup import BackupError, backup_create


def _stop_cleanly(signum: int, _frame: Any) -> None:
    raise SystemExit(128 + signum)


class Command(BaseCommand):
    help = __doc__

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file", help="archive à écrire (.tar.gz)")

    def handle(self, *args: Any, **options: Any) -> None:
        # A service stop (SIGTERM) unwinds like an error: partial files are removed.
        signal.signal(signal.SIGTERM, _stop_cleanly)
        try:
            info = backup_create(Path(options["file"]))
        except BackupError as error:
            raise CommandError(str(error)) from None
        self.stdout.write(
            self.style.SUCCESS(
                f"Sauvegarde {info.vendor} écrite : {info.path} ({info.size // 1024} Ko ; "
                f"{info.media} fichier(s), {info.audit_keys} clé(s) d'audit"
                f"{' et son point de contrôle' if info.checkpoint else ''}, "
                f"{info.card_keys} clé(s) des cartes)."
            )
        )
        self.stdout.write(
            "Elle contient des clés privées : gardez-la aussi soigneusement que la base, "
            "et copiez-la hors du serveur."
        )
