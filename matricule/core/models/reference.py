"""Reference data maintained by HR directors: agencies, units, grades, skills…"""

from __future__ import annotations

import datetime
import re
from typing import Any

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

CODE_HELP = _("Code court, en majuscules, sans espace.")


class AgencyKind(models.TextChoices):
    """What Matricule does for an agency's staff."""

    CAREER = "career", _("Gère la carrière de son personnel")
    HOST = "host", _("Accueille du personnel détaché d'autres corps")
    ORIGIN = "origin", _("Corps d'origine (carrière gérée hors de Matricule)")


class Agency(models.Model):
    code = models.CharField(_("code"), max_length=10, unique=True, help_text=CODE_HELP)
    name = models.CharField(_("nom"), max_length=200)
    short_name = models.CharField(_("nom court"), max_length=60)
    matricule_prefix = models.CharField(
        _("préfixe du matricule"),
        max_length=4,
        help_text=_("Lettres placées devant le numéro, ex. PN pour PN004521K."),
    )
    matricule_digits = models.PositiveSmallIntegerField(
        _("chiffres du matricule"), default=6, help_text=_("Nombre de chiffres du numéro.")
    )
    # Last number handed out; incremented under a row lock by matricule_allocate().
    matricule_seq = models.PositiveIntegerField(default=0, editable=False)
    is_active = models.BooleanField(_("active"), default=True)
    kind = models.CharField(
        _("nature"), max_length=8, choices=AgencyKind.choices, default=AgencyKind.CAREER
    )
    # The corps' own identifier of its staff (matricule de la gendarmerie, des douanes…),
    # kept on the record of an officer seconded from it.
    service_number_pattern = models.CharField(
        _("format du numéro de service"),
        max_length=100,
        blank=True,
        help_text=_("Expression régulière que doit suivre le numéro (vide : pas de contrôle)."),
    )
    service_number_example = models.CharField(
        _("exemple de numéro de service"), max_length=30, blank=True
    )

    class Meta:
        verbose_name = _("agence")
        verbose_name_plural = _("agences")
        ordering = ["code"]
        constraints = [
            models.CheckConstraint(
                condition=Q(matricule_digits__gte=3) & Q(matricule_digits__lte=10),
                name="agency_matricule_digits_range",
                violation_error_message=_("Le matricule compte de 3 à 10 chiffres."),
            )
        ]

    def __str__(self) -> str:
        return self.short_name

    @property
    def is_origin(self) -> bool:
        return self.kind == AgencyKind.ORIGIN

    def clean(self) -> None:
        if self.service_number_pattern:
            try:
                re.compile(self.service_number_pattern)
            except re.error as error:
                raise ValidationError(
                    {
                        "service_number_pattern": _("Expression régulière invalide : %(error)s.")
                        % {"error": error}
                    }
                ) from error

    def service_number_valid(self, number: str) -> bool:
        """Whether a service number of this corps has the corps' format."""
        if not self.service_number_pattern:
            return True
        return re.fullmatch(self.service_number_pattern, number) is not None


class Region(models.Model):
    code = models.CharField(_("code"), max_length=10, unique=True, help_text=CODE_HELP)
    name = models.CharField(_("nom"), max_length=100, unique=True)

    class Meta:
        verbose_name = _("région")
        verbose_name_plural = _("régions")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class UnitType(models.Model):
    code = models.CharField(_("code"), max_length=20, unique=True)
    name = models.CharField(_("nom"), max_length=100)

    class Meta:
        verbose_name = _("type d'unité")
        verbose_name_plural = _("types d'unité")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


PATH_STEP = 4  # characters per level in Unit.path: "0001" = up to 9,999 children per unit.


class Unit(models.Model):
    """A node of the org tree.

    `path` is a materialized path ("0001/0004/0012/") so a whole subtree is one
    indexed prefix query, whatever its depth.
    """

    agency = models.ForeignKey(
        Agency, on_delete=models.PROTECT, related_name="units", verbose_name=_("agence")
    )
    parent = models.ForeignKey(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="children",
        verbose_name=_("unité parente"),
    )
    path = models.CharField(max_length=255, unique=True, editable=False)
    depth = models.PositiveSmallIntegerField(default=0, editable=False)
    code = models.CharField(_("code"), max_length=20, help_text=CODE_HELP)
    name = models.CharField(_("nom"), max_length=200)
    unit_type = models.ForeignKey(UnitType, on_delete=models.PROTECT, verbose_name=_("type"))
    region = models.ForeignKey(
        Region, on_delete=models.PROTECT, null=True, blank=True, verbose_name=_("région")
    )
    is_active = models.BooleanField(_("active"), default=True)

    class Meta:
        verbose_name = _("unité")
        verbose_name_plural = _("unités")
        ordering = ["path"]
        constraints = [
            models.UniqueConstraint(
                fields=["agency", "code"],
                name="unit_code_unique_per_agency",
                violation_error_message=_("Une unité de cette agence a déjà ce code."),
            ),
        ]

    def __str__(self) -> str:
        return self.name

    def subtree_q(self, prefix: str = "") -> Q:
        """Q selecting this unit and its descendants, through an optional relation prefix."""
        return Q(**{f"{prefix}path__startswith": self.path})

    def subtree_ids(self) -> models.QuerySet[Unit, Any]:
        """Ids of this unit and its descendants, as a subquery.

        Filtering officers with `unit_id__in=unit.subtree_ids()` lets both databases
        read the small unit table first, then the officers' unit index.
        """
        return Unit.objects.filter(self.subtree_q()).values("id")

    def ancestor_paths(self) -> list[str]:
        step = PATH_STEP + 1
        return [self.path[: i + step] for i in range(0, len(self.path), step)]


