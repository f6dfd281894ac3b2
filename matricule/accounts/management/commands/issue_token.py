"""Issue a new API token for a user and print it on the last line (shown only once).

python manage.py issue_token USERNAME [--name "script de paie"]
"""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from matricule.accounts.models import User
from matricule.accounts.services import token_issue


class Command(BaseCommand):
    help = __doc__

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("username")
        parser.add_argument("--name", default="", help="à quoi sert ce jeton")

    def handle(self, *args: Any, **options: Any) -> None:
        user = User.objects.filter(username=options["username"]).first()
        if user is None:
            raise CommandError(f"Utilisateur inconnu : {options['username']}")
        if not user.is_active:
            raise CommandError(f"Le compte {user.username} est désactivé.")
        raw = token_issue(user=user, name=options["name"], by=None)
        if options["verbosity"] >= 1:
            self.stderr.write(
                f"Jeton créé pour {user.username} (début : {raw[:8]}). "
                "Conservez-le : il ne sera plus affiché."
            )
        self.stdout.write(raw)
