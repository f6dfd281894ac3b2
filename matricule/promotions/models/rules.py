"""Promotion rules: per target grade and route, dated versions, with their points formula."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from matricule.core.models import Agency, Grade


class Route(models.TextChoices):
    CHOICE = "choice", _("Au choix (tableau d'avancement)")
    SENIORITY = "seniority", _("À l'ancienneté")
    EXAM = "exam", _("Sur examen professionnel")
    EXCEPTIONAL = "exceptional", _("À titre exceptionnel")


class MissingCycles(models.TextChoices):
    SKIP = "skip", _("Un cycle manquant ne compte pas : moyenne des cycles notés")
    ZERO = "zero", _("Un cycle manquant compte 0/20")
    FAIL = "fail", _("Un cycle manquant rend le critère non rempli")


class Component(models.TextChoices):
    """The named components a points formula is made of (never free code)."""

    YEARS_IN_GRADE = "years_in_grade", _("Années dans le grade")
    YEARS_OF_SERVICE = "years_of_service", _("Années de service")
    AVERAGE_MARK = "average_mark", _("Note moyenne")
    EXAM_SCORE = "exam_score", _("Note d'examen")
    REQUIRED_COURSES = "required_courses", _("Formations obligatoires")
    OPTIONAL_COURSES = "optional_courses", _("Autres formations")
    DECORATIONS = "decorations", _("Distinctions")
    SANCTIONS = "sanctions", _("Sanctions (points négatifs)")


class PromotionRule(models.Model):
    """One dated version of the rule for reaching `target_grade` by `route`.

    A new version closes the previous one (its `valid_to` is the new one's `valid_from`):
    a campaign uses the version in force on its reference date.
    """

    agency = models.ForeignKey(Agency, on_delete=models.PROTECT, verbose_name=_("agence"))
    target_grade = models.ForeignKey(
        Grade, on_delete=models.PROTECT, related_name="+", verbose_name=_("grade visé")
    )
    route = models.CharField(_("voie"), max_length=12, choices=Route.choices)
    version = models.PositiveSmallIntegerField(_("version"), default=1)
    valid_from = models.DateField(_("en vigueur du"))
    valid_to = models.DateField(_("jusqu'au"), null=True, blank=True)
    source_grades = models.ManyToManyField(
        Grade, related_name="+", verbose_name=_("grades d'origine")
    )
    min_years_in_grade = models.PositiveSmallIntegerField(_("années minimum dans le grade"))
    min_years_of_service = models.PositiveSmallIntegerField(
        _("années minimum de service"), default=0
    )
    min_average_mark = models.DecimalField(
        _("note moyenne minimum (/20)"), max_digits=4, decimal_places=2, null=True, blank=True
    )
    mark_cycles = models.PositiveSmallIntegerField(
        _("cycles d'évaluation pris en compte"), default=3
    )
    missing_cycles = models.CharField(
        _("cycles manquants"),
        max_length=4,
        choices=MissingCycles.choices,
        default=MissingCycles.SKIP,
    )
    required_courses = models.ManyToManyField(
        "training.Course", blank=True, related_name="+", verbose_name=_("formations obligatoires")
    )
    # No sanction of a group above `max_sanction_group` within `sanction_years` years.
    max_sanction_group = models.PositiveSmallIntegerField(
        _("groupe de sanction toléré"),
        default=1,
        help_text=_("0 : aucune sanction ; 1 : le 1er groupe est toléré, etc."),
    )
    sanction_years = models.PositiveSmallIntegerField(_("années sans sanction"), default=3)
    no_pending_case = models.BooleanField(
        _("aucune procédure disciplinaire en cours"), default=True
    )
    max_age = models.PositiveSmallIntegerField(
        _("âge maximum à la date de référence"), null=True, blank=True
    )
    min_exam_score = models.DecimalField(
        _("note minimum à l'examen (/20)"), max_digits=4, decimal_places=2, null=True, blank=True
    )
    service_cap_years = models.PositiveSmallIntegerField(
        _("plafond des années de service comptées"), default=30
    )
    note = models.TextField(_("commentaire"), blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )

    class Meta:
        verbose_name = _("règle d'avancement")
        verbose_name_plural = _("règles d'avancement")
        ordering = ["agency", "target_grade__order", "route", "-valid_from"]
        constraints = [
            models.UniqueConstraint(
                fields=["agency", "target_grade", "route"],
                condition=Q(valid_to__isnull=True),
                name="promotionrule_one_open_version",
                violation_error_message=_(
                    "Une version en vigueur existe déjà pour ce grade et cette voie."
                ),
            ),
            models.UniqueConstraint(
                fields=["agency", "target_grade", "route", "version"],
                name="promotionrule_version_unique",
                violation_error_message=_("Ce numéro de version existe déjà."),
            ),
            models.CheckConstraint(
                condition=Q(valid_to__isnull=True) | Q(valid_to__gt=models.F("valid_from")),
                name="promotionrule_dates_ordered",
                violation_error_message=_("La fin de validité doit suivre son début."),
            ),
            models.CheckConstraint(
                condition=Q(max_sanction_group__lte=4),
                name="promotionrule_sanction_group_range",
                violation_error_message=_("Le groupe de sanction va de 0 à 4."),
            ),
            models.CheckConstraint(
                condition=Q(min_average_mark__isnull=True)
                | Q(min_average_mark__gte=0, min_average_mark__lte=20),
                name="promotionrule_mark_range",
                violation_error_message=_("La note moyenne minimum est entre 0 et 20."),
            ),
            models.CheckConstraint(
                condition=Q(min_exam_score__isnull=True)
                | Q(min_exam_score__gte=0, min_exam_score__lte=20),
                name="promotionrule_exam_range",
                violation_error_message=_("La note d'examen minimum est entre 0 et 20."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.target_grade.name} — {self.get_route_display()} (v{self.version})"


class RuleComponent(models.Model):
    """One weighted component of a rule's points formula.

    Points = weight × value, the value capped at `cap` when a cap is given (years of service
    counted up to 30, three decorations at most…). Sanctions count as negative points.
    """

    rule = models.ForeignKey(PromotionRule, on_delete=models.CASCADE, related_name="components")
    code = models.CharField(_("composante"), max_length=20, choices=Component.choices)
    weight = models.DecimalField(_("coefficient"), max_digits=6, decimal_places=2)
    cap = models.DecimalField(
        _("plafond de la valeur"), max_digits=6, decimal_places=2, null=True, blank=True
    )

    class Meta:
        verbose_name = _("composante de la formule")
        verbose_name_plural = _("composantes de la formule")
        ordering = ["rule", "code"]
        constraints = [
            models.UniqueConstraint(
                fields=["rule", "code"],
                name="rulecomponent_once",
                violation_error_message=_("Cette composante figure déjà dans la formule."),
            ),
            models.CheckConstraint(
                condition=Q(weight__gte=0),
                name="rulecomponent_weight_positive",
                violation_error_message=_(
                    "Le coefficient est positif (les sanctions sont déduites d'elles-mêmes)."
                ),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_code_display()} × {self.weight}"