class Corps(models.Model):
    agency = models.ForeignKey(
        Agency, on_delete=models.PROTECT, related_name="corps", verbose_name=_("agence")
    )
    code = models.CharField(_("code"), max_length=10)
    name = models.CharField(_("nom"), max_length=100)
    retirement_age = models.PositiveSmallIntegerField(_("âge de la retraite"))
    # The statute's bounds on the age at entry into service (checked when recording it).
    entry_age_min = models.PositiveSmallIntegerField(_("âge minimum à l'entrée"), default=18)
    entry_age_max = models.PositiveSmallIntegerField(
        _("âge maximum à l'entrée"), null=True, blank=True, help_text=_("Vide : pas de limite.")
    )
    order = models.PositiveSmallIntegerField(_("ordre"), default=0)

    class Meta:
        verbose_name = _("corps")
        verbose_name_plural = _("corps")
        ordering = ["agency", "order"]
        constraints = [
            models.UniqueConstraint(
                fields=["agency", "code"],
                name="corps_code_unique_per_agency",
                violation_error_message=_("Un corps de cette agence a déjà ce code."),
            ),
            models.CheckConstraint(
                condition=Q(retirement_age__gte=45) & Q(retirement_age__lte=75),
                name="corps_retirement_age_range",
                violation_error_message=_(
                    "L'âge de la retraite doit être compris entre 45 et 75 ans."
                ),
            ),
            models.CheckConstraint(
                condition=Q(entry_age_min__gte=16)
                & (Q(entry_age_max__isnull=True) | Q(entry_age_max__gte=models.F("entry_age_min"))),
                name="corps_entry_age_range",
                violation_error_message=_(
                    "L'âge maximum d'entrée doit suivre l'âge minimum (16 ans au moins)."
                ),
            ),
        ]

    def __str__(self) -> str:
        return self.name


class GradeBand(models.Model):
    """Group of grades used by the establishment table (tableau des effectifs)."""

    code = models.CharField(_("code"), max_length=10, unique=True)
    name = models.CharField(_("nom"), max_length=100)
    order = models.PositiveSmallIntegerField(_("ordre"), default=0)

    class Meta:
        verbose_name = _("catégorie de grades")
        verbose_name_plural = _("catégories de grades")
        ordering = ["order"]

    def __str__(self) -> str:
        return self.name


class StatuteVersion(models.Model):
    """A dated version of an agency's grade table (statut 2002, 2010, 2018…)."""

    agency = models.ForeignKey(
        Agency, on_delete=models.PROTECT, related_name="statutes", verbose_name=_("agence")
    )
    code = models.CharField(_("code"), max_length=10)
    name = models.CharField(_("nom"), max_length=200)
    effective_from = models.DateField(_("en vigueur du"))
    effective_to = models.DateField(_("jusqu'au"), null=True, blank=True)

    class Meta:
        verbose_name = _("version du statut")
        verbose_name_plural = _("versions du statut")
        ordering = ["agency", "effective_from"]
        constraints = [
            models.UniqueConstraint(
                fields=["agency", "code"],
                name="statute_code_unique_per_agency",
                violation_error_message=_("Un statut de cette agence a déjà ce code."),
            ),
            models.CheckConstraint(
                condition=Q(effective_to__isnull=True)
                | Q(effective_to__gt=models.F("effective_from")),
                name="statute_dates_ordered",
                violation_error_message=_(
                    "La fin de validité du statut doit suivre son entrée en vigueur."
                ),
            ),
        ]

    def __str__(self) -> str:
        return self.name

    def is_in_force(self, on: datetime.date) -> bool:
        return self.effective_from <= on and (self.effective_to is None or on < self.effective_to)


class Grade(models.Model):
    statute = models.ForeignKey(
        StatuteVersion, on_delete=models.PROTECT, related_name="grades", verbose_name=_("statut")
    )
    corps = models.ForeignKey(
        Corps, on_delete=models.PROTECT, related_name="grades", verbose_name=_("corps")
    )
    band = models.ForeignKey(
        GradeBand, on_delete=models.PROTECT, related_name="grades", verbose_name=_("catégorie")
    )
    code = models.CharField(_("code"), max_length=10)
    name = models.CharField(_("nom"), max_length=100)
    order = models.PositiveSmallIntegerField(
        _("rang"), help_text=_("Rang dans la hiérarchie : 1 pour le grade le plus bas.")
    )

    class Meta:
        verbose_name = _("grade")
        verbose_name_plural = _("grades")
        ordering = ["statute", "order"]
        constraints = [
            models.UniqueConstraint(
                fields=["statute", "code"],
                name="grade_code_unique_per_statute",
                violation_error_message=_("Un grade de ce statut a déjà ce code."),
            ),
            models.UniqueConstraint(
                fields=["statute", "order"],
                name="grade_order_unique_per_statute",
                violation_error_message=_("Un grade de ce statut occupe déjà ce rang."),
            ),
        ]

    def __str__(self) -> str:
        return self.name


