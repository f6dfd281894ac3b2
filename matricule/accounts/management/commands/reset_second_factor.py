"""Forget a user's authenticator app (lost or replaced phone), with its audit entry.

    python manage.py reset_second_factor rh.bamako --reason "téléphone perdu, ticket 42"

At the next login the user scans a new QR code.
"""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from matricule.accounts.models import User
from matricule.accounts.services import totp_reset


class Command(BaseCommand):
    help = __doc__

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("username")
        parser.add_argument("--reason", required=True, help="motif (gardé dans l'audit)")

    def handle(self, *args: Any, **options: Any) -> None:
        user = User.objects.filter(username=options["username"]).first()
        if user is None:
            raise CommandError(f"Utilisateur inconnu : {options['username']}.")
        count = totp_reset(user=user, by=None, reason=options["reason"])
        self.stdout.write(f"{count} appareil(s) d'authentification oublié(s) pour {user.username}.")
