from __future__ import annotations

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PromotionsConfig(AppConfig):
    name = "matricule.promotions"
    label = "promotions"
    verbose_name = _("Avancement")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from matricule.accounts.hooks import home_tasks
        from matricule.core.audit_labels import audit_vocabularies
        from matricule.core.constraints import constraint_fields
        from matricule.promotions.home import promotion_tasks
        from matricule.promotions.vocabulary import CONSTRAINT_FIELDS, PROMOTIONS_VOCABULARY

        audit_vocabularies.register("promotions", PROMOTIONS_VOCABULARY)
        constraint_fields.update(CONSTRAINT_FIELDS)
        home_tasks.register("promotions.board", promotion_tasks)
