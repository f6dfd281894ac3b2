"""The promotion board (commission d'avancement), its decisions and the appeals."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from matricule.core.models import Grade
from matricule.personnel.models import CareerEvent, Officer
from matricule.promotions.models.campaigns import Campaign, Eligibility
from matricule.promotions.models.rules import Route


class Board(models.Model):
    """The commission of a campaign: a chair, members, minutes, the audit acknowledged."""

    campaign = models.OneToOneField(Campaign, on_delete=models.CASCADE, related_name="board")
    name = models.CharField(_("intitulé"), max_length=200)
    chair = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("président"),
    )
    sitting_date = models.DateField(_("date de la séance"), null=True, blank=True)
    minutes = models.TextField(_("procès-verbal"), blank=True)
    audit_acknowledged_at = models.DateTimeField(null=True, blank=True)
    audit_acknowledged_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    audit_comment = models.TextField(_("observations sur l'audit d'équité"), blank=True)

    class Meta:
        verbose_name = _("commission d'avancement")
        verbose_name_plural = _("commissions d'avancement")
        constraints = [
            models.CheckConstraint(
                condition=Q(audit_acknowledged_at__isnull=True) | ~Q(audit_comment=""),
                name="board_acknowledged_with_comment",
                violation_error_message=_("Le président prend acte de l'audit par un commentaire."),
            )
        ]

    def __str__(self) -> str:
        return self.name


class BoardMember(models.Model):
    """A user sitting on a board; they must hold the promotion-board role in the agency."""

    board = models.ForeignKey(Board, on_delete=models.CASCADE, related_name="members")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")

    class Meta:
        verbose_name = _("membre de commission")
        verbose_name_plural = _("membres de commission")
        constraints = [
            models.UniqueConstraint(
                fields=["board", "user"],
                name="boardmember_once",
                violation_error_message=_("Ce membre siège déjà dans la commission."),
            )
        ]

    def __str__(self) -> str:
        return str(self.user)


class Outcome(models.TextChoices):
    PROMOTED = "promoted", _("Promu")
    NOT_PROMOTED = "not_promoted", _("Non promu")
    DEFERRED = "deferred", _("Ajourné")


class Decision(models.Model):
    """What the board decided for one officer, with the act and, when needed, a justification."""

    campaign = models.ForeignKey(Campaign, on_delete=models.CASCADE, related_name="decisions")
    officer = models.ForeignKey(Officer, on_delete=models.PROTECT, related_name="+")
    eligibility = models.ForeignKey(
        Eligibility, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    target_grade = models.ForeignKey(Grade, on_delete=models.PROTECT, related_name="+")
    route = models.CharField(_("voie"), max_length=12, choices=Route.choices)
    outcome = models.CharField(_("décision"), max_length=12, choices=Outcome.choices)
    rank = models.PositiveIntegerField(_("rang"), null=True, blank=True)
    # A choice against the ranking (or an exceptional promotion) must be justified in writing.
    deviation = models.BooleanField(_("contraire au classement"), default=False)
    justification = models.TextField(_("justification"), blank=True)
    act_number = models.CharField(_("numéro de l'acte"), max_length=60, blank=True)
    act_date = models.DateField(_("date de l'acte"), null=True, blank=True)
    from_appeal = models.BooleanField(_("sur recours"), default=False)
    event = models.OneToOneField(
        CareerEvent, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    card_reprint = models.BooleanField(_("carte à réimprimer"), default=False)
    decided_at = models.DateTimeField(_("décidé le"))
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )

    class Meta:
        verbose_name = _("décision d'avancement")
        verbose_name_plural = _("décisions d'avancement")
        ordering = ["campaign", "target_grade__order", "rank", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["campaign", "officer"],
                name="decision_once_per_officer",
                violation_error_message=_("Cet agent a déjà une décision dans cette campagne."),
            ),
            models.CheckConstraint(
                condition=(Q(deviation=False) & ~Q(route="exceptional")) | ~Q(justification=""),
                name="decision_deviation_justified",
                violation_error_message=_(
                    "Une décision contraire au classement ou exceptionnelle doit être justifiée."
                ),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.officer_id} — {self.get_outcome_display()}"


class AppealStatus(models.TextChoices):
    PENDING = "pending", _("En attente")
    GRANTED = "granted", _("Accordé")
    REJECTED = "rejected", _("Rejeté")


def appeal_path(instance: Appeal, filename: str) -> str:
    return f"promotions/appeals/{instance.campaign_id}/{filename}"


class Appeal(models.Model):
    """An officer's appeal (recours) against the published tableau."""

    campaign = models.ForeignKey(Campaign, on_delete=models.CASCADE, related_name="appeals")
    officer = models.ForeignKey(Officer, on_delete=models.PROTECT, related_name="+")
    reason = models.TextField(_("motif du recours"))
    scan = models.FileField(_("pièce jointe (PDF)"), upload_to=appeal_path)
    filed_at = models.DateTimeField(_("déposé le"))
    status = models.CharField(
        _("état"), max_length=10, choices=AppealStatus.choices, default=AppealStatus.PENDING
    )
    answer = models.TextField(_("réponse motivée"), blank=True)
    decided_at = models.DateTimeField(null=True, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )

    class Meta:
        verbose_name = _("recours")
        verbose_name_plural = _("recours")
        ordering = ["-filed_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["campaign", "officer"],
                condition=Q(status="pending"),
                name="appeal_one_pending",
                violation_error_message=_("Un recours de cet agent est déjà en attente."),
            ),
            models.CheckConstraint(
                condition=Q(status="pending") | ~Q(answer=""),
                name="appeal_decided_with_reasons",
                violation_error_message=_("La décision sur un recours est motivée."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.officer_id} — {self.get_status_display()}"
