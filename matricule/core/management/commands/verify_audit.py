"""Check the audit trail: every link, every keyed hash and the signed checkpoint.

Seals the committed entries still waiting, then exits 0 with the count, or 1 naming the
first bad entry.
"""

from __future__ import annotations

import sys
from typing import Any

from django.core.management.base import BaseCommand

from matricule.core.audit import audit_verify


class Command(BaseCommand):
    help = __doc__

    def handle(self, *args: Any, **options: Any) -> None:
        count, problem = audit_verify()
        if problem is not None:
            where = f"entrée n° {problem.seq}" if problem.seq else "entrée non scellée"
            if problem.entry_id is not None:
                where += f" (identifiant {problem.entry_id})"
            self.stderr.write(
                self.style.ERROR(
                    f"Piste d'audit altérée : {where} — {problem.reason} "
                    f"({count} entrées intactes avant elle)."
                )
            )
            sys.exit(1)
        self.stdout.write(self.style.SUCCESS(f"Piste d'audit intacte : {count} entrées vérifiées."))
