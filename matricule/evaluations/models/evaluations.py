"""One officer's evaluation in a cycle, its scores, and the reminders sent about it."""

from __future__ import annotations

import datetime

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from matricule.core.models import Unit
from matricule.evaluations.models.cycles import Cycle
from matricule.evaluations.models.forms import Criterion, FormVersion
from matricule.personnel.models import Officer


class Step(models.TextChoices):
    """The state machine: self → rating → review → acknowledgement (→ appeal) → closed."""

    SELF = "self", _("Auto-évaluation")
    RATING = "rating", _("Notation par le supérieur")
    REVIEW = "review", _("Revue au second niveau")
    ACKNOWLEDGEMENT = "ack", _("Prise de connaissance par l'agent")
    APPEAL = "appeal", _("Recours")
    CLOSED = "closed", _("Clôturée")


# The steps where the evaluation is still someone's work.
OPEN_STEPS = (Step.SELF, Step.RATING, Step.REVIEW, Step.ACKNOWLEDGEMENT, Step.APPEAL)
# The steps that need the evaluator to be known.
RATED_STEPS = (Step.REVIEW, Step.ACKNOWLEDGEMENT, Step.APPEAL, Step.CLOSED)


class ReviewDecision(models.TextChoices):
    AGREE = "agree", _("Accord avec la notation")
    ADJUST = "adjust", _("Note ajustée")


class AppealDecision(models.TextChoices):
    MAINTAINED = "maintained", _("Note maintenue")
    REVISED = "revised", _("Note révisée")


