"""Correction requests filed by officers on their own record, and in-app notifications."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

PENDING_FIELD_MESSAGE = _(
    "Une demande de correction de cette information est déjà en attente : attendez la "
    "réponse du service des ressources humaines, ou retirez-la pour en déposer une autre."
)
PENDING_EVENT_MESSAGE = _(
    "Une demande de correction de cet événement est déjà en attente : attendez la réponse "
    "du service des ressources humaines, ou retirez-la pour en déposer une autre."
)


class CorrectionRequest(models.Model):
    class Target(models.TextChoices):
        FIELD = "field", _("information du dossier")
        EVENT = "event", _("événement de carrière")

    class State(models.TextChoices):
        PENDING = "pending", _("En attente")
        APPROVED = "approved", _("Acceptée")
        REJECTED = "rejected", _("Refusée")
        WITHDRAWN = "withdrawn", _("Retirée")

    officer = models.ForeignKey(
        "personnel.Officer",
        on_delete=models.CASCADE,
        related_name="correction_requests",
        verbose_name=_("agent"),
    )
    target = models.CharField(_("objet"), max_length=5, choices=Target.choices)
    field_name = models.CharField(_("information"), max_length=40, blank=True)
    event = models.ForeignKey(
        "personnel.CareerEvent",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="correction_requests",
        verbose_name=_("événement"),
    )
    # What the record said when the request was filed, to spot stale requests.
    current = models.JSONField(_("valeur au dépôt"))
    proposed = models.JSONField(_("valeur demandée"))
    justification = models.TextField(_("justification"))
    state = models.CharField(
        _("état"), max_length=10, choices=State.choices, default=State.PENDING, db_index=True
    )
    created_at = models.DateTimeField(_("déposée le"), auto_now_add=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("déposée par"),
    )
    decided_at = models.DateTimeField(_("traitée le"), null=True, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("traitée par"),
    )
    decision_reason = models.TextField(_("motif"), blank=True)

    class Meta:
        verbose_name = _("demande de correction")
        verbose_name_plural = _("demandes de correction")
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["state", "created_at"], name="correction_queue")]
        constraints = [
            models.CheckConstraint(
                condition=(Q(target="field") & ~Q(field_name="") & Q(event__isnull=True))
                | (Q(target="event") & Q(event__isnull=False)),
                name="correction_target_consistent",
                violation_error_message=_(
                    "Une demande porte soit sur une information du "
                    "dossier, soit sur un événement de carrière."
                ),
            ),
            # One pending request per field or event: twenty clicks are one request.
            models.UniqueConstraint(
                fields=["officer", "field_name"],
                condition=Q(state="pending", target="field"),
                name="correction_one_pending_per_field",
                violation_error_message=PENDING_FIELD_MESSAGE,
            ),
            models.UniqueConstraint(
                fields=["event"],
                condition=Q(state="pending", target="event"),
                name="correction_one_pending_per_event",
                violation_error_message=PENDING_EVENT_MESSAGE,
            ),
        ]

    def __str__(self) -> str:
        return f"#{self.pk} {self.officer_id} {self.field_name or self.event_id}"


def evidence_path(instance: CorrectionEvidence, filename: str) -> str:
    return f"corrections/{instance.request_id}/{filename}"


class CorrectionEvidence(models.Model):
    request = models.ForeignKey(
        CorrectionRequest, on_delete=models.CASCADE, related_name="evidence"
    )
    file = models.FileField(upload_to=evidence_path)
    content_type = models.CharField(max_length=50)
    size = models.PositiveIntegerField()
    original_name = models.CharField(max_length=150)

    class Meta:
        verbose_name = _("pièce justificative")
        verbose_name_plural = _("pièces justificatives")

    def __str__(self) -> str:
        return self.original_name
