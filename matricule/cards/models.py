"""Professional ID cards: signing keys, cards and their lifecycle, public checks, designs."""

from __future__ import annotations

from django.conf import settings
from django.core.validators import RegexValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from matricule.core.models import Agency

colour_validator = RegexValidator(
    r"^#[0-9A-Fa-f]{6}$", _("Couleur au format #RRVVBB (ex. #123a6b).")
)


class CardKey(models.Model):
    """A signing key. Only the public half is stored here; the private half is a file
    (mode 0600) in MATRICULE_CARD_KEY_DIR. A retired key still verifies what it signed."""

    kid = models.CharField(_("identifiant de clé"), max_length=16, unique=True)
    algorithm = models.CharField(_("algorithme"), max_length=10, default="EdDSA")
    public_key = models.BinaryField(_("clé publique"))
    created_at = models.DateTimeField(_("créée le"), auto_now_add=True)
    retired_at = models.DateTimeField(_("retirée le"), null=True, blank=True)

    class Meta:
        verbose_name = _("clé de signature des cartes")
        verbose_name_plural = _("clés de signature des cartes")
        ordering = ["-created_at", "-id"]
        constraints = [
            # At most one key signs new cards at any time.
            models.UniqueConstraint(
                fields=["algorithm"],
                condition=Q(retired_at__isnull=True),
                name="cardkey_one_current",
                violation_error_message=_("Une seule clé de signature peut être en service."),
            ),
        ]

    def __str__(self) -> str:
        return self.kid


class CardCounter(models.Model):
    """The one row card numbers come from; numbers are never reused, even for voided cards."""

    last = models.PositiveBigIntegerField(default=0)

    class Meta:
        verbose_name = _("compteur de cartes")
        verbose_name_plural = _("compteurs de cartes")

    def __str__(self) -> str:
        return str(self.last)


class CardStatus(models.TextChoices):
    REQUESTED = "requested", _("Demandée")
    PRINTED = "printed", _("Imprimée")
    ISSUED = "issued", _("Remise")
    ACTIVE = "active", _("Active")
    LOST = "lost", _("Perdue")
    STOLEN = "stolen", _("Volée")
    REVOKED = "revoked", _("Révoquée")
    EXPIRED = "expired", _("Expirée")
    RETURNED = "returned", _("Restituée")


# A card in the holder's hands that proves who they are (until its expiry date).
VALID_STATUSES = (CardStatus.ISSUED, CardStatus.ACTIVE)
# Cards still on their way to the holder.
PENDING_STATUSES = (CardStatus.REQUESTED, CardStatus.PRINTED)
# Ends of the lifecycle: a card never comes back from these.
WITHDRAWN_STATUSES = (
    CardStatus.LOST,
    CardStatus.STOLEN,
    CardStatus.REVOKED,
    CardStatus.RETURNED,
)


class RevokeReason(models.TextChoices):
    LOST = "lost", _("Perdue")
    STOLEN = "stolen", _("Volée")
    REVOKED = "revoked", _("Révoquée")
    RETURNED = "returned", _("Restituée")


