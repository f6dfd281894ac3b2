"""Card signing keys: make a new one, or list them all.

    python manage.py card_keys rotate [--dry-run]
    python manage.py card_keys list

`rotate` creates a new Ed25519 key: its private half is written to
MATRICULE_CARD_KEY_DIR/<kid>.pem (mode 0600), its public half to the database. New
cards are signed with it; the previous key is retired but stays, so the cards it signed
keep verifying online and offline. Back up the keys folder with the database.
"""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from matricule.cards.keys import key_dir, key_rotate, private_key_path, public_keys
from matricule.cards.models import Card


class Command(BaseCommand):
    help = __doc__

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("action", choices=["rotate", "list"])
        parser.add_argument(
            "--dry-run", action="store_true", help="dire ce qui serait fait, sans rien créer"
        )

    def handle(self, *args: Any, **options: Any) -> None:
        if options["action"] == "rotate":
            if options["dry_run"]:
                self.stdout.write(f"Une nouvelle clé serait créée dans {key_dir()}.")
                return
            key = key_rotate(by=None)
            if options["verbosity"] >= 1:
                self.stderr.write(
                    f"Nouvelle clé de signature créée ; clé privée : {private_key_path(key.kid)}. "
                    "Sauvegardez ce dossier avec la base."
                )
            self.stdout.write(key.kid)
            return
        counts: dict[str, int] = {}
        for kid in Card.objects.exclude(kid="").values_list("kid", flat=True).iterator():
            counts[kid] = counts.get(kid, 0) + 1
        for key in public_keys():
            state = (
                f"retirée le {key.retired_at:%d/%m/%Y %H:%M}" if key.retired_at else "en service"
            )
            private = (
                "clé privée présente"
                if private_key_path(key.kid).exists()
                else "clé privée absente"
            )
            self.stdout.write(
                f"{key.kid}  {key.algorithm}  créée le {key.created_at:%d/%m/%Y %H:%M}  {state}  "
                f"{counts.get(key.kid, 0)} carte(s)  {private}"
            )
