"""Withdraw a card: it stops being valid at once, online and in the revocation list.

python manage.py card_revoke CARD_NUMBER --reason lost|stolen|revoked|returned
                             [--detail "déclaration n° …"] [--dry-run]
"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError, CommandParser

from matricule.cards.models import Card, RevokeReason
from matricule.cards.services import WITHDRAW_FROM, card_withdraw


class Command(BaseCommand):
    help = __doc__

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("number")
        parser.add_argument("--reason", required=True, choices=RevokeReason.values)
        parser.add_argument("--detail", default="")
        parser.add_argument("--dry-run", action="store_true")

    def handle(self, *args: Any, **options: Any) -> None:
        card = Card.objects.filter(number=options["number"].strip().upper()).first()
        if card is None:
            raise CommandError(f"Carte inconnue : {options['number']}")
        if options["dry_run"]:
            possible = card.status in WITHDRAW_FROM[options["reason"]]
            self.stdout.write(
                f"{card.number} ({card.get_status_display()}) : "
                + ("serait retirée." if possible else "ne peut pas l'être dans cet état.")
            )
            return
        try:
            card = card_withdraw(
                card=card, reason=options["reason"], detail=options["detail"], by=None
            )
        except ValidationError as error:
            raise CommandError(" ".join(error.messages)) from None
        if options["verbosity"] >= 1:
            self.stdout.write(f"{card.number} : {card.get_status_display()}")
