from __future__ import annotations

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PersonnelConfig(AppConfig):
    name = "matricule.personnel"
    label = "personnel"
    verbose_name = _("Personnel")

    def ready(self) -> None:
        from matricule.accounts.services import officer_login_close
        from matricule.personnel import hooks
        from matricule.personnel.profile import PERSONNEL_TABS

        for tab in PERSONNEL_TABS:
            hooks.profile_tabs.register(f"personnel.{tab.slug}", tab)

        def close_login(context: hooks.ExitContext) -> None:
            # Accounts sit below personnel, so personnel wires their service in itself.
            officer_login_close(
                officer_id=context.officer.pk,
                reason=str(context.event.get_kind_display()),
                on=context.event.effective_date,
                by=context.by,
            )

        hooks.exit_handlers.register("accounts.close_login", close_login)

        from matricule.core.audit_labels import audit_vocabularies
        from matricule.personnel.vocabulary import PERSONNEL_VOCABULARY

        audit_vocabularies.register("personnel", PERSONNEL_VOCABULARY)

        from matricule.core.constraints import constraint_fields
        from matricule.personnel.vocabulary import CONSTRAINT_FIELDS

        constraint_fields.update(CONSTRAINT_FIELDS)

        from matricule.accounts.hooks import home_tasks
        from matricule.personnel.home import import_tasks, secondment_tasks

        home_tasks.register("personnel.imports", import_tasks)
        home_tasks.register("personnel.secondments", secondment_tasks)

        from matricule.core.hooks import worker_recoveries
        from matricule.personnel.importing.services import import_jobs_recover

        worker_recoveries.register("personnel.imports", lambda: len(import_jobs_recover()))
