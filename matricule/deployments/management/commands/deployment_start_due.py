"""Write on the careers the mission departures and returns whose day has come.

Run once a day (cron or the task worker's schedule), after midnight Africa/Bamako. An
assignment is the plan: its "deployed" status event, dated the mission's first day, is
written when that day comes (or at assignment time if it was already there), and the
return ("active", dated the day after the last day) likewise. Each assignment is written
in its own transaction; the command can be run again safely (nothing is written twice).

    python manage.py deployment_start_due [--dry-run] [--date AAAA-MM-JJ]
"""

from __future__ import annotations

import datetime
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils import timezone

from matricule.deployments.services import assignments_start_due


class Command(BaseCommand):
    help = "Inscrit à la carrière les départs et retours de mission arrivés à échéance."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--dry-run", action="store_true", help="Afficher ce qui serait inscrit, sans écrire."
        )
        parser.add_argument(
            "--date",
            default="",
            help="Jour de référence AAAA-MM-JJ (par défaut aujourd'hui ; jamais dans le futur).",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        today = timezone.localdate()
        day = today
        if options["date"]:
            try:
                day = datetime.date.fromisoformat(options["date"])
            except ValueError:
                raise CommandError("Date invalide : format AAAA-MM-JJ attendu.") from None
            if day > today:
                raise CommandError("La date de référence ne peut pas être dans le futur.")
        result = assignments_start_due(today=day, dry_run=options["dry_run"])
        verb = "à inscrire" if options["dry_run"] else "inscrit(s)"
        if options["verbosity"] >= 2:
            for a in result.started:
                self.stdout.write(
                    f"départ {a.officer.matricule} — {a.operation.name} ({a.start_date:%d/%m/%Y})"
                )
            for a in result.returned:
                self.stdout.write(f"retour {a.officer.matricule} — {a.operation.name}")
        for a, why in result.skipped:
            self.stderr.write(f"{a.officer.matricule} — {a.operation.name} : {why}")
        if options["verbosity"] >= 1:
            self.stdout.write(
                f"{len(result.started)} départ(s) et {len(result.returned)} retour(s) {verb} ; "
                f"{len(result.skipped)} en attente."
            )
