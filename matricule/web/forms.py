from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from matricule.core.audit_labels import action_choices
from matricule.core.refcache import UnitRow


class AuditFilterForm(forms.Form):
    officer = forms.CharField(
        label=_("Agent concerné (nom ou matricule)"),
        required=False,
        max_length=100,
        widget=forms.TextInput(attrs={"type": "search", "placeholder": _("ex. traore, PN0012")}),
    )
    actor = forms.CharField(label=_("Auteur (identifiant)"), required=False, max_length=150)
    action = forms.ChoiceField(label=_("Action"), required=False)
    unit = forms.ChoiceField(label=_("Unité de l'agent (et subdivisions)"), required=False)
    date_from = forms.DateField(
        label=_("Du"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    date_to = forms.DateField(
        label=_("Au"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )

    def __init__(self, *args: Any, units: list[UnitRow], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        action = self.fields["action"]
        assert isinstance(action, forms.ChoiceField)
        action.choices = [("", _("Toutes")), *action_choices()]
        unit = self.fields["unit"]
        assert isinstance(unit, forms.ChoiceField)
        unit.choices = [
            ("", _("Toutes")),
            *[(u.code, "\u00a0\u00a0" * u.depth + u.name) for u in units],
        ]
        self.units = {u.code: u for u in units}

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("date_from") and data.get("date_to") and data["date_from"] > data["date_to"]:
            raise forms.ValidationError(_("La date de début doit précéder la date de fin."))
        data["unit_row"] = self.units.get(data.get("unit") or "")
        return data
