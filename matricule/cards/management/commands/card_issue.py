"""Issue a card to an officer and write its print-ready PDF; the card number is printed
on the last line.

    python manage.py card_issue MATRICULE --pdf OUT.pdf [--handed-to "NOM Prénom"]

Takes the officer's pending request if there is one (or makes one), signs the card,
records its handover (the previous valid card is revoked) and writes the PDF (front and
back pages). The QR address uses MATRICULE_PUBLIC_URL.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.exceptions import ImproperlyConfigured, ValidationError
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import transaction

from matricule.cards.pdf import render_cards_pdf
from matricule.cards.services import card_issue_now
from matricule.personnel.models import Officer


class Command(BaseCommand):
    help = __doc__

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("matricule")
        parser.add_argument("--pdf", required=True, help="fichier PDF à écrire")
        parser.add_argument(
            "--handed-to", default="", help="à qui la carte est remise (défaut : le titulaire)"
        )

    def handle(self, *args: Any, **options: Any) -> None:
        officer = (
            Officer.objects.select_related("agency")
            .filter(matricule=options["matricule"].strip().upper())
            .first()
        )
        if officer is None:
            raise CommandError(f"Matricule inconnu : {options['matricule']}")
        out = Path(options["pdf"])
        if not out.parent.exists():
            raise CommandError(f"Dossier introuvable : {out.parent}")
        handed_to = options["handed_to"] or f"{officer.family_name.upper()} {officer.given_names}"
        try:
            # The PDF is written before the commit: if it cannot be written, no card is issued.
            with transaction.atomic():
                card = card_issue_now(officer=officer, handed_to=handed_to, by=None)
                card = (
                    type(card)
                    .objects.select_related("officer__grade", "officer__unit", "agency")
                    .get(pk=card.pk)
                )
                out.write_bytes(render_cards_pdf([card], layout="single"))
        except ValidationError as error:
            raise CommandError(" ".join(error.messages)) from None
        except ImproperlyConfigured as error:
            raise CommandError(str(error)) from None
        except OSError as error:
            raise CommandError(f"Impossible d'écrire {out} : {error}") from None
        if options["verbosity"] >= 1:
            self.stderr.write(
                f"Carte remise à {handed_to}, valable jusqu'au {card.expires_on:%d/%m/%Y} ; "
                f"PDF : {out}"
            )
        self.stdout.write(card.number)
