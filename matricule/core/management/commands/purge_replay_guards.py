"""Delete API idempotency keys past 24 hours and used form tokens past their validity.

    python manage.py purge_replay_guards [--dry-run]

Run daily by cron (docs/deployment.md); nothing else depends on it but the table sizes.
"""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandParser
from django.db import transaction
from django.utils import timezone

from matricule.core.models import FormSubmission, IdempotencyKey


class Command(BaseCommand):
    help = __doc__

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--dry-run", action="store_true", help="compter sans effacer")

    def handle(self, *args: Any, **options: Any) -> None:
        now = timezone.now()
        keys = IdempotencyKey.objects.filter(created_at__lt=now - IdempotencyKey.KEEP)
        forms = FormSubmission.objects.filter(created_at__lt=now - FormSubmission.KEEP)
        if options["dry_run"]:
            self.stdout.write(f"À effacer : {keys.count()} clé(s), {forms.count()} formulaire(s).")
            return
        with transaction.atomic():
            deleted_keys, _k = keys.delete()
            deleted_forms, _f = forms.delete()
        if options["verbosity"] >= 1:
            self.stdout.write(f"Effacés : {deleted_keys} clé(s), {deleted_forms} formulaire(s).")
