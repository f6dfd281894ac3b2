"""Forms of the promotions screens (validation of input only; rules live in the services)."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from matricule.core.models import Grade
from matricule.personnel.forms import date_field
from matricule.promotions.models import Component, MissingCycles, Outcome, Route
from matricule.training.models import Course


def _grades(agency_id: int) -> Any:
    return (
        Grade.objects.filter(statute__agency_id=agency_id, statute__effective_to__isnull=True)
        .select_related("corps")
        .order_by("order")
    )


class RuleForm(forms.Form):
    target_grade = forms.ModelChoiceField(label=_("Grade visé"), queryset=Grade.objects.none())
    route = forms.ChoiceField(label=_("Voie"), choices=Route.choices)
    valid_from = date_field(_("En vigueur à partir du"))
    source_grades = forms.ModelMultipleChoiceField(
        label=_("Grades d'origine"), queryset=Grade.objects.none(), required=False
    )
    min_years_in_grade = forms.IntegerField(label=_("Années minimum dans le grade"), min_value=0)
    min_years_of_service = forms.IntegerField(
        label=_("Années minimum de service"), min_value=0, initial=0
    )
    min_average_mark = forms.DecimalField(
        label=_("Note moyenne minimum (/20)"), min_value=0, max_value=20, required=False
    )
    mark_cycles = forms.IntegerField(
        label=_("Nombre de cycles d'évaluation pris en compte"),
        min_value=1,
        max_value=10,
        initial=3,
    )
    missing_cycles = forms.ChoiceField(label=_("Cycle manquant"), choices=MissingCycles.choices)
    required_courses = forms.ModelMultipleChoiceField(
        label=_("Formations obligatoires"), queryset=Course.objects.none(), required=False
    )
    max_sanction_group = forms.IntegerField(
        label=_("Groupe de sanction toléré (0 à 4)"), min_value=0, max_value=4, initial=1
    )
    sanction_years = forms.IntegerField(label=_("Années sans sanction"), min_value=0, initial=3)
    no_pending_case = forms.BooleanField(
        label=_("Aucune procédure disciplinaire en cours"), required=False, initial=True
    )
    max_age = forms.IntegerField(
        label=_("Âge maximum à la date de référence"), min_value=18, max_value=70, required=False
    )
    min_exam_score = forms.DecimalField(
        label=_("Note minimum à l'examen (/20)"), min_value=0, max_value=20, required=False
    )
    service_cap_years = forms.IntegerField(
        label=_("Plafond des années de service comptées"), min_value=1, initial=30
    )
    note = forms.CharField(
        label=_("Commentaire (texte de référence)"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )

    def __init__(self, *args: Any, agency_id: int, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        grades = _grades(agency_id)
        target = self.fields["target_grade"]
        sources = self.fields["source_grades"]
        assert isinstance(target, forms.ModelChoiceField)
        assert isinstance(sources, forms.ModelMultipleChoiceField)
        target.queryset = grades
        sources.queryset = grades
        courses = self.fields["required_courses"]
        assert isinstance(courses, forms.ModelMultipleChoiceField)
        courses.queryset = Course.objects.filter(is_published=True).order_by("code")
        for code, label in Component.choices:
            self.fields[f"w_{code}"] = forms.DecimalField(
                label=_("Coefficient : %(c)s") % {"c": label},
                min_value=0,
                required=False,
                max_digits=6,
                decimal_places=2,
            )
            self.fields[f"cap_{code}"] = forms.DecimalField(
                label=_("Plafond : %(c)s") % {"c": label},
                min_value=0,
                required=False,
                max_digits=6,
                decimal_places=2,
            )

    def components(self) -> list[tuple[str, Decimal, Decimal | None]]:
        data = self.cleaned_data
        return [
            (code, data[f"w_{code}"], data.get(f"cap_{code}"))
            for code in Component.values
            if data.get(f"w_{code}") not in (None, Decimal(0))
        ]

    def values(self) -> dict[str, Any]:
        data = dict(self.cleaned_data)
        data["note"] = data.get("note") or ""
        return data


class CampaignForm(forms.Form):
    year = forms.IntegerField(label=_("Année"), min_value=2000, max_value=2100)
    name = forms.CharField(label=_("Intitulé"), max_length=200)
    reference_date = date_field(_("Date de référence"))
    effective_date = date_field(_("Date d'effet des avancements"))
    appeal_days = forms.IntegerField(label=_("Délai de recours (jours)"), min_value=1, initial=30)


class RerunForm(forms.Form):
    reason = forms.CharField(label=_("Motif du nouveau calcul"), max_length=255, required=False)


class VacancyForm(forms.Form):
    fixed = forms.IntegerField(label=_("Postes retenus"), min_value=0)
    reason = forms.CharField(label=_("Motif"), widget=forms.Textarea(attrs={"rows": 2}))


class BoardForm(forms.Form):
    name = forms.CharField(label=_("Intitulé"), max_length=200)
    chair = forms.ChoiceField(label=_("Président"))
    members = forms.MultipleChoiceField(label=_("Membres"), required=False)
    sitting_date = date_field(_("Date de la séance"), required=False)

    def __init__(self, *args: Any, people: list[tuple[str, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["chair"].choices = people  # type: ignore[attr-defined]
        self.fields["members"].choices = people  # type: ignore[attr-defined]


class DecisionForm(forms.Form):
    officer = forms.IntegerField(widget=forms.HiddenInput)
    row = forms.IntegerField(widget=forms.HiddenInput, required=False)
    outcome = forms.ChoiceField(label=_("Décision"), choices=Outcome.choices)
    justification = forms.CharField(
        label=_("Justification (obligatoire contre le classement)"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )


class MinutesForm(forms.Form):
    minutes = forms.CharField(label=_("Procès-verbal"), widget=forms.Textarea(attrs={"rows": 5}))


class AcknowledgeForm(forms.Form):
    comment = forms.CharField(
        label=_("Observations du président sur l'audit"),
        widget=forms.Textarea(attrs={"rows": 3}),
    )


class ExamScoreForm(forms.Form):
    matricule = forms.CharField(label=_("Matricule"), max_length=20)
    score = forms.DecimalField(label=_("Note (/20)"), min_value=0, max_value=20, decimal_places=2)


class AppealForm(forms.Form):
    reason = forms.CharField(label=_("Motif du recours"), widget=forms.Textarea(attrs={"rows": 4}))
    scan = forms.FileField(label=_("Pièce jointe (PDF, 5 Mo au plus)"))


class AppealDecisionForm(forms.Form):
    granted = forms.TypedChoiceField(
        label=_("Décision"),
        choices=[("1", _("Accorder")), ("0", _("Rejeter"))],
        coerce=lambda v: v == "1",
    )
    answer = forms.CharField(label=_("Réponse motivée"), widget=forms.Textarea(attrs={"rows": 3}))


class ExceptionalForm(forms.Form):
    matricule = forms.CharField(label=_("Matricule"), max_length=20)
    target_grade = forms.ModelChoiceField(label=_("Grade visé"), queryset=Grade.objects.none())
    justification = forms.CharField(
        label=_("Justification (texte, motif)"), widget=forms.Textarea(attrs={"rows": 2})
    )
    act_number = forms.CharField(label=_("Numéro de l'acte"), max_length=60)

    def __init__(self, *args: Any, agency_id: int, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["target_grade"]
        assert isinstance(field, forms.ModelChoiceField)
        field.queryset = _grades(agency_id)
