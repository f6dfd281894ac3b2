from __future__ import annotations

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DeploymentsConfig(AppConfig):
    name = "matricule.deployments"
    label = "deployments"
    verbose_name = _("Opérations et déploiements")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from matricule.deployments.access import READ_PERMS
        from matricule.deployments.services.assignments import assignments_end_for_exit
        from matricule.personnel import hooks

        def end_assignments(context: hooks.ExitContext) -> None:
            assignments_end_for_exit(
                officer=context.officer, exit_date=context.event.effective_date, by=context.by
            )

        hooks.exit_handlers.register("deployments.end_assignments", end_assignments)

        from matricule.core.audit_labels import audit_vocabularies
        from matricule.core.constraints import constraint_fields
        from matricule.deployments.vocabulary import CONSTRAINT_FIELDS, DEPLOYMENTS_VOCABULARY

        audit_vocabularies.register("deployments", DEPLOYMENTS_VOCABULARY)
        constraint_fields.update(CONSTRAINT_FIELDS)
        hooks.profile_tabs.register(
            "deployments.missions",
            hooks.ProfileTab(
                "missions",
                _("Missions"),
                "deployments:officer_missions",
                60,
                visible=lambda perms: bool(perms & READ_PERMS),
            ),
        )
