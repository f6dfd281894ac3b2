"""Restore the database, uploaded files and keys from an archive made by `backup`.

    python manage.py restore /var/backups/matricule/matricule-2026-11-21.tar.gz --yes
    python manage.py restore ARCHIVE --check      # verify only, change nothing
    python manage.py restore --resume             # finish an interrupted restore

The whole archive is checked against its manifest before anything is touched; the
database, the media folder and the audit checkpoint are then swapped in one step. Any
problem before that leaves everything as it was. Stop the application first.
"""

from __future__ import annotations

import signal
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

from matricule.core.backup import (
    BackupError,
    archive_verify,
    backup_restore,
    recover_interrupted,
)


def _stop_cleanly(signum: int, _frame: Any) -> None:
    raise SystemExit(128 + signum)


class Command(BaseCommand):
    help = __doc__
    # Must run even while the start-up check refuses everything else (interrupted restore).
    requires_system_checks: list[str] = []

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file", nargs="?", help="archive produite par « backup »")
        parser.add_argument("--yes", action="store_true", help="ne pas demander de confirmation")
        parser.add_argument(
            "--check", action="store_true", help="vérifier l'archive sans rien restaurer"
        )
        parser.add_argument(
            "--resume", action="store_true", help="terminer une restauration interrompue"
        )

    def handle(self, *args: Any, **options: Any) -> None:
        signal.signal(signal.SIGTERM, _stop_cleanly)
        try:
            if options["resume"]:
                self._resume()
                return
            if not options["file"]:
                raise CommandError("Indiquez l'archive à restaurer.")
            source = Path(options["file"])
            if options["check"]:
                contents = archive_verify(source)
                self.stdout.write(
                    self.style.SUCCESS(
                        f"Archive intacte (format {contents.format}, {contents.vendor}, "
                        f"du {contents.created_at}) : {len(contents.members)} fichier(s) "
                        "vérifié(s)."
                    )
                )
                return
            if not options["yes"]:
                answer = input(
                    "Toutes les données actuelles seront remplacées. Continuer ? [oui/non] "
                )
                if answer.strip().lower() not in {"oui", "o", "yes", "y"}:
                    raise CommandError("Restauration annulée. Rien n'a été modifié.")
            report = backup_restore(source)
        except BackupError as error:
            raise CommandError(str(error)) from None
        self.stdout.write(
            self.style.SUCCESS(
                f"Restauration terminée (sauvegarde du {report.created_at}) : base, "
                f"{report.media} fichier(s)."
            )
        )
        if report.format == 1:
            self.stdout.write(
                "Archive au format 1 : elle ne contient ni les clés de l'audit ni les clés des "
                "cartes ; celles du serveur ont été gardées (voir « Ce qu'il faut garder » dans "
                "docs/deploiement.md)."
            )
        else:
            self.stdout.write(
                f"Clés de l'audit : {report.audit_keys} dans l'archive, les manquantes remises ; "
                + (
                    "point de contrôle de l'archive remis."
                    if report.checkpoint
                    else "aucun point de contrôle dans l'archive (l'ancien est retiré)."
                )
            )
            self.stdout.write(
                f"Clés de signature des cartes : {report.card_keys} dans l'archive, les "
                "manquantes remises (aucune clé existante n'est effacée)."
            )
        self._migrations_hint()
        self.stdout.write("Vérifiez la piste d'audit : python manage.py verify_audit")

    def _resume(self) -> None:
        outcome = recover_interrupted()
        if outcome == "finished":
            self.stdout.write(self.style.SUCCESS("Restauration interrompue terminée."))
        elif outcome == "discarded":
            self.stdout.write(
                "Restauration interrompue avant son terme : les données d'avant sont en "
                "place, les copies de préparation sont effacées."
            )
        else:
            self.stdout.write("Aucune restauration interrompue.")

    def _migrations_hint(self) -> None:
        executor = MigrationExecutor(connection)
        if executor.migration_plan(executor.loader.graph.leaf_nodes()):
            self.stdout.write(
                self.style.WARNING(
                    "La sauvegarde vient d'une version plus ancienne : lancez "
                    "« python manage.py migrate »."
                )
            )
