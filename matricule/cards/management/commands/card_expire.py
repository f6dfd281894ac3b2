"""Mark as expired the valid cards whose expiry date has passed (daily, from cron).

    python manage.py card_expire [--dry-run]

The public check already answers EXPIRÉE from the date alone; this keeps the card
lists and the "officers without a valid card" report in step.
"""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandParser
from django.utils import timezone

from matricule.cards.models import VALID_STATUSES, Card
from matricule.cards.services import cards_expire


class Command(BaseCommand):
    help = __doc__

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--dry-run", action="store_true")

    def handle(self, *args: Any, **options: Any) -> None:
        today = timezone.localdate()
        if options["dry_run"]:
            due = Card.objects.filter(status__in=VALID_STATUSES, expires_on__lt=today).count()
            self.stdout.write(f"{due} carte(s) seraient marquées expirées.")
            return
        count = cards_expire(today=today)
        if options["verbosity"] >= 1:
            self.stdout.write(f"{count} carte(s) marquée(s) expirée(s).")
