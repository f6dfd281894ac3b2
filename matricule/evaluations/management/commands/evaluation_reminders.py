"""Send the day's evaluation reminders and escalate overdue steps (daily, from cron).

    python manage.py evaluation_reminders [--dry-run] [--date YYYY-MM-DD]

Never sends twice for the same evaluation, step and day, however often it runs.
"""

from __future__ import annotations

import datetime
from typing import Any

from django.core.management.base import BaseCommand, CommandParser
from django.utils import timezone

from matricule.evaluations.models import NoticeKind
from matricule.evaluations.services import reminders_send


class Command(BaseCommand):
    help = "Rappels avant échéance et relances des évaluations en retard (quotidien)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--dry-run", action="store_true", help="Montrer sans rien envoyer.")
        parser.add_argument("--date", help="Jour traité (AAAA-MM-JJ), aujourd'hui par défaut.")

    def handle(self, *args: Any, **options: Any) -> None:
        today = (
            datetime.date.fromisoformat(options["date"])
            if options["date"]
            else timezone.localdate()
        )
        report = reminders_send(today=today, dry_run=options["dry_run"])
        prefix = "[essai] " if options["dry_run"] else ""
        if options["verbosity"] >= 2:
            for notice in report.notices:
                self.stdout.write(
                    f"{prefix}{notice.kind} évaluation {notice.evaluation_id} "
                    f"étape {notice.step} niveau {notice.level} → {notice.recipients}"
                )
        if options["verbosity"] >= 1:
            self.stdout.write(
                f"{prefix}{today:%d/%m/%Y} : {report.count(NoticeKind.REMINDER)} rappel(s), "
                f"{report.count(NoticeKind.ESCALATION)} relance(s), "
                f"{len(report.deemed)} prise(s) de connaissance réputée(s)."
            )
