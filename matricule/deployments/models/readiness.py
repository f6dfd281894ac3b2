"""UN police assessments (AMS/SAAT): one row per test taken by an officer."""

from __future__ import annotations

from decimal import Decimal

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from matricule.core.models import Language
from matricule.personnel.models import Officer

LANGUAGE_PASS_MARK = Decimal("60")


class UnTest(models.TextChoices):
    LANGUAGE = "language", _("Langue de la mission")
    INTERVIEW = "interview", _("Entretien")
    DRIVING = "driving", _("Conduite")
    FIREARMS = "firearms", _("Tir")
    COMPUTER = "computer", _("Informatique")


class UnAssessment(models.Model):
    """A result of the UN Assessment for Mission Service (AMS, formerly SAAT).

    The language test is scored out of 100 and passed at 60 %; the others are passed or
    failed as the assessment team decided. Results are never edited: a retake is a new row.
    """

    officer = models.ForeignKey(
        Officer, on_delete=models.PROTECT, related_name="un_assessments", verbose_name=_("agent")
    )
    test = models.CharField(_("épreuve"), max_length=10, choices=UnTest.choices)
    taken_on = models.DateField(_("passée le"))
    score = models.DecimalField(
        _("note (%)"), max_digits=5, decimal_places=2, null=True, blank=True
    )
    passed = models.BooleanField(_("réussie"))
    language = models.ForeignKey(
        Language,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("langue de l'épreuve"),
    )
    session = models.CharField(
        _("session d'évaluation"),
        max_length=150,
        blank=True,
        help_text=_("Par exemple « AMS Bamako, mars 2025 »."),
    )
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    recorded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("épreuve d'évaluation ONU")
        verbose_name_plural = _("épreuves d'évaluation ONU")
        ordering = ["officer", "test", "taken_on", "id"]
        indexes = [
            models.Index(fields=["officer", "test", "taken_on"], name="unassessment_officer"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(score__isnull=True) | (Q(score__gte=0) & Q(score__lte=100)),
                name="unassessment_score_range",
                violation_error_message=_("La note est un pourcentage, de 0 à 100."),
            ),
            # The language test: a score and a language, and passed exactly at 60 % or more.
            models.CheckConstraint(
                condition=~Q(test="language")
                | (
                    Q(language__isnull=False)
                    & (
                        Q(passed=True, score__gte=LANGUAGE_PASS_MARK)
                        | Q(passed=False, score__lt=LANGUAGE_PASS_MARK)
                    )
                ),
                name="unassessment_language_scored",
                violation_error_message=_(
                    "L'épreuve de langue demande la langue et la note ; elle est réussie à "
                    "60 % ou plus."
                ),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_test_display()} — {self.taken_on:%d/%m/%Y}"
