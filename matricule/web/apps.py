from __future__ import annotations

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class WebConfig(AppConfig):
    """The web shell: home page, navigation, audit and reference screens (a top layer)."""

    name = "matricule.web"
    label = "web"
    verbose_name = _("Interface")
