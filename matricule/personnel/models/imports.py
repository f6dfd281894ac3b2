"""Imports of officers from XLSX/CSV files, kept with their report."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from matricule.core.models import Agency


class ImportJob(models.Model):
    class State(models.TextChoices):
        PENDING = "pending", _("En attente")
        RUNNING = "running", _("En cours")
        DONE = "done", _("Terminé")
        FAILED = "failed", _("Échec")

    class Mode(models.TextChoices):
        DRY_RUN = "dry_run", _("Essai (rien n'est enregistré)")
        ATOMIC = "atomic", _("Tout ou rien : le fichier entier, seulement s'il est sans erreur")
        VALID_ROWS = "valid_rows", _("Lignes valides seulement")

    agency = models.ForeignKey(Agency, on_delete=models.PROTECT, verbose_name=_("agence"))
    file = models.FileField(_("fichier"), upload_to="imports/")
    filename = models.CharField(_("nom du fichier"), max_length=255)
    mode = models.CharField(_("mode"), max_length=12, choices=Mode.choices)
    mapping = models.JSONField(_("correspondance des colonnes"), default=dict, blank=True)
    state = models.CharField(_("état"), max_length=10, choices=State.choices, default=State.PENDING)
    total_rows = models.PositiveIntegerField(_("lignes"), default=0)
    processed_rows = models.PositiveIntegerField(_("lignes traitées"), default=0)
    created_count = models.PositiveIntegerField(_("créés"), default=0)
    updated_count = models.PositiveIntegerField(_("mis à jour"), default=0)
    unchanged_count = models.PositiveIntegerField(_("inchangés"), default=0)
    error_count = models.PositiveIntegerField(_("erreurs"), default=0)
    report = models.JSONField(_("rapport"), default=list, blank=True)
    created_at = models.DateTimeField(_("créé le"), auto_now_add=True)
    finished_at = models.DateTimeField(_("terminé le"), null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("par")
    )

    class Meta:
        verbose_name = _("import")
        verbose_name_plural = _("imports")
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.filename} ({self.get_state_display()})"

    @property
    def percent(self) -> int:
        if not self.total_rows:
            return 100 if self.state in (self.State.DONE, self.State.FAILED) else 0
        return min(100, round(100 * self.processed_rows / self.total_rows))
