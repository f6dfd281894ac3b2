"""Campaigns, their eligibility runs (frozen inputs, versioned) and vacancies."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from matricule.core.models import Agency, Grade
from matricule.personnel.models import Officer
from matricule.promotions.models.rules import PromotionRule, Route


class CampaignStatus(models.TextChoices):
    DRAFT = "draft", _("En préparation")
    BOARD = "board", _("Devant la commission")
    PUBLISHED = "published", _("Tableau publié")
    EFFECTED = "effected", _("Avancements prononcés")


class Campaign(models.Model):
    """One year's promotion exercise of an agency (tableau d'avancement)."""

    agency = models.ForeignKey(Agency, on_delete=models.PROTECT, verbose_name=_("agence"))
    year = models.PositiveSmallIntegerField(_("année"))
    name = models.CharField(_("intitulé"), max_length=200)
    reference_date = models.DateField(_("date de référence"))
    effective_date = models.DateField(_("date d'effet des avancements"))
    appeal_days = models.PositiveSmallIntegerField(_("délai de recours (jours)"), default=30)
    status = models.CharField(
        _("état"), max_length=10, choices=CampaignStatus.choices, default=CampaignStatus.DRAFT
    )
    # Kept at publication: the acknowledged fairness audit, as the chair read it.
    fairness_snapshot = models.JSONField(default=list, blank=True, editable=False)
    published_at = models.DateTimeField(_("publié le"), null=True, blank=True)
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    effected_at = models.DateTimeField(_("prononcés le"), null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )

    class Meta:
        verbose_name = _("campagne d'avancement")
        verbose_name_plural = _("campagnes d'avancement")
        ordering = ["-year", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["agency", "year"],
                name="campaign_once_per_year",
                violation_error_message=_(
                    "Une campagne existe déjà pour cette agence et cette année."
                ),
            ),
            models.CheckConstraint(
                condition=Q(effective_date__gte=models.F("reference_date")),
                name="campaign_effect_after_reference",
                violation_error_message=_("La date d'effet suit la date de référence."),
            ),
        ]

    def __str__(self) -> str:
        return self.name


class EligibilityRun(models.Model):
    """One computation of a campaign's eligibility; a re-run is a new version."""

    campaign = models.ForeignKey(Campaign, on_delete=models.CASCADE, related_name="runs")
    version = models.PositiveSmallIntegerField(_("version"))
    is_current = models.BooleanField(_("version retenue"), default=True)
    computed_at = models.DateTimeField(_("calculée le"))
    computed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    officers = models.PositiveIntegerField(_("agents examinés"), default=0)
    eligible = models.PositiveIntegerField(_("agents éligibles"), default=0)
    reason = models.CharField(_("motif du nouveau calcul"), max_length=255, blank=True)

    class Meta:
        verbose_name = _("calcul d'éligibilité")
        verbose_name_plural = _("calculs d'éligibilité")
        ordering = ["campaign", "-version"]
        constraints = [
            models.UniqueConstraint(
                fields=["campaign", "version"],
                name="eligibilityrun_version_unique",
                violation_error_message=_("Cette version du calcul existe déjà."),
            ),
            models.UniqueConstraint(
                fields=["campaign"],
                condition=Q(is_current=True),
                name="eligibilityrun_one_current",
                violation_error_message=_("Une seule version du calcul est retenue."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.campaign} — v{self.version}"


class EligibilityPhrase(models.Model):
    """A criterion or a points component as a run phrased it, in French and in English.

    A run says the same few thousand things of 100,000 officers: each distinct criterion
    ("4 ans et 3 mois dans le grade (minimum 4 ans) : rempli") is kept once per run and
    the officers' rows hold its number. Frozen with the run, like the rows.
    """

    run = models.ForeignKey(EligibilityRun, on_delete=models.CASCADE, related_name="phrases")
    number = models.PositiveIntegerField()
    fr = models.JSONField()
    en = models.JSONField()

    class Meta:
        verbose_name = _("libellé d'éligibilité")
        verbose_name_plural = _("libellés d'éligibilité")
        constraints = [
            models.UniqueConstraint(
                fields=["run", "number"],
                name="eligibilityphrase_once",
                violation_error_message=_("Ce libellé existe déjà pour ce calcul."),
            )
        ]

    def __str__(self) -> str:
        return f"{self.run_id}#{self.number}"


class Eligibility(models.Model):
    """One officer in one run: every criterion with value, threshold and verdict, frozen.

    `criteria_ids` and `component_ids` number the run's phrases (EligibilityPhrase);
    `inputs` is a JSON copy of what was read. Later changes to the record never change a
    published list. `selectors.phrased(rows)` sets `criteria` and `components` on rows
    read, in the language of the request.
    """

    # Set by selectors.phrased(): the criteria and components as dicts.
    criteria: list[dict[str, Any]]
    components: list[dict[str, Any]]

    # No index of their own: the composite indexes below start with these columns, and a
    # run writes a row per officer and rule (migration 0003).
    run = models.ForeignKey(
        EligibilityRun, on_delete=models.CASCADE, related_name="rows", db_index=False
    )
    officer = models.ForeignKey(Officer, on_delete=models.CASCADE, related_name="+", db_index=False)
    rule = models.ForeignKey(
        PromotionRule, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    target_grade = models.ForeignKey(
        Grade, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    route = models.CharField(max_length=12, choices=Route.choices, blank=True)
    eligible = models.BooleanField(default=False)
    points = models.DecimalField(max_digits=8, decimal_places=2, default=0)
    rank = models.PositiveIntegerField(null=True, blank=True)
    criteria_ids = models.JSONField(default=list)
    component_ids = models.JSONField(default=list)
    inputs = models.JSONField(default=dict)
    # Frozen dimensions of the fairness audit (no ethnicity is collected or inferred).
    sex = models.CharField(max_length=1)
    region_name = models.CharField(max_length=100, blank=True)
    corps_name = models.CharField(max_length=100, blank=True)
    cohort = models.CharField(max_length=60, blank=True)
    # Frozen identity for the lists (the record may change later).
    matricule = models.CharField(max_length=20)
    full_name = models.CharField(max_length=260)
    grade_name = models.CharField(max_length=100)

    class Meta:
        verbose_name = _("éligibilité")
        verbose_name_plural = _("éligibilités")
        ordering = ["run", "target_grade_id", "rank", "matricule"]
        indexes = [
            models.Index(fields=["run", "eligible", "rank"], name="eligibility_run_rank"),
            # The size of one list (an officer's "rank 12 of 40") and the board's deviations.
            models.Index(fields=["run", "rule", "eligible", "rank"], name="eligibility_run_rule"),
            models.Index(fields=["officer", "run"], name="eligibility_officer"),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["run", "officer", "rule"],
                name="eligibility_once_per_rule",
                violation_error_message=_("Cet agent figure déjà pour cette règle."),
            )
        ]

    def __str__(self) -> str:
        return f"{self.matricule} — {self.run}"


class ExamScore(models.Model):
    """An officer's score at the professional exam of a campaign (route « sur examen »)."""

    campaign = models.ForeignKey(Campaign, on_delete=models.CASCADE, related_name="exam_scores")
    officer = models.ForeignKey(Officer, on_delete=models.CASCADE, related_name="+")
    score = models.DecimalField(_("note (/20)"), max_digits=4, decimal_places=2)

    class Meta:
        verbose_name = _("note d'examen")
        verbose_name_plural = _("notes d'examen")
        constraints = [
            models.UniqueConstraint(
                fields=["campaign", "officer"],
                name="examscore_once",
                violation_error_message=_("Cet agent a déjà une note pour cet examen."),
            ),
            models.CheckConstraint(
                condition=Q(score__gte=0, score__lte=20),
                name="examscore_range",
                violation_error_message=_("La note d'examen est entre 0 et 20."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.officer_id}: {self.score}"


class Vacancy(models.Model):
    """Posts open in a target grade: proposed from the establishment, fixed with a reason."""

    campaign = models.ForeignKey(Campaign, on_delete=models.CASCADE, related_name="vacancies")
    target_grade = models.ForeignKey(Grade, on_delete=models.PROTECT, related_name="+")
    proposed = models.PositiveIntegerField(_("postes proposés"), default=0)
    proposal_detail = models.JSONField(default=dict, blank=True)
    fixed = models.PositiveIntegerField(_("postes retenus"), null=True, blank=True)
    reason = models.TextField(_("motif"), blank=True)
    fixed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    fixed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("postes à pourvoir")
        verbose_name_plural = _("postes à pourvoir")
        ordering = ["campaign", "target_grade__order"]
        constraints = [
            models.UniqueConstraint(
                fields=["campaign", "target_grade"],
                name="vacancy_once_per_grade",
                violation_error_message=_("Les postes de ce grade sont déjà proposés."),
            ),
            models.CheckConstraint(
                condition=Q(fixed__isnull=True) | ~Q(reason=""),
                name="vacancy_fixed_with_reason",
                violation_error_message=_("Le nombre de postes retenu s'accompagne d'un motif."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.target_grade} : {self.fixed if self.fixed is not None else self.proposed}"
