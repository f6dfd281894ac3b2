"""Imports of officers and career history from XLSX/CSV files, kept with their report."""

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

    class Kind(models.TextChoices):
        OFFICERS = "officers", _("Agents")
        POSTING = "posting", _("Historique : affectations")
        GRADE = "grade", _("Historique : grades")
        STATUS = "status", _("Historique : positions")
        EXIT = "exit", _("Historique : sorties du service")
        FUNCTION = "function", _("Historique : fonctions")

    agency = models.ForeignKey(Agency, on_delete=models.PROTECT, verbose_name=_("agence"))
    kind = models.CharField(_("nature"), max_length=10, choices=Kind.choices, default=Kind.OFFICERS)
    file = models.FileField(_("fichier"), upload_to="imports/")
    filename = models.CharField(_("nom du fichier"), max_length=255)
    mode = models.CharField(_("mode"), max_length=12, choices=Mode.choices)
    mapping = models.JSONField(_("correspondance des colonnes"), default=dict, blank=True)
    # The source system (legacy identifiers, saved value mappings) and the reading options:
    # date orders, explicit value mappings, units to create.
    source = models.CharField(_("système d'origine"), max_length=60, blank=True)
    options = models.JSONField(_("options"), default=dict, blank=True)
    state = models.CharField(_("état"), max_length=10, choices=State.choices, default=State.PENDING)
    total_rows = models.PositiveIntegerField(_("lignes"), default=0)
    processed_rows = models.PositiveIntegerField(_("lignes traitées"), default=0)
    # Rows whose writes are committed (batches commit one after the other).
    committed_rows = models.PositiveIntegerField(_("lignes enregistrées"), default=0)
    created_count = models.PositiveIntegerField(_("créés"), default=0)
    updated_count = models.PositiveIntegerField(_("mis à jour"), default=0)
    unchanged_count = models.PositiveIntegerField(_("inchangés"), default=0)
    error_count = models.PositiveIntegerField(_("erreurs"), default=0)
    report = models.JSONField(_("rapport"), default=list, blank=True)
    # The legacy values found in the file, with their counts and how each is read.
    values = models.JSONField(_("valeurs trouvées"), default=dict, blank=True)
    created_at = models.DateTimeField(_("créé le"), auto_now_add=True)
    started_at = models.DateTimeField(_("commencé le"), null=True, blank=True)
    # Written by the running job at least every few seconds: a running job whose
    # heartbeat stops has lost its worker (see services.import_jobs_recover).
    heartbeat_at = models.DateTimeField(_("dernier signe de vie"), null=True, blank=True)
    finished_at = models.DateTimeField(_("terminé le"), null=True, blank=True)
    # Set when the system removed what a failed all-or-nothing import had committed.
    undone_at = models.DateTimeField(_("annulé le"), null=True, blank=True)
    # Set once every row is committed, before the exits' effects run (writing.exits_apply):
    # from then on the import is complete, never undone; an interrupted job finishes them.
    written_at = models.DateTimeField(_("écrit le"), null=True, blank=True)
    restarted_from = models.ForeignKey(
        "self",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("relance de l'import"),
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("par")
    )

    class Meta:
        verbose_name = _("import")
        verbose_name_plural = _("imports")
        ordering = ["-created_at"]
        indexes = [models.Index(fields=["state", "heartbeat_at"], name="importjob_state_beat")]

    def __str__(self) -> str:
        return f"{self.filename} ({self.get_state_display()})"

    @property
    def percent(self) -> int:
        if not self.total_rows:
            return 100 if self.state in (self.State.DONE, self.State.FAILED) else 0
        return min(100, round(100 * self.processed_rows / self.total_rows))

    @property
    def is_history(self) -> bool:
        return self.kind != self.Kind.OFFICERS


class ImportChange(models.Model):
    """What an import changed on an existing record, so the system can put it back."""

    job = models.ForeignKey(ImportJob, on_delete=models.CASCADE, related_name="changes")
    officer = models.ForeignKey("personnel.Officer", on_delete=models.CASCADE, related_name="+")
    before = models.JSONField(default=dict)

    class Meta:
        verbose_name = _("modification par import")
        verbose_name_plural = _("modifications par import")

    def __str__(self) -> str:
        return f"{self.job_id} → {self.officer_id}"


class ImportValueMap(models.Model):
    """How a value of a legacy source reads in the reference data (grade, unit, status…).

    Saved when a clerk maps a value, and used again by the next import of that source.
    """

    class Field(models.TextChoices):
        GRADE = "grade", _("grade")
        UNIT = "unit", _("unité")
        STATUS = "status", _("position")
        SEX = "sex", _("sexe")
        EXIT_REASON = "exit_reason", _("motif de sortie")

    agency = models.ForeignKey(Agency, on_delete=models.CASCADE, related_name="+")
    source = models.CharField(_("système d'origine"), max_length=60)
    field = models.CharField(_("champ"), max_length=12, choices=Field.choices)
    key = models.CharField(max_length=200)  # accent- and case-free form of the value
    value = models.CharField(_("valeur d'origine"), max_length=200)
    code = models.CharField(_("code"), max_length=40)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("correspondance de valeurs")
        verbose_name_plural = _("correspondances de valeurs")
        ordering = ["source", "field", "key"]
        constraints = [
            models.UniqueConstraint(
                fields=["agency", "source", "field", "key"],
                name="import_value_map_once",
                violation_error_message=_(
                    "Cette valeur d'origine a déjà une correspondance pour cette colonne."
                ),
            )
        ]

    def __str__(self) -> str:
        return f"{self.source} {self.field} {self.value} → {self.code}"
