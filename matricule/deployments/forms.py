"""Forms of the deployments screens. They read input; the rules live in the services."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from matricule.core.models import Grade, Language, Region, Signatory, Skill, Unit
from matricule.core.refcache import UnitRow
from matricule.deployments.models import (
    DocumentKind,
    OperationKind,
    PartnerAgency,
    RequirementKind,
    UnTest,
)
from matricule.deployments.selectors.availability import date_in_range
from matricule.deployments.selectors.search import MAX_MISSING_CHOICES
from matricule.personnel.forms import date_field, indented, set_queryset
from matricule.personnel.models import ActKind, Sex


def _unit_choices(units: list[UnitRow], blank: Any) -> list[tuple[str, str]]:
    return [("", str(blank)), *[(u.code, "\u00a0\u00a0" * u.depth + u.name) for u in units]]


class OperationForm(forms.Form):
    name = forms.CharField(label=_("Nom de l'opération"), max_length=200)
    kind = forms.ChoiceField(label=_("Nature"), choices=OperationKind.choices)
    start_date = date_field(_("Date de début"))
    end_date = date_field(_("Date de fin (vide : sans date de fin)"), required=False)
    region = forms.ModelChoiceField(
        label=_("Région (opération au Mali)"), queryset=Region.objects.none(), required=False
    )
    country = forms.CharField(label=_("Pays (mission à l'étranger)"), max_length=80, required=False)
    place = forms.CharField(label=_("Lieu"), max_length=200, required=False)
    lead_unit = forms.ModelChoiceField(
        label=_("Unité de commandement"), queryset=Unit.objects.none()
    )
    partners = forms.ModelMultipleChoiceField(
        label=_("Partenaires"),
        queryset=PartnerAgency.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    description = forms.CharField(
        label=_("Description"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )
    act_kind = forms.ChoiceField(
        label=_("Type d'acte"), choices=[("", "—"), *ActKind.choices], required=False
    )
    act_number = forms.CharField(
        label=_("Numéro de l'acte (ordre ou décision d'engagement)"), max_length=60, required=False
    )
    act_date = date_field(_("Date de l'acte"), required=False)
    act_signatory = forms.ModelChoiceField(
        label=_("Signataire"), queryset=Signatory.objects.none(), required=False
    )
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args: Any, agency_id: int, unit_ids: list[int], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        set_queryset(self, "region", Region.objects.order_by("name"))
        set_queryset(
            self,
            "lead_unit",
            Unit.objects.filter(pk__in=unit_ids, is_active=True).order_by("path"),
            indented,
        )
        partners = self.fields["partners"]
        assert isinstance(partners, forms.ModelMultipleChoiceField)
        partners.queryset = PartnerAgency.objects.filter(is_active=True).order_by("short_name")
        set_queryset(
            self, "act_signatory", Signatory.objects.filter(agency_id=agency_id, is_active=True)
        )


def _grades(agency_id: int) -> Any:
    from django.utils import timezone

    today = timezone.localdate()
    return (
        Grade.objects.filter(statute__agency_id=agency_id, statute__effective_from__lte=today)
        .exclude(statute__effective_to__lte=today)
        .order_by("order")
    )


class PositionForm(forms.Form):
    title = forms.CharField(label=_("Intitulé du poste"), max_length=150)
    count = forms.IntegerField(label=_("Nombre de postes"), min_value=1, max_value=500, initial=1)
    grade_min = forms.ModelChoiceField(
        label=_("Grade minimal"), queryset=Grade.objects.none(), required=False
    )
    grade_max = forms.ModelChoiceField(
        label=_("Grade maximal"), queryset=Grade.objects.none(), required=False
    )
    service_years_min = forms.IntegerField(
        label=_("Années de service minimales"), min_value=0, max_value=45, required=False
    )
    age_min = forms.IntegerField(label=_("Âge minimal"), min_value=18, max_value=70, required=False)
    age_max = forms.IntegerField(label=_("Âge maximal"), min_value=18, max_value=70, required=False)
    sex = forms.ChoiceField(
        label=_("Sexe exigé (seulement si le poste l'exige)"),
        choices=[("", _("Indifférent")), *Sex.choices],
        required=False,
    )
    pool_unit = forms.ModelChoiceField(
        label=_("Puiser dans l'unité (et ses subdivisions)"),
        queryset=Unit.objects.none(),
        required=False,
    )
    pool_region = forms.ModelChoiceField(
        label=_("Puiser dans la région"), queryset=Region.objects.none(), required=False
    )
    notes = forms.CharField(
        label=_("Précisions"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )

    def __init__(self, *args: Any, agency_id: int, unit_ids: list[int], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        set_queryset(self, "grade_min", _grades(agency_id))
        set_queryset(self, "grade_max", _grades(agency_id))
        set_queryset(
            self, "pool_unit", Unit.objects.filter(pk__in=unit_ids).order_by("path"), indented
        )
        set_queryset(self, "pool_region", Region.objects.order_by("name"))


class RequirementForm(forms.Form):
    kind = forms.ChoiceField(label=_("Nature de l'exigence"), choices=RequirementKind.choices)
    skill = forms.ModelChoiceField(
        label=_("Compétence ou catégorie de permis"),
        queryset=Skill.objects.none(),
        required=False,
    )
    language = forms.ModelChoiceField(
        label=_("Langue"), queryset=Language.objects.none(), required=False
    )
    min_level = forms.IntegerField(
        label=_("Niveau minimal (compétence : 1 à 5 ; langue : 1 = A2, 2 = B1, 3 = B2, 4 = C1)"),
        min_value=1,
        max_value=10,
        initial=1,
    )
    years_held = forms.IntegerField(
        label=_("Permis détenu depuis (années)"), min_value=0, max_value=40, initial=0
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        set_queryset(
            self,
            "skill",
            Skill.objects.select_related("category").order_by("category__name", "name"),
            lambda s: f"{s.category.name} — {s.name}",
        )
        set_queryset(self, "language", Language.objects.order_by("name"))


def _check_range(form: forms.Form, *names: str) -> None:
    for name in names:
        if not date_in_range(form.cleaned_data.get(name)):
            form.add_error(name, _("Date hors des limites admises (1960 à 2100)."))


class SearchForm(forms.Form):
    """The search filters (GET); codes as in the API."""

    start = date_field(_("Du"), required=False)
    end = date_field(_("Au"), required=False)
    unit = forms.ChoiceField(label=_("Unité"), required=False)
    region = forms.ChoiceField(label=_("Région"), required=False)
    grade = forms.ChoiceField(label=_("Grade"), required=False)
    max_missing = forms.TypedChoiceField(
        label=_("Exigences manquantes tolérées"),
        choices=[(n, str(n)) for n in MAX_MISSING_CHOICES],
        coerce=int,
        required=False,
    )
    include_unavailable = forms.BooleanField(
        label=_("Montrer aussi les agents indisponibles"), required=False
    )

    def __init__(
        self, *args: Any, units: list[UnitRow], regions: list[Any], grades: list[Any], **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        self.fields["unit"].choices = _unit_choices(units, _("Tout mon périmètre"))  # type: ignore[attr-defined]
        self.fields["region"].choices = [  # type: ignore[attr-defined]
            ("", _("Toutes")),
            *[(r.code, r.name) for r in regions],
        ]
        self.fields["grade"].choices = [  # type: ignore[attr-defined]
            ("", _("Tous")),
            *[(g.code, g.name) for g in grades],
        ]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        _check_range(self, "start", "end")
        return data


class AssignForm(forms.Form):
    matricule = forms.CharField(label=_("Matricule de l'agent"), max_length=20)
    start_date = date_field(_("Début de la mission"), required=False)
    end_date = date_field(_("Fin de la mission"), required=False)


class EndForm(forms.Form):
    last_day = date_field(_("Dernier jour de mission"))
    reason = forms.CharField(label=_("Motif (fin prévue, rappel, santé…)"), max_length=255)


class CancelForm(forms.Form):
    reason = forms.CharField(label=_("Motif de l'annulation"), max_length=255)


class DocumentForm(forms.Form):
    kind = forms.ChoiceField(label=_("Nature"), choices=DocumentKind.choices)
    title = forms.CharField(label=_("Intitulé"), max_length=200)
    date = date_field(_("Date du document"))
    file = forms.FileField(label=_("Fichier PDF (10 Mo au plus)"))


class UnAssessmentForm(forms.Form):
    matricule = forms.CharField(label=_("Matricule de l'agent"), max_length=20)
    test = forms.ChoiceField(label=_("Épreuve"), choices=UnTest.choices)
    taken_on = date_field(_("Date de l'épreuve"))
    score = forms.DecimalField(
        label=_("Note (%) — obligatoire pour la langue"),
        min_value=0,
        max_value=100,
        decimal_places=2,
        required=False,
    )
    passed = forms.TypedChoiceField(
        label=_("Résultat (autres épreuves)"),
        choices=[("", "—"), ("1", _("Réussie")), ("0", _("Échouée"))],
        coerce=lambda v: v == "1",
        empty_value=None,
        required=False,
    )
    language = forms.ModelChoiceField(
        label=_("Langue de l'épreuve"), queryset=Language.objects.none(), required=False
    )
    session = forms.CharField(label=_("Session d'évaluation"), max_length=150, required=False)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        set_queryset(self, "language", Language.objects.filter(code__in=["en", "fr", "ar"]))


class CriticalSkillForm(forms.Form):
    skill = forms.ModelChoiceField(label=_("Compétence"), queryset=Skill.objects.none())
    min_level = forms.IntegerField(label=_("Niveau minimal"), min_value=1, max_value=10, initial=1)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        set_queryset(
            self,
            "skill",
            Skill.objects.select_related("category").order_by("category__name", "name"),
            lambda s: f"{s.category.name} — {s.name}",
        )


class UnitReadinessForm(forms.Form):
    unit = forms.ChoiceField(label=_("Unité (et ses subdivisions)"), required=False)
    start = date_field(_("Période du"), required=False)
    end = date_field(_("au"), required=False)

    def __init__(self, *args: Any, units: list[UnitRow], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["unit"].choices = _unit_choices(units, _("Tout mon périmètre"))  # type: ignore[attr-defined]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        _check_range(self, "start", "end")
        return data


class RosterForm(forms.Form):
    show = forms.ChoiceField(
        choices=[
            ("cleared", _("Habilités")),
            ("expiring", _("Expirent sous 90 jours")),
            ("one_short", _("À une épreuve près")),
            ("all", _("Tous les agents évalués")),
        ],
        required=False,
    )
    armed = forms.BooleanField(label=_("Mission armée (tir exigé)"), required=False)
