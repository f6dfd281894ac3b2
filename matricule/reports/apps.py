from __future__ import annotations

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ReportsConfig(AppConfig):
    name = "matricule.reports"
    label = "reports"
    verbose_name = _("Rapports et tableaux de bord")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from matricule.core.audit_labels import audit_vocabularies
        from matricule.reports.vocabulary import REPORTS_VOCABULARY

        audit_vocabularies.register("reports", REPORTS_VOCABULARY)
