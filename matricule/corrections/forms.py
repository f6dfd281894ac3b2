from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("widget", MultipleFileInput())
        super().__init__(*args, **kwargs)

    def clean(self, data: Any, initial: Any = None) -> Any:
        single = super().clean
        if isinstance(data, list | tuple):
            return [single(d, initial) for d in data]
        return [single(data, initial)] if data else []


class FieldCorrectionForm(forms.Form):
    value = forms.CharField(label=_("Valeur exacte"), max_length=255, required=False)
    justification = forms.CharField(
        label=_("Pourquoi cette information est-elle inexacte ?"),
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    scans = MultipleFileField(
        label=_("Pièces justificatives (PDF, JPEG ou PNG, 5 Mo au plus chacune)"), required=False
    )


class EventCorrectionForm(forms.Form):
    effective_date = forms.DateField(
        label=_("Date d'effet exacte"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
    )
    unit = forms.CharField(label=_("Code de l'unité exacte"), max_length=20, required=False)
    grade = forms.CharField(label=_("Code du grade exact"), max_length=10, required=False)
    function = forms.CharField(label=_("Fonction exacte"), max_length=150, required=False)
    detail = forms.CharField(label=_("Précision exacte"), max_length=255, required=False)
    act_number = forms.CharField(label=_("Numéro exact de l'acte"), max_length=60, required=False)
    act_date = forms.DateField(
        label=_("Date exacte de l'acte"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
    )
    justification = forms.CharField(
        label=_("Pourquoi cet événement est-il inexact ?"), widget=forms.Textarea(attrs={"rows": 3})
    )
    scans = MultipleFileField(
        label=_("Pièces justificatives (PDF, JPEG ou PNG, 5 Mo au plus chacune)"), required=False
    )

    def proposed(self) -> dict[str, str]:
        data = self.cleaned_data
        out = {}
        for key in (
            "effective_date",
            "unit",
            "grade",
            "function",
            "detail",
            "act_number",
            "act_date",
        ):
            value = data.get(key)
            if value:
                out[key] = value.isoformat() if hasattr(value, "isoformat") else str(value)
        return out


class DecisionForm(forms.Form):
    reason = forms.CharField(
        label=_("Motif du refus (communiqué à l'agent)"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )
    confirm_stale = forms.BooleanField(
        label=_("L'information a changé depuis la demande : appliquer quand même"), required=False
    )
