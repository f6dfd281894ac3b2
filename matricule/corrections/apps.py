from __future__ import annotations

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CorrectionsConfig(AppConfig):
    name = "matricule.corrections"
    verbose_name = _("Libre-service et corrections")

    def ready(self) -> None:
        from matricule.core.audit_labels import audit_vocabularies
        from matricule.corrections.vocabulary import CORRECTIONS_VOCABULARY

        audit_vocabularies.register("corrections", CORRECTIONS_VOCABULARY)

        from matricule.core.constraints import constraint_fields
        from matricule.corrections.vocabulary import CONSTRAINT_FIELDS

        constraint_fields.update(CONSTRAINT_FIELDS)

        from matricule.accounts.hooks import home_tasks
        from matricule.corrections.home import correction_tasks

        home_tasks.register("corrections.queue", correction_tasks)
