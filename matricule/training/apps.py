from __future__ import annotations

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class TrainingConfig(AppConfig):
    name = "matricule.training"
    label = "training"
    verbose_name = _("Formation et compétences")
    default_auto_field = "django.db.models.BigAutoField"
