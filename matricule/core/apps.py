from __future__ import annotations

from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "matricule.core"
    label = "core"

    def ready(self) -> None:
        from django.core import checks

        from matricule.core.checks import interrupted_restore_check

        checks.register(interrupted_restore_check)
