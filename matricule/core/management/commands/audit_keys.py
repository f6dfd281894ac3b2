"""The audit trail's sealing keys and checkpoint (kept in MATRICULE_AUDIT_KEY_DIR).

    python manage.py audit_keys list      # the keys, newest (the one sealing) last
    python manage.py audit_keys rotate    # a new sealing key; older keys keep verifying
    python manage.py audit_keys seal      # seal pending entries and write the checkpoint now

Back the folder up with the database (`backup` includes it) and keep a copy off the
server: without the keys, the trail can no longer be verified.
"""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from matricule.core import audit_keys
from matricule.core.audit import audit_seal


class Command(BaseCommand):
    help = __doc__

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("action", choices=["list", "rotate", "seal"])

    def handle(self, *args: Any, **options: Any) -> None:
        if options["action"] == "rotate":
            kid = audit_keys.key_rotate()
            self.stdout.write(f"Nouvelle clé de scellement : {kid}")
            return
        if options["action"] == "seal":
            result = audit_seal()
            self.stdout.write(
                f"{result.sealed} entrée(s) scellée(s) ; dernière position : {result.head_seq}."
            )
            return
        folder = audit_keys.key_dir()
        self.stdout.write(f"Dossier : {folder}")
        kids = audit_keys.key_ids()
        for kid in kids:
            marker = " (scelle)" if kid == kids[-1] else ""
            self.stdout.write(f"  {kid}{marker}")
        point = audit_keys.checkpoint_read()
        if point is not None:
            self.stdout.write(f"Point de contrôle : n° {point.seq} le {point.at}")
