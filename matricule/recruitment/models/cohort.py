"""The school cohort formed by the admitted candidates, and its trainees."""

from __future__ import annotations

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from matricule.core.models import Unit
from matricule.recruitment.models.candidate import Candidate
from matricule.recruitment.models.intake import Intake


class Cohort(models.Model):
    """The school promotion formed by the admitted candidates of an intake."""

    intake = models.OneToOneField(
        Intake, on_delete=models.PROTECT, related_name="cohort", verbose_name=_("concours")
    )
    number = models.PositiveIntegerField(_("numéro de promotion"))
    parrain = models.CharField(_("nom du parrain"), max_length=150)
    school = models.ForeignKey(Unit, on_delete=models.PROTECT, verbose_name=_("école"))
    starts_on = models.DateField(_("début de la formation"))
    ends_on = models.DateField(_("fin de la formation"))
    graduated_on = models.DateField(_("date de sortie"), null=True, blank=True)
    act_number = models.CharField(_("numéro de l'acte de nomination"), max_length=60, blank=True)

    class Meta:
        verbose_name = _("promotion")
        verbose_name_plural = _("promotions")
        ordering = ["-number"]
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_on__gt=models.F("starts_on")),
                name="cohort_dates_ordered",
                violation_error_message=_("La fin de la formation doit suivre son début."),
            ),
        ]

    def __str__(self) -> str:
        return self.name_of(self.number, self.parrain)

    @staticmethod
    def name_of(number: int, parrain: str) -> str:
        """The promotion's name as the school gives it: « 12e promotion « parrain » »."""
        return f"{number}e promotion « {parrain} »"


class CohortMember(models.Model):
    """A trainee of the cohort: training result and first posting (the assignment table)."""

    cohort = models.ForeignKey(
        Cohort, on_delete=models.CASCADE, related_name="members", verbose_name=_("promotion")
    )
    candidate = models.OneToOneField(
        Candidate,
        on_delete=models.PROTECT,
        related_name="cohort_member",
        verbose_name=_("candidat"),
    )
    training_mark = models.DecimalField(
        _("moyenne de formation"), max_digits=5, decimal_places=2, null=True, blank=True
    )
    passed = models.BooleanField(_("formation validée"), null=True, blank=True)
    remark = models.CharField(_("observation"), max_length=255, blank=True)
    first_unit = models.ForeignKey(
        Unit,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("première affectation"),
    )

    class Meta:
        verbose_name = _("élève")
        verbose_name_plural = _("élèves")
        ordering = ["cohort", "candidate__family_name", "candidate__given_names"]
        constraints = [
            models.CheckConstraint(
                condition=Q(training_mark__isnull=True)
                | (Q(training_mark__gte=0) & Q(training_mark__lte=20)),
                name="member_mark_range",
                violation_error_message=_("La note de formation est comprise entre 0 et 20."),
            ),
        ]

    def __str__(self) -> str:
        return str(self.candidate)
