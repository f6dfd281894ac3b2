"""The catalogue: partners, courses, their modules, prerequisites and the skills they grant."""

from __future__ import annotations

from django.db import models
from django.db.models import Q
from django.db.models.functions import Lower
from django.utils.translation import gettext_lazy as _

from matricule.core.models import Agency, Grade, Skill


class Partner(models.Model):
    """A funding or delivering partner (EUCAP Sahel Mali, ONUDC, UNPOL/MINUSMA, ICITAP…)."""

    code = models.CharField(_("code"), max_length=20, unique=True)
    name = models.CharField(_("nom"), max_length=200)
    short_name = models.CharField(_("nom court"), max_length=60)
    is_active = models.BooleanField(_("actif"), default=True)

    class Meta:
        verbose_name = _("partenaire")
        verbose_name_plural = _("partenaires")
        ordering = ["short_name"]

    def __str__(self) -> str:
        return self.short_name


class CourseCategory(models.TextChoices):
    INITIAL = "initial", _("Formation initiale")
    CONTINUING = "continuing", _("Formation continue")
    SPECIALISED = "specialised", _("Formation spécialisée")


class Course(models.Model):
    code = models.CharField(_("code"), max_length=20, unique=True)
    title_fr = models.CharField(_("intitulé (français)"), max_length=200)
    title_en = models.CharField(_("intitulé (anglais)"), max_length=200)
    category = models.CharField(_("catégorie"), max_length=12, choices=CourseCategory.choices)
    hours = models.PositiveSmallIntegerField(_("durée (heures)"))
    validity_months = models.PositiveSmallIntegerField(
        _("validité du certificat (mois)"),
        null=True,
        blank=True,
        help_text=_("Vide : le certificat n'expire pas."),
    )
    description = models.TextField(_("objectifs"), blank=True)
    is_published = models.BooleanField(_("publié"), default=False)
    prerequisite_courses = models.ManyToManyField(
        "self",
        symmetrical=False,
        blank=True,
        related_name="required_by",
        verbose_name=_("formations préalables"),
    )

    class Meta:
        verbose_name = _("formation")
        verbose_name_plural = _("formations")
        ordering = ["code"]
        constraints = [
            models.CheckConstraint(
                condition=Q(hours__gte=1),
                name="course_hours_positive",
                violation_error_message=_("La formation dure au moins une heure."),
            ),
            models.CheckConstraint(
                condition=Q(validity_months__isnull=True) | Q(validity_months__gte=1),
                name="course_validity_positive",
                violation_error_message=_(
                    "La validité du certificat est d'un mois au moins (ou laissez vide)."
                ),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.code} — {self.title_fr}"


class CourseModule(models.Model):
    course = models.ForeignKey(
        Course, on_delete=models.CASCADE, related_name="modules", verbose_name=_("formation")
    )
    order = models.PositiveSmallIntegerField(_("ordre"), default=1)
    title = models.CharField(_("intitulé"), max_length=200)
    hours = models.PositiveSmallIntegerField(_("heures"), default=1)
    is_human_rights = models.BooleanField(_("module droits de l'homme"), default=False)
    is_gender = models.BooleanField(_("module genre"), default=False)

    class Meta:
        verbose_name = _("module")
        verbose_name_plural = _("modules")
        ordering = ["course", "order", "id"]

    def __str__(self) -> str:
        return self.title


class CourseSkill(models.Model):
    """A skill a passed course grants, at a level."""

    course = models.ForeignKey(
        Course, on_delete=models.CASCADE, related_name="skills", verbose_name=_("formation")
    )
    skill = models.ForeignKey(Skill, on_delete=models.PROTECT, verbose_name=_("compétence"))
    level = models.PositiveSmallIntegerField(_("niveau acquis"))

    class Meta:
        verbose_name = _("compétence acquise")
        verbose_name_plural = _("compétences acquises")
        constraints = [
            models.UniqueConstraint(
                fields=["course", "skill"],
                name="courseskill_once",
                violation_error_message=_(
                    "Cette compétence est déjà accordée par cette formation."
                ),
            ),
            models.CheckConstraint(
                condition=Q(level__gte=1),
                name="courseskill_level_positive",
                violation_error_message=_("Le niveau est de 1 au moins."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.skill} ({self.level})"


class CoursePrerequisiteSkill(models.Model):
    """A skill an officer must hold, valid, at or above a level, to be nominated."""

    course = models.ForeignKey(
        Course,
        on_delete=models.CASCADE,
        related_name="prerequisite_skills",
        verbose_name=_("formation"),
    )
    skill = models.ForeignKey(Skill, on_delete=models.PROTECT, verbose_name=_("compétence"))
    min_level = models.PositiveSmallIntegerField(_("niveau minimal"))

    class Meta:
        verbose_name = _("compétence préalable")
        verbose_name_plural = _("compétences préalables")
        constraints = [
            models.UniqueConstraint(
                fields=["course", "skill"],
                name="courseprereqskill_once",
                violation_error_message=_("Cette compétence est déjà exigée pour cette formation."),
            ),
            models.CheckConstraint(
                condition=Q(min_level__gte=1),
                name="courseprereqskill_level_positive",
                violation_error_message=_("Le niveau minimum est de 1 au moins."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.skill} ≥ {self.min_level}"


class RequiredTraining(models.Model):
    """A course every officer of a grade, or holding a function, must have passed (and valid)."""

    agency = models.ForeignKey(Agency, on_delete=models.PROTECT, verbose_name=_("agence"))
    course = models.ForeignKey(
        Course, on_delete=models.PROTECT, related_name="required_for", verbose_name=_("formation")
    )
    grade = models.ForeignKey(
        Grade, on_delete=models.PROTECT, null=True, blank=True, verbose_name=_("grade")
    )
    function = models.CharField(_("fonction"), max_length=150, blank=True)

    class Meta:
        verbose_name = _("formation obligatoire")
        verbose_name_plural = _("formations obligatoires")
        ordering = ["course__code", "id"]
        constraints = [
            models.CheckConstraint(
                condition=(Q(grade__isnull=False) & Q(function=""))
                | (Q(grade__isnull=True) & ~Q(function="")),
                name="requiredtraining_grade_xor_function",
                violation_error_message=_("Indiquez un grade ou une fonction (l'un des deux)."),
            ),
            # Two constraints, because NULL grades never collide in a unique index (on
            # SQLite as on PostgreSQL); a function is the same whatever its case.
            models.UniqueConstraint(
                fields=["agency", "course", "grade"],
                condition=Q(grade__isnull=False),
                name="requiredtraining_once_per_grade",
                violation_error_message=_("Cette formation est déjà obligatoire pour ce grade."),
            ),
            models.UniqueConstraint(
                "agency",
                "course",
                Lower("function"),
                condition=Q(grade__isnull=True),
                name="requiredtraining_once_per_function",
                violation_error_message=_(
                    "Cette formation est déjà obligatoire pour cette fonction."
                ),
            ),
        ]

    def __str__(self) -> str:
        target = self.grade.name if self.grade_id and self.grade else self.function
        return f"{self.course.code} — {target}"
