"""The skills inventory and the trainers' pathway."""

from __future__ import annotations

import datetime

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from matricule.core.models import Skill
from matricule.personnel.models import Officer
from matricule.training.models.catalogue import Course
from matricule.training.models.sessions import Certificate


class SkillSource(models.TextChoices):
    COURSE = "course", _("Formation")
    TEST = "test", _("Test")
    DECLARED = "declared", _("Déclaration")


class OfficerSkill(models.Model):
    """One skill an officer holds at a level, from a course, a test or a declaration.

    Spoken languages are not copied here: they stay on the record
    (personnel.OfficerLanguage, entered by HR) and the skill search reads them
    there under the code ``LANGUE-<iso>`` (e.g. ``LANGUE-EN:3``), so a language
    has one source of truth. Renewals add a row; the search asks whether any
    row is good enough on the date.

    `confirmed` is true for course and test rows, and for declared rows once HR
    verified them: only confirmed rows count in the search.
    """

    officer = models.ForeignKey(
        Officer, on_delete=models.CASCADE, related_name="skills", verbose_name=_("agent")
    )
    skill = models.ForeignKey(Skill, on_delete=models.PROTECT, verbose_name=_("compétence"))
    level = models.PositiveSmallIntegerField(_("niveau"))
    source = models.CharField(_("origine"), max_length=10, choices=SkillSource.choices)
    obtained_on = models.DateField(_("obtenue le"))
    expires_on = models.DateField(_("valable jusqu'au"), null=True, blank=True)
    confirmed = models.BooleanField(_("vérifiée"), default=False)
    verified_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    verified_at = models.DateTimeField(_("vérifiée le"), null=True, blank=True)
    certificate = models.ForeignKey(
        Certificate,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="skills",
        verbose_name=_("certificat"),
    )
    note = models.CharField(_("précision"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("compétence d'un agent")
        verbose_name_plural = _("compétences des agents")
        ordering = ["officer", "skill", "-obtained_on"]
        indexes = [
            # The skill search: one range scan per required skill, covering the officer id.
            models.Index(
                fields=["skill", "confirmed", "level", "expires_on", "obtained_on", "officer"],
                name="officerskill_search",
            ),
            # The same search driven from the officers in scope: one covering probe per skill.
            models.Index(
                fields=["officer", "skill", "confirmed", "level", "expires_on", "obtained_on"],
                name="officerskill_officer",
            ),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(level__gte=1),
                name="officerskill_level_positive",
                violation_error_message=_("Le niveau est de 1 au moins."),
            ),
            models.CheckConstraint(
                condition=Q(expires_on__isnull=True) | Q(expires_on__gt=models.F("obtained_on")),
                name="officerskill_expiry_after_obtained",
                violation_error_message=_("La date d'expiration doit suivre la date d'obtention."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.skill} ({self.level})"

    def is_valid_on(self, day: datetime.date) -> bool:
        return self.obtained_on <= day and (self.expires_on is None or self.expires_on >= day)


class TrainerLevel(models.TextChoices):
    TRAINEE = "trainee", _("Formateur stagiaire")
    CO_TRAINER = "co_trainer", _("Co-formateur")
    CERTIFIED = "certified", _("Formateur certifié")


class TrainerQualification(models.Model):
    """Where an officer stands on a course's trainer pathway."""

    officer = models.ForeignKey(
        Officer,
        on_delete=models.CASCADE,
        related_name="trainer_qualifications",
        verbose_name=_("agent"),
    )
    course = models.ForeignKey(
        Course, on_delete=models.CASCADE, related_name="trainers", verbose_name=_("formation")
    )
    level = models.CharField(_("niveau"), max_length=10, choices=TrainerLevel.choices)
    co_taught_count = models.PositiveSmallIntegerField(_("sessions co-animées"), default=0)
    certified_on = models.DateField(_("certifié le"), null=True, blank=True)

    class Meta:
        verbose_name = _("qualification de formateur")
        verbose_name_plural = _("qualifications de formateur")
        ordering = ["course", "officer"]
        constraints = [
            models.UniqueConstraint(
                fields=["officer", "course"],
                name="trainer_once_per_course",
                violation_error_message=_(
                    "Cet agent a déjà un parcours de formateur pour cette formation."
                ),
            )
        ]

    def __str__(self) -> str:
        return f"{self.officer} — {self.course.code} ({self.get_level_display()})"
