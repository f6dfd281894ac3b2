from __future__ import annotations

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class TrainingConfig(AppConfig):
    name = "matricule.training"
    label = "training"
    verbose_name = _("Formation et compétences")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from matricule.personnel import hooks
        from matricule.training.selectors import skill_held

        hooks.profile_tabs.register(
            "training.training",
            hooks.ProfileTab("training", _("Formation"), "training:officer_training", 50),
        )
        from matricule.core.audit_labels import audit_vocabularies
        from matricule.training.vocabulary import TRAINING_VOCABULARY

        audit_vocabularies.register("training", TRAINING_VOCABULARY)

        from matricule.core.constraints import constraint_fields
        from matricule.training.vocabulary import CONSTRAINT_FIELDS

        constraint_fields.update(CONSTRAINT_FIELDS)

        from matricule.accounts.hooks import home_tasks
        from matricule.training.home import training_tasks

        home_tasks.register("training.sessions", training_tasks)
        hooks.skill_conditions.register(
            "training.skill_held",
            lambda skill_id, level, day: skill_held(skill_id=skill_id, level=level, on=day),
        )