class Evaluation(models.Model):
    """The evaluation of one officer in one cycle.

    `final_mark` is out of 20 whatever the form's scale: the weighted mean of the
    scores, adjusted by the reviewer or on appeal. It is computed, never typed.
    """

    cycle = models.ForeignKey(
        Cycle, on_delete=models.PROTECT, related_name="evaluations", verbose_name=_("campagne")
    )
    officer = models.ForeignKey(
        Officer, on_delete=models.PROTECT, related_name="evaluations", verbose_name=_("agent")
    )
    # Where the officer served on the reference date (the host unit when seconded).
    unit = models.ForeignKey(
        Unit, on_delete=models.PROTECT, related_name="+", verbose_name=_("unité")
    )
    form = models.ForeignKey(
        FormVersion, on_delete=models.PROTECT, related_name="+", verbose_name=_("fiche")
    )
    evaluator = models.ForeignKey(
        Officer,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="evaluations_to_rate",
        verbose_name=_("évaluateur"),
    )
    reviewer = models.ForeignKey(
        Officer,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="evaluations_to_review",
        verbose_name=_("second niveau"),
    )
    status = models.CharField(_("étape"), max_length=8, choices=Step.choices, default=Step.SELF)

    self_comment = models.TextField(_("auto-évaluation"), blank=True)
    self_submitted_at = models.DateTimeField(null=True, blank=True)
    self_skipped = models.BooleanField(_("auto-évaluation passée"), default=False)

    rating_comment = models.TextField(_("appréciation générale"), blank=True)
    rating_mark = models.DecimalField(
        _("note du supérieur"), max_digits=5, decimal_places=2, null=True, blank=True
    )
    rated_at = models.DateTimeField(null=True, blank=True)

    review_decision = models.CharField(
        _("avis du second niveau"), max_length=8, choices=ReviewDecision.choices, blank=True
    )
    review_mark = models.DecimalField(
        _("note ajustée"), max_digits=5, decimal_places=2, null=True, blank=True
    )
    review_justification = models.TextField(_("justification de l'ajustement"), blank=True)
    reviewed_at = models.DateTimeField(null=True, blank=True)
    acknowledge_by = models.DateField(_("recours possible jusqu'au"), null=True, blank=True)

    acknowledged_at = models.DateTimeField(_("prise de connaissance le"), null=True, blank=True)
    appeal_reason = models.TextField(_("motif du recours"), blank=True)
    appealed_at = models.DateTimeField(null=True, blank=True)
    appeal_decision = models.CharField(
        _("décision sur le recours"), max_length=10, choices=AppealDecision.choices, blank=True
    )
    appeal_mark = models.DecimalField(
        _("note après recours"), max_digits=5, decimal_places=2, null=True, blank=True
    )
    appeal_reasons = models.TextField(_("motifs de la décision"), blank=True)
    appeal_decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    appeal_decided_at = models.DateTimeField(null=True, blank=True)

    final_mark = models.DecimalField(
        _("note finale (sur 20)"), max_digits=5, decimal_places=2, null=True, blank=True
    )
    closed_at = models.DateTimeField(null=True, blank=True)
    # 0: none; 1: escalated to the reviewer; 2: escalated to HR (evaluation_reminders).
    escalation_level = models.PositiveSmallIntegerField(_("relance"), default=0)
    version = models.PositiveIntegerField(default=1, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("évaluation")
        verbose_name_plural = _("évaluations")
        ordering = ["cycle", "id"]
        indexes = [
            models.Index(fields=["cycle", "status", "officer"], name="evaluation_cycle_status"),
            models.Index(fields=["officer", "cycle"], name="evaluation_officer"),
            models.Index(fields=["evaluator", "status"], name="evaluation_evaluator"),
            models.Index(fields=["reviewer", "status"], name="evaluation_reviewer"),
            models.Index(fields=["cycle", "unit", "status"], name="evaluation_cycle_unit"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(status__in=[s.value for s in Step]),
                name="evaluation_status_valid",
                violation_error_message=_("Étape d'évaluation inconnue."),
            ),
            models.UniqueConstraint(
                fields=["cycle", "officer"],
                name="evaluation_once_per_cycle",
                violation_error_message=_("Cet agent a déjà une évaluation dans cette campagne."),
            ),
            models.CheckConstraint(
                condition=Q(evaluator__isnull=True) | ~Q(evaluator=F("officer")),
                name="evaluation_no_self_rating",
                violation_error_message=_("Un agent ne se note pas lui-même."),
            ),
            models.CheckConstraint(
                condition=Q(reviewer__isnull=True)
                | (
                    ~Q(reviewer=F("officer"))
                    & (Q(evaluator__isnull=True) | ~Q(reviewer=F("evaluator")))
                ),
                name="evaluation_reviewer_distinct",
                violation_error_message=_(
                    "Le second niveau n'est ni l'agent évalué ni son évaluateur."
                ),
            ),
            models.CheckConstraint(
                condition=~Q(status__in=[s.value for s in RATED_STEPS])
                | (Q(evaluator__isnull=False) & Q(rating_mark__isnull=False)),
                name="evaluation_rated_has_evaluator",
                violation_error_message=_(
                    "Une évaluation notée a un évaluateur et une note du supérieur."
                ),
            ),
            models.CheckConstraint(
                condition=~Q(status="closed") | Q(final_mark__isnull=False),
                name="evaluation_closed_has_mark",
                violation_error_message=_("Une évaluation close a sa note finale."),
            ),
            models.CheckConstraint(
                condition=Q(final_mark__isnull=True)
                | (Q(final_mark__gte=0) & Q(final_mark__lte=20)),
                name="evaluation_mark_range",
                violation_error_message=_("La note finale est comprise entre 0 et 20."),
            ),
            models.CheckConstraint(
                condition=~Q(review_decision="adjust") | ~Q(review_justification=""),
                name="evaluation_adjustment_justified",
                violation_error_message=_("Un ajustement de la note doit être justifié."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.cycle.year} — {self.officer}"

    @property
    def is_closed(self) -> bool:
        return self.status == Step.CLOSED

    def due_date(self) -> datetime.date | None:
        """The deadline of the current step (None once closed or under appeal)."""
        if self.status == Step.SELF:
            return self.cycle.self_deadline
        if self.status == Step.RATING:
            return self.cycle.rating_deadline
        if self.status == Step.REVIEW:
            return self.cycle.review_deadline
        if self.status == Step.ACKNOWLEDGEMENT:
            return self.acknowledge_by
        return None


class Score(models.Model):
    """The supervisor's score on one criterion, on the form's scale, with a comment."""

    evaluation = models.ForeignKey(
        Evaluation, on_delete=models.CASCADE, related_name="scores", verbose_name=_("évaluation")
    )
    criterion = models.ForeignKey(
        Criterion, on_delete=models.PROTECT, related_name="+", verbose_name=_("critère")
    )
    score = models.DecimalField(_("note"), max_digits=5, decimal_places=2)
    comment = models.TextField(_("commentaire"), blank=True)

    class Meta:
        verbose_name = _("note par critère")
        verbose_name_plural = _("notes par critère")
        ordering = ["evaluation", "criterion__order", "criterion_id"]
        constraints = [
            models.UniqueConstraint(
                fields=["evaluation", "criterion"],
                name="score_once_per_criterion",
                violation_error_message=_("Ce critère est déjà noté."),
            ),
            models.CheckConstraint(
                condition=Q(score__gte=0),
                name="score_not_negative",
                violation_error_message=_("Une note n'est pas négative."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.criterion_id}: {self.score}"


class NoticeKind(models.TextChoices):
    REMINDER = "reminder", _("Rappel")
    ESCALATION = "escalation", _("Relance hiérarchique")


class Reminder(models.Model):
    """A reminder or an escalation sent about one step of an evaluation on one day.

    Unique per evaluation, step and day: the daily command never sends twice.
    """

    evaluation = models.ForeignKey(
        Evaluation, on_delete=models.CASCADE, related_name="reminders", verbose_name=_("évaluation")
    )
    step = models.CharField(_("étape"), max_length=8, choices=Step.choices)
    day = models.DateField(_("jour"))
    kind = models.CharField(_("nature"), max_length=10, choices=NoticeKind.choices)
    level = models.PositiveSmallIntegerField(_("niveau"), default=0)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("rappel")
        verbose_name_plural = _("rappels")
        ordering = ["evaluation", "day", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["evaluation", "step", "day"],
                name="reminder_once_per_step_day",
                violation_error_message=_("Un rappel a déjà été envoyé ce jour pour cette étape."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.evaluation_id} {self.step} {self.day}"
