from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from matricule.accounts.roles import Role
from matricule.core.audit_labels import action_choices
from matricule.core.models import Agency, Unit
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


# --- Administration -------------------------------------------------------------------


class ReasonForm(forms.Form):
    reason = forms.CharField(
        label=_("Motif (inscrit dans la piste d'audit)"),
        min_length=5,
        max_length=300,
        widget=forms.Textarea(attrs={"rows": 2}),
    )


class UserCreateForm(ReasonForm):
    username = forms.RegexField(
        label=_("Identifiant de connexion"),
        regex=r"^[\w.@+-]{3,150}$",
        max_length=150,
        error_messages={
            "invalid": _("Lettres, chiffres et . @ + - _ seulement, 3 caractères au moins.")
        },
    )
    first_name = forms.CharField(label=_("Prénom(s)"), required=False, max_length=150)
    last_name = forms.CharField(label=_("Nom"), required=False, max_length=150)
    email = forms.EmailField(label=_("Courriel"), required=False)
    field_order = ["username", "first_name", "last_name", "email", "reason"]


def unit_label(unit: Unit) -> str:
    return f"{unit.agency.short_name} — " + "\u00a0\u00a0" * unit.depth + unit.name


class GrantForm(ReasonForm):
    role = forms.ChoiceField(label=_("Rôle"), choices=Role.choices)
    agency = forms.ModelChoiceField(label=_("Agence"), queryset=Agency.objects.none())
    unit = forms.ModelChoiceField(
        label=_("Limité à l'unité (et ses subdivisions)"),
        queryset=Unit.objects.none(),
        required=False,
        empty_label=_("— toute l'agence —"),
    )
    field_order = ["role", "agency", "unit", "reason"]

    def __init__(self, *args: Any, agencies: set[int], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        agency = self.fields["agency"]
        assert isinstance(agency, forms.ModelChoiceField)
        agency.queryset = Agency.objects.filter(pk__in=agencies).order_by("short_name")
        unit = self.fields["unit"]
        assert isinstance(unit, forms.ModelChoiceField)
        unit.queryset = (
            Unit.objects.filter(agency_id__in=agencies, is_active=True)
            .select_related("agency")
            .order_by("agency__short_name", "path")
        )
        unit.label_from_instance = unit_label  # type: ignore[method-assign,assignment]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        unit, agency = data.get("unit"), data.get("agency")
        if unit is not None and agency is not None and unit.agency_id != agency.pk:
            self.add_error("unit", _("L'unité doit appartenir à l'agence choisie."))
        return data


class GrantChangeForm(ReasonForm):
    unit = forms.ModelChoiceField(
        label=_("Nouveau périmètre : unité (et ses subdivisions)"),
        queryset=Unit.objects.none(),
        required=False,
        empty_label=_("— toute l'agence —"),
    )
    field_order = ["unit", "reason"]

    def __init__(self, *args: Any, agency_id: int, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        unit = self.fields["unit"]
        assert isinstance(unit, forms.ModelChoiceField)
        unit.queryset = (
            Unit.objects.filter(agency_id=agency_id, is_active=True)
            .select_related("agency")
            .order_by("path")
        )
        unit.label_from_instance = unit_label  # type: ignore[method-assign,assignment]


class UnitPickForm(forms.Form):
    unit = forms.ModelChoiceField(label=_("Unité"), queryset=Unit.objects.none())

    def __init__(self, *args: Any, agencies: set[int], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        unit = self.fields["unit"]
        assert isinstance(unit, forms.ModelChoiceField)
        unit.queryset = (
            Unit.objects.filter(agency_id__in=agencies)
            .select_related("agency")
            .order_by("agency__short_name", "path")
        )
        unit.label_from_instance = unit_label  # type: ignore[method-assign,assignment]
