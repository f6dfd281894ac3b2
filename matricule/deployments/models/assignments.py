"""Officers assigned to positions: the plan, and what was written on their careers."""

from __future__ import annotations

import datetime

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from matricule.deployments.models.operations import Operation, Position
from matricule.personnel.models import CareerEvent, Officer


class AssignmentState(models.TextChoices):
    PLANNED = "planned", _("Prévue")
    ACTIVE = "active", _("En cours")
    ENDED = "ended", _("Terminée")
    CANCELLED = "cancelled", _("Annulée")


# States that hold the officer over the assignment's days (a cancelled one holds nothing).
HOLDING_STATES = (AssignmentState.PLANNED, AssignmentState.ACTIVE, AssignmentState.ENDED)


class Assignment(models.Model):
    """One officer on one position, from `start_date` to `end_date` inclusive.

    The assignment is the plan. The career receives a "deployed" status event dated
    `start_date` once that day has come (at assignment time, or by the daily command
    `deployment_start_due`), and an "active" event dated the day after `end_date` once
    that day has come: the return. `end_date` empty: open-ended.
    """

    position = models.ForeignKey(
        Position, on_delete=models.PROTECT, related_name="assignments", verbose_name=_("poste")
    )
    # A copy of the position's operation: the officer's rotation history is one index.
    operation = models.ForeignKey(
        Operation, on_delete=models.PROTECT, related_name="assignments", verbose_name=_("opération")
    )
    officer = models.ForeignKey(
        Officer,
        on_delete=models.PROTECT,
        related_name="deployment_assignments",
        verbose_name=_("agent"),
    )
    start_date = models.DateField(_("du"))
    end_date = models.DateField(_("au"), null=True, blank=True)
    planned_end_date = models.DateField(_("fin prévue à l'origine"), null=True, blank=True)
    state = models.CharField(
        _("état"), max_length=10, choices=AssignmentState.choices, default=AssignmentState.PLANNED
    )
    cut_short = models.BooleanField(_("écourtée"), default=False)
    end_reason = models.CharField(_("motif de fin ou d'annulation"), max_length=255, blank=True)
    deployed_event = models.ForeignKey(
        CareerEvent,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("départ inscrit à la carrière"),
    )
    return_event = models.ForeignKey(
        CareerEvent,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("retour inscrit à la carrière"),
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("affectation en mission")
        verbose_name_plural = _("affectations en mission")
        ordering = ["-start_date", "-id"]
        indexes = [
            # Overlap checks and the rotation history: one officer's assignments by date.
            models.Index(fields=["officer", "start_date", "end_date"], name="assignment_officer"),
            models.Index(fields=["position", "state"], name="assignment_position"),
            # The daily command: planned assignments whose start has come, active ones ending.
            models.Index(fields=["state", "start_date"], name="assignment_due"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(end_date__isnull=True) | Q(end_date__gte=models.F("start_date")),
                name="assignment_dates_ordered",
                violation_error_message=_("La fin de la mission précède son début."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.officer} — {self.position}"

    def days_label(self) -> str:
        end = f"{self.end_date:%d/%m/%Y}" if self.end_date else _("sans date de fin")
        return f"{self.start_date:%d/%m/%Y} → {end}"

    def covers(self, day: datetime.date) -> bool:
        return self.start_date <= day and (self.end_date is None or day <= self.end_date)
