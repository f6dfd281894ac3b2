"""Audit labels of reports (registered by ReportsConfig.ready): reports write only their exports."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from matricule.core.audit_labels import AuditVocabulary

REPORTS_VOCABULARY = AuditVocabulary(
    actions={
        "report.export": _("Rapport exporté"),
        "report.monthly_state": _("État mensuel des effectifs édité"),
    },
    fields={
        "report": _("Rapport"),
        "format": _("Format"),
        "filters": _("Filtres"),
    },
)
