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
    "training": _("formation"),
    "card": _("carte professionnelle"),
    "identity": _("identité (NINA)"),
    "health": _("santé"),
    "discipline": _("discipline"),
    "biometric": _("photo"),
    "evaluation": _("évaluation (note)"),
}


class RecordAccess(models.Model):
    """One consultation: of one record, or of many at once (an export, one row per export)."""

    officer = models.ForeignKey(
        "personnel.Officer",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="accesses",
        verbose_name=_("agent"),
    )
    # The agency of the officer (or, for an export, of the officers exported: inspectors of
    # that agency see the row); for an export, how many and their ids as ",12,57," so an
    # officer finds the exports that included them with a plain LIKE on both databases.
    agency = models.ForeignKey(
        "core.Agency", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    officer_count = models.PositiveIntegerField(_("dossiers"), default=1)
    officer_ids = models.TextField(blank=True, default="")
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
        # The consultation screens read pages newest first by (at, id) from these, never
        # counting: one officer's rows; an agency's rows (inspectors, and the exports that
        # may name an officer).
        indexes = [
            models.Index(fields=["officer", "-at", "-id"], name="access_officer_recent"),
            models.Index(fields=["agency", "-at", "-id"], name="access_agency_recent"),
            # Exports only (a few in a thousand rows): where an officer's page looks for them.
            models.Index(
                fields=["agency", "-at", "-id"],
                condition=models.Q(officer__isnull=True),
                name="access_exports_recent",
            ),
            models.Index(fields=["channel", "-at"], name="access_channel_recent"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(officer__isnull=False) | models.Q(agency__isnull=False),
                name="access_names_officer_or_agency",
                violation_error_message=_("Une consultation nomme un agent ou une agence."),
            )
        ]

    def __str__(self) -> str:
        target = self.officer_id or f"{self.officer_count}×"
        return f"{self.viewer_id} → {target} ({self.at:%d/%m/%Y %H:%M})"

    @property
    def class_labels(self) -> str:
        return ", ".join(str(DATA_CLASSES.get(c, c)) for c in self.classes.split(",") if c)
