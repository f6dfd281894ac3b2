"""Compile the committed .po files to .mo with polib (no GNU gettext needed on the machine)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import polib
from django.apps import apps
from django.conf import settings
from django.core.management.base import BaseCommand


class Command(BaseCommand):
    help = __doc__

    def handle(self, *args: Any, **options: Any) -> None:
        compiled = 0
        # The project catalogue, plus each app's own (matricule/<app>/locale/), which Django
        # also reads: a new app keeps its translations beside its code.
        app_dirs = [
            Path(c.path) / "locale"
            for c in apps.get_app_configs()
            if c.name.startswith("matricule.")
        ]
        locale_dirs = [Path(d) for d in settings.LOCALE_PATHS] + [d for d in app_dirs if d.is_dir()]
        for locale_dir in dict.fromkeys(locale_dirs):
            for po_path in locale_dir.glob("*/LC_MESSAGES/*.po"):
                mo_path = po_path.with_suffix(".mo")
                if mo_path.exists() and mo_path.stat().st_mtime >= po_path.stat().st_mtime:
                    continue
                polib.pofile(str(po_path)).save_as_mofile(str(mo_path))
                compiled += 1
                if options["verbosity"] >= 2:
                    self.stdout.write(f"compilé : {mo_path}")
        if options["verbosity"] >= 1:
            self.stdout.write(f"{compiled} catalogue(s) de traduction compilé(s).")
