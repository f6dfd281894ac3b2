"""Put into effect the promotions of published tableaux whose effective date has come.

Run once a day (cron or the task worker's schedule), after midnight Africa/Bamako. Each
promotion becomes a grade-change career event with its act, batch by batch (one
transaction per batch); running it again writes nothing twice.

    python manage.py promotions_effect_due [--dry-run]
"""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandParser
from django.utils import timezone

from matricule.promotions.models import Campaign, CampaignStatus, Decision, Outcome
from matricule.promotions.services.publication import campaign_effect


class Command(BaseCommand):
    help = "Prononce les avancements des tableaux publiés dont la date d'effet est arrivée."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--dry-run", action="store_true", help="Afficher ce qui serait prononcé, sans écrire."
        )

    def handle(self, *args: Any, **options: Any) -> None:
        today = timezone.localdate()
        due = Campaign.objects.filter(
            status=CampaignStatus.PUBLISHED, effective_date__lte=today
        ).order_by("effective_date", "id")
        total = 0
        for campaign in due:
            pending = Decision.objects.filter(
                campaign=campaign, outcome=Outcome.PROMOTED, event__isnull=True
            ).count()
            if options["dry_run"]:
                done = pending
            else:
                done = campaign_effect(campaign=campaign, by=None, today=today)
            total += done
            if options["verbosity"] >= 1:
                self.stdout.write(f"{campaign.name} : {done} avancement(s)")
        verb = "à prononcer" if options["dry_run"] else "prononcé(s)"
        self.stdout.write(f"{total} avancement(s) {verb}.")
