"""Add the demo recruitment to a database that already holds the demo force.

    python manage.py seed_recruitment_demo --seed 1

A past intake of 5,000 candidates taken through every stage to graduation (the
graduates become officers) and an open intake with its first applicants. Refuses to
run twice (use --if-empty to skip silently).
"""

from __future__ import annotations

import datetime
import time
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils import timezone

from matricule.recruitment.demo import seed_recruitment_demo
from matricule.recruitment.models import Intake


class Command(BaseCommand):
    help = __doc__

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--seed", type=int, default=1, help="graine du tirage (défaut : 1)")
        parser.add_argument(
            "--candidates",
            type=int,
            default=5000,
            help="candidats du concours passé (défaut : 5000)",
        )
        parser.add_argument(
            "--graduates",
            type=int,
            default=300,
            help="élèves sortis, devenus agents (défaut : 300)",
        )
        parser.add_argument("--today", type=str, default=None, help="date de référence AAAA-MM-JJ")
        parser.add_argument(
            "--if-empty", action="store_true", help="ne rien faire si des concours existent déjà"
        )

    def handle(self, *args: Any, **options: Any) -> None:
        if Intake.objects.exists():
            if options["if_empty"]:
                return
            raise CommandError("Des concours existent déjà : utilisez une base sans concours.")
        if not 10 <= options["candidates"] <= 200_000:
            raise CommandError("--candidates doit être compris entre 10 et 200 000.")
        if not 0 <= options["graduates"] <= 500:
            raise CommandError("--graduates doit être compris entre 0 et 500.")
        today = timezone.localdate()
        if options["today"]:
            try:
                today = datetime.date.fromisoformat(options["today"])
            except ValueError:
                raise CommandError("--today attend une date AAAA-MM-JJ.") from None
        started = time.monotonic()
        created = seed_recruitment_demo(
            seed=options["seed"],
            today=today,
            candidates=options["candidates"],
            graduates=options["graduates"],
        )
        if options["verbosity"] >= 1:
            self.stdout.write(
                self.style.SUCCESS(
                    f"Concours de démonstration créés ({created} agents sortis de l'école) "
                    f"en {time.monotonic() - started:.1f} s."
                )
            )
