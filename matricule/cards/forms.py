"""Forms of the badge office and of the officer's own card page."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from matricule.cards.models import CardStatus, RevokeReason
from matricule.core.refcache import UnitRow


class CardFilterForm(forms.Form):
    q = forms.CharField(label=_("N° de carte ou matricule"), required=False, max_length=30)
    status = forms.ChoiceField(
        label=_("État"), required=False, choices=[("", _("Tous")), *CardStatus.choices]
    )
    unit = forms.ChoiceField(label=_("Unité"), required=False)

    def __init__(self, *args: Any, units: list[UnitRow], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["unit"].choices = [("", _("Toutes"))] + [  # type: ignore[attr-defined]
            (u.code, f"{'· ' * u.depth}{u.name}") for u in units
        ]


class UnitChoiceForm(forms.Form):
    unit = forms.ChoiceField(
        label=_("Unité (et ses subdivisions)"),
        error_messages={
            "invalid_choice": _("Choisissez une unité de votre périmètre."),
            "required": _("Choisissez une unité de votre périmètre."),
        },
    )

    def __init__(self, *args: Any, units: list[UnitRow], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.units = {u.code: u for u in units}
        self.fields["unit"].choices = [("", "—")] + [  # type: ignore[attr-defined]
            (u.code, f"{'· ' * u.depth}{u.name}") for u in units
        ]

    def clean_unit(self) -> UnitRow:
        code = self.cleaned_data["unit"]
        unit = self.units.get(code)
        if unit is None:
            raise forms.ValidationError(_("Choisissez une unité de votre périmètre."))
        return unit


class PrintForm(forms.Form):
    cards = forms.MultipleChoiceField(
        label=_("Cartes à imprimer"),
        widget=forms.CheckboxSelectMultiple,
        error_messages={"required": _("Cochez au moins une carte à imprimer.")},
    )

    allow_no_photo = forms.BooleanField(
        label=_("Imprimer aussi les cartes cochées dont le titulaire n'a pas de photo"),
        required=False,
    )

    def __init__(self, *args: Any, numbers: list[str], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["cards"].choices = [(n, n) for n in numbers]  # type: ignore[attr-defined]


class HandOverForm(forms.Form):
    handed_to = forms.CharField(
        label=_("Remise à"),
        max_length=150,
        help_text=_("Le titulaire lui-même, ou la personne qui reçoit la carte pour lui."),
    )
    confirm = forms.BooleanField(
        label=_("Je confirme que la carte a été remise en main propre."),
        error_messages={"required": _("Cochez la case pour confirmer la remise.")},
    )


class WithdrawForm(forms.Form):
    reason = forms.ChoiceField(label=_("Motif"), choices=RevokeReason.choices)
    detail = forms.CharField(
        label=_("Précision"),
        required=False,
        max_length=200,
        help_text=_("Par exemple : déclaration de perte n° …, circonstances du vol."),
    )
    confirm = forms.BooleanField(
        label=_("Je confirme : la carte cessera d'être valide immédiatement et définitivement."),
        error_messages={"required": _("Cochez la case pour confirmer.")},
    )


class ConfirmForm(forms.Form):
    confirm = forms.BooleanField(
        label=_("Je confirme."),
        error_messages={"required": _("Cochez la case pour confirmer.")},
    )
