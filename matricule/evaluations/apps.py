from __future__ import annotations

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class EvaluationsConfig(AppConfig):
    name = "matricule.evaluations"
    label = "evaluations"
    verbose_name = _("Évaluations (notation)")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from matricule.core.audit_labels import audit_vocabularies
        from matricule.core.constraints import constraint_fields
        from matricule.evaluations.vocabulary import CONSTRAINT_FIELDS, EVALUATIONS_VOCABULARY

        audit_vocabularies.register("evaluations", EVALUATIONS_VOCABULARY)
        constraint_fields.update(CONSTRAINT_FIELDS)

        from matricule.accounts.hooks import home_tasks
        from matricule.evaluations.home import evaluation_tasks

        home_tasks.register("evaluations.work", evaluation_tasks)