class GradeMapping(models.Model):
    """How a grade of one statute becomes a grade of the next, without rewriting history."""

    from_grade = models.OneToOneField(
        Grade, on_delete=models.CASCADE, related_name="mapped_to", verbose_name=_("ancien grade")
    )
    to_grade = models.ForeignKey(
        Grade, on_delete=models.PROTECT, related_name="mapped_from", verbose_name=_("nouveau grade")
    )

    class Meta:
        verbose_name = _("correspondance de grades")
        verbose_name_plural = _("correspondances de grades")

    def __str__(self) -> str:
        return f"{self.from_grade} → {self.to_grade}"


class Establishment(models.Model):
    """Authorised posts of a unit for a grade band, over a period (tableau des effectifs)."""

    unit = models.ForeignKey(
        Unit, on_delete=models.CASCADE, related_name="establishment", verbose_name=_("unité")
    )
    band = models.ForeignKey(GradeBand, on_delete=models.PROTECT, verbose_name=_("catégorie"))
    authorised = models.PositiveIntegerField(_("postes autorisés"))
    effective_from = models.DateField(_("en vigueur du"))
    effective_to = models.DateField(_("jusqu'au"), null=True, blank=True)

    class Meta:
        verbose_name = _("effectif autorisé")
        verbose_name_plural = _("tableau des effectifs")
        ordering = ["unit", "band", "-effective_from"]
        constraints = [
            models.UniqueConstraint(
                fields=["unit", "band", "effective_from"],
                name="establishment_unique_start",
                violation_error_message=_(
                    "Un effectif autorisé existe déjà pour cette "
                    "unité, cette catégorie et cette date."
                ),
            ),
            models.CheckConstraint(
                condition=Q(effective_to__isnull=True)
                | Q(effective_to__gt=models.F("effective_from")),
                name="establishment_dates_ordered",
                violation_error_message=_("La fin de validité doit suivre le début."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.unit} — {self.band} : {self.authorised}"


class SkillCategory(models.Model):
    code = models.CharField(_("code"), max_length=20, unique=True)
    name = models.CharField(_("nom"), max_length=100)

    class Meta:
        verbose_name = _("catégorie de compétences")
        verbose_name_plural = _("catégories de compétences")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class Skill(models.Model):
    category = models.ForeignKey(
        SkillCategory, on_delete=models.PROTECT, related_name="skills", verbose_name=_("catégorie")
    )
    code = models.CharField(_("code"), max_length=30, unique=True)
    name = models.CharField(_("nom"), max_length=150)
    max_level = models.PositiveSmallIntegerField(_("niveau maximal"), default=3)

    class Meta:
        verbose_name = _("compétence")
        verbose_name_plural = _("compétences")
        ordering = ["category", "name"]
        constraints = [
            models.CheckConstraint(
                condition=Q(max_level__gte=1) & Q(max_level__lte=10),
                name="skill_max_level_range",
                violation_error_message=_("Le niveau maximum est compris entre 1 et 10."),
            ),
        ]

    def __str__(self) -> str:
        return self.name


class Language(models.Model):
    code = models.CharField(_("code ISO 639"), max_length=3, unique=True)
    name = models.CharField(_("nom"), max_length=100)
    is_national = models.BooleanField(_("langue nationale"), default=False)

    class Meta:
        verbose_name = _("langue")
        verbose_name_plural = _("langues")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class Sensitivity(models.TextChoices):
    NORMAL = "normal", _("ordinaire")
    IDENTITY = "identity", _("identité (NINA)")
    HEALTH = "health", _("santé")
    DISCIPLINE = "discipline", _("discipline")
    BIOMETRIC = "biometric", _("biométrie")


class DocumentType(models.Model):
    code = models.CharField(_("code"), max_length=30, unique=True)
    name = models.CharField(_("nom"), max_length=150)
    sensitivity = models.CharField(
        _("classe de données"),
        max_length=12,
        choices=Sensitivity.choices,
        default=Sensitivity.NORMAL,
    )

    class Meta:
        verbose_name = _("type de document")
        verbose_name_plural = _("types de document")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class Signatory(models.Model):
    agency = models.ForeignKey(
        Agency, on_delete=models.PROTECT, related_name="signatories", verbose_name=_("agence")
    )
    name = models.CharField(_("autorité"), max_length=200)
    title = models.CharField(_("titre"), max_length=200)
    is_active = models.BooleanField(_("actif"), default=True)

    class Meta:
        verbose_name = _("signataire")
        verbose_name_plural = _("signataires")
        ordering = ["agency", "name"]

    def __str__(self) -> str:
        return self.name
