"""Evaluation forms: a dated version per corps, with its weighted criteria and scale."""

from __future__ import annotations

from decimal import Decimal

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from matricule.core.models import Agency, Corps

DEFAULT_SCALE = Decimal("20")
STEPS = (Decimal("0.25"), Decimal("0.5"), Decimal("1"))


class FormVersion(models.Model):
    """One dated version of a corps' evaluation form (fiche de notation).

    Versions of a corps do not overlap; an evaluation keeps the version it was opened
    with, and a version used by an evaluation is no longer edited (a new one is made).
    """

    agency = models.ForeignKey(
        Agency, on_delete=models.PROTECT, related_name="+", verbose_name=_("agence")
    )
    corps = models.ForeignKey(
        Corps, on_delete=models.PROTECT, related_name="+", verbose_name=_("corps")
    )
    name = models.CharField(_("intitulé"), max_length=150)
    valid_from = models.DateField(_("en vigueur du"))
    valid_to = models.DateField(_("jusqu'au"), null=True, blank=True)
    scale_max = models.DecimalField(_("note maximale"), max_digits=5, decimal_places=2, default=20)
    step = models.DecimalField(
        _("pas de notation"),
        max_digits=4,
        decimal_places=2,
        default=Decimal("0.5"),
        help_text=_("0,25, 0,5 ou 1 : les notes sont des multiples du pas."),
    )
    comment_below = models.DecimalField(
        _("commentaire obligatoire sous"),
        max_digits=5,
        decimal_places=2,
        null=True,
        blank=True,
        help_text=_("Une note inférieure à cette valeur doit être commentée."),
    )
    comment_above = models.DecimalField(
        _("commentaire obligatoire au-dessus de"),
        max_digits=5,
        decimal_places=2,
        null=True,
        blank=True,
        help_text=_("Une note supérieure à cette valeur doit être commentée."),
    )
    version = models.PositiveIntegerField(default=1, editable=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("fiche de notation")
        verbose_name_plural = _("fiches de notation")
        ordering = ["corps", "-valid_from"]
        constraints = [
            models.CheckConstraint(
                condition=Q(valid_to__isnull=True) | Q(valid_to__gt=models.F("valid_from")),
                name="form_dates_ordered",
                violation_error_message=_("La fin de validité doit suivre l'entrée en vigueur."),
            ),
            models.CheckConstraint(
                condition=Q(scale_max__gt=0) & Q(step__gt=0) & Q(step__lte=models.F("scale_max")),
                name="form_scale_positive",
                violation_error_message=_(
                    "La note maximale et le pas sont positifs, le pas au plus égal à la note "
                    "maximale."
                ),
            ),
            models.UniqueConstraint(
                fields=["corps", "valid_from"],
                name="form_once_per_corps_date",
                violation_error_message=_(
                    "Une version de la fiche de ce corps commence déjà à cette date."
                ),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.name} ({self.valid_from:%d/%m/%Y})"


class Criterion(models.Model):
    """A weighted criterion of a form version (manière de servir, discipline…)."""

    form = models.ForeignKey(
        FormVersion, on_delete=models.CASCADE, related_name="criteria", verbose_name=_("fiche")
    )
    code = models.CharField(_("code"), max_length=30)
    label = models.CharField(_("critère"), max_length=150)
    weight = models.DecimalField(_("coefficient"), max_digits=5, decimal_places=2, default=1)
    order = models.PositiveSmallIntegerField(_("ordre"), default=0)

    class Meta:
        verbose_name = _("critère")
        verbose_name_plural = _("critères")
        ordering = ["form", "order", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["form", "code"],
                name="criterion_code_once_per_form",
                violation_error_message=_("Ce critère figure déjà sur la fiche."),
            ),
            models.CheckConstraint(
                condition=Q(weight__gt=0),
                name="criterion_weight_positive",
                violation_error_message=_("Le coefficient d'un critère est positif."),
            ),
        ]

    def __str__(self) -> str:
        return self.label


def plain(value: Decimal) -> str:
    """A decimal as a clerk writes it: 15 for 15.00, 14.5 for 14.50."""
    text = format(value.normalize(), "f")
    return text
