"""Revoke API tokens: by the first characters shown at issue, or all of a user's tokens.

python manage.py revoke_token --prefix AbCdEf12
python manage.py revoke_token --user rh.bamako
"""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from matricule.accounts.models import ApiToken
from matricule.accounts.services import token_revoke


class Command(BaseCommand):
    help = __doc__

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--prefix", help="les 8 premiers caractères du jeton")
        parser.add_argument("--user", help="révoquer tous les jetons de cet utilisateur")
        parser.add_argument("--dry-run", action="store_true", help="afficher sans révoquer")

    def handle(self, *args: Any, **options: Any) -> None:
        if not options["prefix"] and not options["user"]:
            raise CommandError("Indiquez --prefix ou --user.")
        tokens = ApiToken.objects.filter(revoked_at__isnull=True).select_related("user")
        if options["prefix"]:
            tokens = tokens.filter(prefix=options["prefix"])
        if options["user"]:
            tokens = tokens.filter(user__username=options["user"])
        found = list(tokens)
        if not found:
            raise CommandError("Aucun jeton actif ne correspond.")
        for token in found:
            if not options["dry_run"]:
                token_revoke(token=token, by=None)
            self.stdout.write(f"{'à révoquer' if options['dry_run'] else 'révoqué'} : {token}")
