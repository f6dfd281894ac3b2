"""Prove that every officer's situation periods equal what the career events say.

The reports count the force on past dates from `SituationPeriod`; this command replays
each officer's events (`personnel.career.situation_spans`) and compares. Exit 0 with the
count when all agree; exit 1 listing the first disagreements. `--fix` rewrites the
disagreeing officers' periods from their events (one transaction per batch); with
`--dry-run` it only says how many it would rewrite.
"""

from __future__ import annotations

import sys
from typing import Any

from django.core.management.base import BaseCommand, CommandParser
from django.db import transaction

from matricule.personnel.models import Officer
from matricule.personnel.services.periods import (
    REBUILD_CHUNK,
    periods_expected,
    periods_rebuild,
    periods_stored,
)


class Command(BaseCommand):
    help = __doc__

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--fix",
            action="store_true",
            help="réécrire les périodes en désaccord à partir des événements",
        )
        parser.add_argument(
            "--dry-run", action="store_true", help="avec --fix : compter sans rien écrire"
        )
        parser.add_argument(
            "--show", type=int, default=20, help="nombre de désaccords affichés (défaut : 20)"
        )

    def handle(self, *args: Any, **options: Any) -> None:
        checked = 0
        bad: list[tuple[str, int]] = []
        last_id = 0
        while True:
            batch = list(
                Officer.objects.filter(pk__gt=last_id)
                .order_by("pk")
                .values_list("pk", "matricule")[:REBUILD_CHUNK]
            )
            if not batch:
                break
            last_id = batch[-1][0]
            ids = [pk for pk, _m in batch]
            expected = periods_expected(ids)
            stored = periods_stored(ids)
            checked += len(ids)
            bad.extend((m, pk) for pk, m in batch if expected[pk] != stored.get(pk, []))
        if options["fix"]:
            if not options["dry_run"]:
                ids = [pk for _m, pk in bad]
                for start in range(0, len(ids), REBUILD_CHUNK):
                    with transaction.atomic():
                        periods_rebuild(officer_ids=ids[start : start + REBUILD_CHUNK])
            verb = "à réécrire" if options["dry_run"] else "réécrit(s)"
            self.stdout.write(f"{len(bad)} dossier(s) {verb} sur {checked}.")
            return
        if bad:
            if options["verbosity"] > 0:
                for matricule, _pk in bad[: options["show"]]:
                    self.stderr.write(f"{matricule} : périodes différentes des événements")
            self.stderr.write(
                self.style.ERROR(
                    f"{len(bad)} dossier(s) sur {checked} : périodes de situation en désaccord "
                    "avec leurs événements."
                )
            )
            sys.exit(1)
        if options["verbosity"] > 0:
            self.stdout.write(
                self.style.SUCCESS(
                    f"{checked} dossiers vérifiés : périodes de situation conformes aux événements."
                )
            )
