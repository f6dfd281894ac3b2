from __future__ import annotations

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DemoConfig(AppConfig):
    """Demo data: `seed_demo` runs each app's `demo.py` in order (a top layer)."""

    name = "matricule.demo"
    label = "demo"
    verbose_name = _("Démonstration")

    def ready(self) -> None:
        from django.utils.translation import gettext_lazy as _

        from matricule.core.audit_labels import AuditVocabulary, audit_vocabularies

        audit_vocabularies.register(
            "demo", AuditVocabulary(actions={"demo.seed": _("Démonstration : données générées")})
        )
