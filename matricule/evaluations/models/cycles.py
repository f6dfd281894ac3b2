"""Annual evaluation cycles (campagnes de notation) and who they leave out, and why."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from matricule.core.models import Agency, Unit
from matricule.personnel.models import Officer


class CycleStatus(models.TextChoices):
    OPEN = "open", _("Ouverte")
    CLOSED = "closed", _("Clôturée")


class Cycle(models.Model):
    """The annual campaign of an agency, or of a unit subtree when `unit` is set."""

    agency = models.ForeignKey(
        Agency, on_delete=models.PROTECT, related_name="+", verbose_name=_("agence")
    )
    unit = models.ForeignKey(
        Unit,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("unité (et ses subdivisions)"),
        help_text=_("Vide : toute l'agence."),
    )
    year = models.PositiveSmallIntegerField(_("année"))
    period_start = models.DateField(_("période du"))
    period_end = models.DateField(_("au"))
    reference_date = models.DateField(
        _("date de référence"),
        help_text=_("Les évaluateurs sont les chefs d'unité en fonction à cette date."),
    )
    self_deadline = models.DateField(_("auto-évaluation avant le"))
    rating_deadline = models.DateField(_("notation avant le"))
    review_deadline = models.DateField(_("revue au second niveau avant le"))
    appeal_days = models.PositiveSmallIntegerField(
        _("délai de recours (jours)"), default=15, help_text=_("Après la revue au second niveau.")
    )
    reminder_days = models.PositiveSmallIntegerField(
        _("rappel (jours avant l'échéance)"), default=3
    )
    # Exclusion rules (configurable per cycle).
    min_presence_months = models.PositiveSmallIntegerField(_("présence minimale (mois)"), default=6)
    exclude_leave = models.BooleanField(_("exclure les agents en congé long"), default=True)
    exclude_training = models.BooleanField(
        _("exclure les agents en formation initiale"), default=True
    )
    exclude_suspended = models.BooleanField(_("exclure les agents suspendus"), default=True)
    status = models.CharField(
        _("état"), max_length=8, choices=CycleStatus.choices, default=CycleStatus.OPEN
    )
    opened_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    opened_at = models.DateTimeField(_("ouverte le"), auto_now_add=True)
    closed_at = models.DateTimeField(_("close le"), null=True, blank=True)
    version = models.PositiveIntegerField(default=1, editable=False)

    class Meta:
        verbose_name = _("campagne de notation")
        verbose_name_plural = _("campagnes de notation")
        ordering = ["agency", "-year", "id"]
        indexes = [models.Index(fields=["agency", "status", "year"], name="cycle_agency_status")]
        constraints = [
            models.UniqueConstraint(
                fields=["agency", "year"],
                condition=Q(unit__isnull=True),
                name="cycle_once_per_agency_year",
                violation_error_message=_("La campagne de cette année est déjà ouverte."),
            ),
            models.UniqueConstraint(
                fields=["unit", "year"],
                condition=Q(unit__isnull=False),
                name="cycle_once_per_unit_year",
                violation_error_message=_(
                    "Une campagne de cette année est déjà ouverte pour cette unité."
                ),
            ),
            models.CheckConstraint(
                condition=Q(period_end__gt=models.F("period_start")),
                name="cycle_period_ordered",
                violation_error_message=_("La fin de la période doit suivre son début."),
            ),
            models.CheckConstraint(
                condition=Q(rating_deadline__gte=models.F("self_deadline"))
                & Q(review_deadline__gte=models.F("rating_deadline")),
                name="cycle_deadlines_ordered",
                violation_error_message=_(
                    "Les échéances se suivent : auto-évaluation, notation, revue."
                ),
            ),
            models.CheckConstraint(
                condition=Q(status__in=["open", "closed"]),
                name="cycle_status_valid",
                violation_error_message=_("État de campagne inconnu."),
            ),
        ]

    def __str__(self) -> str:
        scope = self.unit.name if self.unit_id and self.unit else self.agency.short_name
        return _("Notation %(year)s — %(scope)s") % {"year": self.year, "scope": scope}

    @property
    def is_open(self) -> bool:
        return self.status == CycleStatus.OPEN


class ExclusionReason(models.TextChoices):
    PRESENCE = "presence", _("Présence insuffisante sur la période")
    LEAVE = "leave", _("Congé de longue durée")
    TRAINING = "training", _("En formation initiale")
    SUSPENDED = "suspended", _("Suspendu")
    ALREADY = "already", _("Déjà évalué cette année dans une autre campagne")


class Exclusion(models.Model):
    """An officer in scope who gets no evaluation in a cycle, with the reason.

    HR may reinstate them (the exclusion is appealed): an evaluation is then created.
    """

    cycle = models.ForeignKey(
        Cycle, on_delete=models.CASCADE, related_name="exclusions", verbose_name=_("campagne")
    )
    officer = models.ForeignKey(
        Officer, on_delete=models.PROTECT, related_name="+", verbose_name=_("agent")
    )
    reason = models.CharField(_("motif"), max_length=10, choices=ExclusionReason.choices)
    detail = models.CharField(_("précision"), max_length=255, blank=True)
    reinstated_at = models.DateTimeField(_("réintégré le"), null=True, blank=True)
    reinstated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    reinstated_reason = models.TextField(_("motif de la réintégration"), blank=True)

    class Meta:
        verbose_name = _("exclusion de la campagne")
        verbose_name_plural = _("exclusions de la campagne")
        ordering = ["cycle", "reason", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["cycle", "officer"],
                name="exclusion_once_per_cycle",
                violation_error_message=_("Cet agent est déjà exclu de cette campagne."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.officer_id} — {self.get_reason_display()}"
