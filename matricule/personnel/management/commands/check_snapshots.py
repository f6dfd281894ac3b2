"""Prove that every officer's current situation (snapshot) equals what the career events say.

Exit 0 with the count when all agree; exit 1 listing the first disagreements.
`--fix` rewrites the disagreeing snapshots from the events (in one transaction each).
"""

from __future__ import annotations

import sys
from collections import defaultdict
from typing import Any

from django.core.management.base import BaseCommand, CommandParser
from django.db import transaction
from django.utils import timezone

from matricule.personnel.models import CareerEvent, Officer
from matricule.personnel.services import snapshot_expected, snapshot_save

BATCH = 2000
FIELDS = ["unit_id", "grade_id", "status", "function", "host_unit_id", "entry_date", "exit_date"]


class Command(BaseCommand):
    help = __doc__

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--fix",
            action="store_true",
            help="réécrire les instantanés en désaccord à partir des événements",
        )
        parser.add_argument(
            "--show", type=int, default=20, help="nombre de désaccords affichés (défaut : 20)"
        )

    def handle(self, *args: Any, **options: Any) -> None:
        today = timezone.localdate()
        checked = 0
        bad: list[tuple[Officer, dict[str, Any]]] = []
        last_id = 0
        while True:
            officers = list(Officer.objects.filter(pk__gt=last_id).order_by("pk")[:BATCH])
            if not officers:
                break
            last_id = officers[-1].pk
            events: dict[int, list[CareerEvent]] = defaultdict(list)
            for ev in CareerEvent.objects.filter(
                officer_id__in=[o.pk for o in officers], is_superseded=False
            ):
                events[ev.officer_id].append(ev)
            for officer in officers:
                checked += 1
                expected = snapshot_expected(events[officer.pk], today)
                if expected is None:
                    bad.append((officer, {"events": "aucune entrée en service"}))
                    continue
                diff = {
                    k: (getattr(officer, k), v)
                    for k, v in expected.items()
                    if getattr(officer, k) != v
                }
                if diff:
                    bad.append((officer, diff))
        if options["fix"]:
            for officer, diff in bad:
                if "events" in diff:
                    continue
                with transaction.atomic():
                    snapshot_save(officer, list(officer.events.filter(is_superseded=False)))
            self.stdout.write(f"{len(bad)} instantané(s) réécrit(s) sur {checked}.")
            return
        if bad:
            for officer, diff in bad[: options["show"]]:
                detail = ", ".join(f"{k}: {v}" for k, v in diff.items())
                self.stderr.write(f"{officer.matricule} : {detail}")
            self.stderr.write(
                self.style.ERROR(
                    f"{len(bad)} dossier(s) sur {checked} en désaccord avec leurs événements."
                )
            )
            sys.exit(1)
        self.stdout.write(
            self.style.SUCCESS(
                f"{checked} dossiers vérifiés : instantanés conformes aux événements."
            )
        )
