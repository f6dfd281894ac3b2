"""Who looked at an officer's record: kept so every officer can see it (SPEC §3.7)."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class Channel(models.TextChoices):
    SCREEN = "screen", _("écran")
    EXPORT = "export", _("export")
    API = "api", _("API")
    PDF = "pdf", _("fiche PDF")


# Classes of data a view may show, the sensitive ones named as in SPEC §1.
DATA_CLASSES = {
    "record": _("dossier"),
    "career": _("carrière"),
    "documents": _("documents"),
    "identity": _("identité (NINA)"),
    "health": _("santé"),
    "discipline": _("discipline"),
    "biometric": _("photo"),
}


class RecordAccess(models.Model):
    officer = models.ForeignKey(
        "personnel.Officer",
        on_delete=models.CASCADE,
        related_name="accesses",
        verbose_name=_("agent"),
    )
    viewer = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("consulté par"),
    )
    at = models.DateTimeField(_("le"), auto_now_add=True, db_index=True)
    channel = models.CharField(_("moyen"), max_length=8, choices=Channel.choices)
    classes = models.CharField(_("données"), max_length=120)

    class Meta:
        verbose_name = _("consultation du dossier")
        verbose_name_plural = _("consultations des dossiers")
        ordering = ["-at", "-id"]
        indexes = [models.Index(fields=["officer", "-at"], name="access_officer_recent")]

    def __str__(self) -> str:
        return f"{self.viewer_id} → {self.officer_id} ({self.at:%d/%m/%Y %H:%M})"

    @property
    def class_labels(self) -> str:
        return ", ".join(str(DATA_CLASSES.get(c, c)) for c in self.classes.split(",") if c)
