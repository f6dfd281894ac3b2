"""Check the audit trail's hash chain; exit 0 with the count, or 1 naming the first bad entry."""

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
            self.stderr.write(
                self.style.ERROR(
                    f"Piste d'audit altérée : entrée n° {problem.seq} — {problem.reason} "
                    f"({count} entrées intactes avant elle)."
                )
            )
            sys.exit(1)
        self.stdout.write(self.style.SUCCESS(f"Piste d'audit intacte : {count} entrées vérifiées."))