class Card(models.Model):
    number = models.CharField(_("numéro de carte"), max_length=20, unique=True)
    officer = models.ForeignKey(
        "personnel.Officer",
        on_delete=models.PROTECT,
        related_name="cards",
        verbose_name=_("agent"),
    )
    agency = models.ForeignKey(
        Agency, on_delete=models.PROTECT, related_name="+", verbose_name=_("agence")
    )
    status = models.CharField(
        _("état"), max_length=10, choices=CardStatus.choices, default=CardStatus.REQUESTED
    )
    requested_at = models.DateTimeField(_("demandée le"))
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("demandée par"),
    )
    printed_at = models.DateTimeField(_("imprimée le"), null=True, blank=True)
    issued_on = models.DateField(_("date de délivrance"), null=True, blank=True)
    expires_on = models.DateField(_("date d'expiration"), null=True, blank=True)
    handed_over_at = models.DateTimeField(_("remise le"), null=True, blank=True)
    handed_over_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("remise par"),
    )
    handed_to = models.CharField(
        _("remise à"),
        max_length=150,
        blank=True,
        help_text=_("Le titulaire, ou la personne qui a reçu la carte pour lui."),
    )
    activated_at = models.DateTimeField(_("activée le"), null=True, blank=True)
    ended_at = models.DateTimeField(_("fin de validité le"), null=True, blank=True)
    end_reason = models.CharField(_("motif"), max_length=255, blank=True)
    kid = models.CharField(_("clé de signature"), max_length=16, blank=True)
    token = models.CharField(_("jeton signé"), max_length=400, blank=True)

    class Meta:
        verbose_name = _("carte professionnelle")
        verbose_name_plural = _("cartes professionnelles")
        ordering = ["-requested_at", "-id"]
        indexes = [
            models.Index(fields=["officer", "status"], name="card_officer_status"),
            models.Index(fields=["status", "requested_at"], name="card_status_requested"),
        ]
        constraints = [
            # One card in the making and one in the holder's hands at a time: handing
            # over the new card ends the old one.
            models.UniqueConstraint(
                fields=["officer"],
                condition=Q(status__in=["requested", "printed"]),
                name="card_one_pending_per_officer",
                violation_error_message=_("Une carte est déjà en préparation pour cet agent."),
            ),
            models.UniqueConstraint(
                fields=["officer"],
                condition=Q(status__in=["issued", "active"]),
                name="card_one_valid_per_officer",
                violation_error_message=_("Cet agent a déjà une carte valide."),
            ),
            models.CheckConstraint(
                condition=Q(expires_on__isnull=True) | Q(expires_on__gt=models.F("issued_on")),
                name="card_expires_after_issue",
                violation_error_message=_(
                    "La date d'expiration de la carte doit suivre sa délivrance."
                ),
            ),
            models.CheckConstraint(
                condition=Q(printed_at__isnull=True) | ~Q(token=""),
                name="card_printed_has_token",
                violation_error_message=_("Une carte imprimée porte son code signé."),
            ),
        ]

    def __str__(self) -> str:
        return self.number


class VerificationResult(models.TextChoices):
    VALID = "valid", _("VALIDE")
    REVOKED = "revoked", _("RÉVOQUÉE")
    EXPIRED = "expired", _("EXPIRÉE")
    INVALID = "invalid", _("INVALIDE")


class CardVerification(models.Model):
    """One public check of a card. Nothing about the person checking is kept."""

    checked_at = models.DateTimeField(_("vérifiée le"), auto_now_add=True)
    card = models.ForeignKey(
        Card,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="verifications",
        verbose_name=_("carte"),
    )
    result = models.CharField(_("résultat"), max_length=8, choices=VerificationResult.choices)

    class Meta:
        verbose_name = _("vérification de carte")
        verbose_name_plural = _("vérifications de carte")
        ordering = ["-checked_at", "-id"]
        indexes = [models.Index(fields=["card", "checked_at"], name="cardcheck_card_time")]

    def __str__(self) -> str:
        return f"{self.checked_at:%Y-%m-%d %H:%M} {self.result}"


class CardTemplate(models.Model):
    """The design of an agency's cards: texts and colours."""

    agency = models.OneToOneField(
        Agency, on_delete=models.CASCADE, related_name="card_template", verbose_name=_("agence")
    )
    title = models.CharField(_("titre de la carte"), max_length=80, default="CARTE PROFESSIONNELLE")
    country = models.CharField(_("pays"), max_length=80, default="RÉPUBLIQUE DU MALI")
    motto = models.CharField(_("devise"), max_length=80, default="Un Peuple – Un But – Une Foi")
    issuing_authority = models.CharField(_("autorité de délivrance"), max_length=200)
    signatory_title = models.CharField(_("qualité du signataire"), max_length=150, blank=True)
    back_text = models.TextField(
        _("texte du verso"), help_text=_("Conduite à tenir en cas de découverte de la carte.")
    )
    primary_colour = models.CharField(
        _("couleur principale"), max_length=7, default="#123a6b", validators=[colour_validator]
    )
    accent_colour = models.CharField(
        _("couleur d'accent"), max_length=7, default="#c8102e", validators=[colour_validator]
    )

    class Meta:
        verbose_name = _("modèle de carte")
        verbose_name_plural = _("modèles de carte")

    def __str__(self) -> str:
        return f"{self.agency.code} — {self.title}"
