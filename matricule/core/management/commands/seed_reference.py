"""Load or refresh the Mali reference data (agencies, regions, units, grades, skills…).

Safe to run again: rows are matched by code and updated in place.
"""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand

from matricule.core.seeding import seed_reference


class Command(BaseCommand):
    help = __doc__

    def handle(self, *args: Any, **options: Any) -> None:
        counts = seed_reference()
        if options["verbosity"] >= 1:
            summary = ", ".join(f"{n} {kind}" for kind, n in counts.items())
            self.stdout.write(self.style.SUCCESS(f"Référentiel chargé : {summary}."))
