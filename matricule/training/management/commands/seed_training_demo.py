"""Create the demo training history (sessions, results, certificates, skills) if missing.

    python manage.py seed_training_demo [--seed 1] [--dry-run]

Idempotent: does nothing when results already exist. Run after seed_demo.
"""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandParser
from django.utils import timezone

from matricule.training.models import Enrolment


class Command(BaseCommand):
    help = __doc__

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--seed", type=int, default=1, help="graine du tirage (défaut : 1)")
        parser.add_argument(
            "--dry-run", action="store_true", help="dire ce qui serait fait, sans rien écrire"
        )

    def handle(self, *args: Any, **options: Any) -> None:
        from matricule.training.demo import seed_training_demo

        if options["dry_run"]:
            present = Enrolment.objects.count()
            self.stdout.write(
                f"{present} résultats présents : rien à faire."
                if present
                else "Aucun résultat : l'historique de démonstration serait créé."
            )
            return
        created = seed_training_demo(seed=options["seed"], today=timezone.localdate())
        if options["verbosity"] >= 1:
            self.stdout.write(self.style.SUCCESS(f"{created} résultats de formation créés."))
