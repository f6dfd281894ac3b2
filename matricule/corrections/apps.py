from __future__ import annotations

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CorrectionsConfig(AppConfig):
    name = "matricule.corrections"
    verbose_name = _("Libre-service et corrections")
