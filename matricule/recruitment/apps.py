from __future__ import annotations

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class RecruitmentConfig(AppConfig):
    name = "matricule.recruitment"
    label = "recruitment"
    verbose_name = _("Recrutement")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from matricule.core.audit_labels import audit_vocabularies
        from matricule.recruitment.vocabulary import RECRUITMENT_VOCABULARY

        audit_vocabularies.register("recruitment", RECRUITMENT_VOCABULARY)

        from matricule.core.constraints import constraint_fields
        from matricule.recruitment.vocabulary import CONSTRAINT_FIELDS

        constraint_fields.update(CONSTRAINT_FIELDS)

        from matricule.personnel import hooks
        from matricule.recruitment.selectors import school_cohorts

        hooks.school_cohorts.register("recruitment", school_cohorts)
