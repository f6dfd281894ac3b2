"""Lift the lock-out of an account at once (every address), with its audit entry.

    python manage.py unlock_account rh.bamako --reason "appel de l'agent, ticket 42"

Without it a lock lifts by itself: one minute after five failures, doubling with each
further failure up to AXES_COOLOFF_MINUTES (docs/deployment.md, §7.5).
"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError, CommandParser

from matricule.accounts.services import lockout_reset


class Command(BaseCommand):
    help = __doc__

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("username")
        parser.add_argument("--reason", required=True, help="motif (gardé dans l'audit)")

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            failures = lockout_reset(
                username=options["username"], by=None, reason=options["reason"]
            )
        except ValidationError as error:
            raise CommandError(" ".join(error.messages)) from None
        self.stdout.write(
            f"Compte {options['username']} débloqué ({failures} échec(s) de connexion effacé(s))."
        )
