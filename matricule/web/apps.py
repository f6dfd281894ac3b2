from __future__ import annotations

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class WebConfig(AppConfig):
    """The web shell: home page, navigation, audit and reference screens (a top layer)."""

    name = "matricule.web"
    label = "web"
    verbose_name = _("Interface")

    def ready(self) -> None:
        from django.contrib import admin

        from matricule.core.admin import make_admin_read_only

        # The admin app has loaded every app's admin module by now (autodiscover runs in
        # its own ready(), earlier in INSTALLED_APPS): lock them all, ours and libraries'.
        make_admin_read_only(admin.site)
