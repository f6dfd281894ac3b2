from __future__ import annotations

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CoreConfig(AppConfig):
    """Reference data, scopes' building blocks, the audit trail and pure helpers."""

    name = "matricule.core"
    label = "core"
    verbose_name = _("Référentiels et audit")

    def ready(self) -> None:
        from django.core import checks

        from matricule.core.audit_labels import audit_vocabularies
        from matricule.core.checks import interrupted_restore_check
        from matricule.core.constraints import constraint_fields
        from matricule.core.vocabulary import CONSTRAINT_FIELDS, CORE_VOCABULARY

        checks.register(interrupted_restore_check)
        audit_vocabularies.register("core", CORE_VOCABULARY)
        constraint_fields.update(CONSTRAINT_FIELDS)
