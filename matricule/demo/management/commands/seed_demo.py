"""Build a realistic, deterministic demo force and one demo user per role.

    python manage.py seed_demo --officers 2000 --seed 1

Refuses to run on a database that already holds officers (use a fresh database).
"""

from __future__ import annotations

import datetime
import time
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils import timezone

from matricule.demo.steps import seed_demo
from matricule.personnel.models import Officer


class Command(BaseCommand):
    help = __doc__

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--officers", type=int, default=2000, help="nombre d'agents à créer (défaut : 2000)"
        )
        parser.add_argument("--seed", type=int, default=1, help="graine du tirage (défaut : 1)")
        parser.add_argument(
            "--if-empty",
            action="store_true",
            help="ne rien faire si la base contient déjà des agents",
        )
        parser.add_argument(
            "--today",
            type=str,
            default=None,
            help="date de référence AAAA-MM-JJ (défaut : aujourd'hui)",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        count = options["officers"]
        if count < 1 or count > 1_000_000:
            raise CommandError("--officers doit être compris entre 1 et 1 000 000.")
        if Officer.objects.exists():
            if options["if_empty"]:
                if options["verbosity"] >= 1:
                    self.stdout.write(
                        "La base contient déjà des agents : données de démonstration conservées."
                    )
                return
            raise CommandError("La base contient déjà des agents : utilisez une base vide.")
        today = timezone.localdate()
        if options["today"]:
            try:
                today = datetime.date.fromisoformat(options["today"])
            except ValueError:
                raise CommandError("--today attend une date AAAA-MM-JJ.") from None
        started = time.monotonic()
        verbose = options["verbosity"] >= 2

        def progress(done: int) -> None:
            if verbose:
                self.stdout.write(f"  {done} agents…")

        def step_done(name: str) -> None:
            if verbose:
                self.stdout.write(f"  étape terminée : {name}")

        created = seed_demo(
            officers=count,
            seed=options["seed"],
            today=today,
            progress=progress,
            step_done=step_done,
        )
        if options["verbosity"] >= 1:
            self.stdout.write(
                self.style.SUCCESS(f"{created} agents créés en {time.monotonic() - started:.1f} s.")
            )
