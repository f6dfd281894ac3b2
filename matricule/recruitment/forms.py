"""Forms of the recruitment screens: they parse and check input; services decide."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from matricule.core.models import Corps, Region, Unit
from matricule.core.validators import person_name
from matricule.personnel.models import MaritalStatus, Sex
from matricule.recruitment.models import (
    DiplomaLevel,
    DocumentCode,
    ExamCentre,
    Intake,
    PerformanceUnit,
    StageKind,
)
from matricule.recruitment.rules import StageSpec

DATE_WIDGET = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
DATE_FORMATS = ["%Y-%m-%d", "%d/%m/%Y"]


def _date_field(label: Any, **kwargs: Any) -> forms.DateField:
    return forms.DateField(label=label, widget=DATE_WIDGET, input_formats=DATE_FORMATS, **kwargs)


class IntakeForm(forms.ModelForm[Intake]):
    class Meta:
        model = Intake
        fields = [
            "corps",
            "title",
            "posts_total",
            "applications_open",
            "applications_close",
            "age_reference_date",
            "age_min",
            "age_max",
            "min_diploma",
            "nationality_required",
            "marital_status_required",
            "age_tie_break",
        ]
        widgets = {
            "applications_open": DATE_WIDGET,
            "applications_close": DATE_WIDGET,
            "age_reference_date": DATE_WIDGET,
        }

    def __init__(self, *args: Any, agency_ids: set[int], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        corps = self.fields["corps"]
        assert isinstance(corps, forms.ModelChoiceField)
        corps.queryset = Corps.objects.filter(agency_id__in=agency_ids).select_related("agency")
        for name in ("applications_open", "applications_close", "age_reference_date"):
            field = self.fields[name]
            assert isinstance(field, forms.DateField)
            field.input_formats = DATE_FORMATS

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        start, end = data.get("applications_open"), data.get("applications_close")
        if start and end and end < start:
            self.add_error("applications_close", _("La clôture précède l'ouverture."))
        low, high = data.get("age_min"), data.get("age_max")
        if low is not None and high is not None and high < low:
            self.add_error("age_max", _("L'âge maximum est inférieur à l'âge minimum."))
        return data


class QuotaForm(forms.Form):
    region = forms.ModelChoiceField(
        label=_("Région"), queryset=Region.objects.all(), required=False, empty_label=_("(toutes)")
    )
    sex = forms.ChoiceField(
        label=_("Sexe"), choices=[("", _("(les deux)")), *Sex.choices], required=False
    )
    posts = forms.IntegerField(label=_("Postes"), min_value=1, max_value=1_000_000)


class CentreForm(forms.Form):
    code = forms.CharField(label=_("Code"), max_length=20)
    name = forms.CharField(label=_("Nom du centre"), max_length=150)
    region = forms.ModelChoiceField(
        label=_("Région"), queryset=Region.objects.all(), required=False
    )


class StageForm(forms.Form):
    kind = forms.ChoiceField(label=_("Épreuve"), choices=StageKind.choices)
    order = forms.IntegerField(label=_("Ordre"), min_value=1, max_value=50)
    pass_mark = forms.DecimalField(
        label=_("Note minimale sur 20"),
        min_value=Decimal(0),
        max_value=Decimal(20),
        decimal_places=2,
        required=False,
        help_text=_("Laisser vide pour une épreuve jugée apte / inapte."),
    )
    counts_in_ranking = forms.BooleanField(label=_("Compte pour le classement"), required=False)
    weight = forms.DecimalField(
        label=_("Coefficient au classement"),
        min_value=Decimal("0.01"),
        max_value=Decimal(100),
        decimal_places=2,
        initial=1,
    )


class SubjectForm(forms.Form):
    code = forms.CharField(
        label=_("Code"), max_length=20, help_text=_("Titre de colonne du fichier.")
    )
    name = forms.CharField(label=_("Matière"), max_length=100)
    coefficient = forms.DecimalField(
        label=_("Coefficient"), min_value=Decimal("0.1"), max_value=Decimal(100), decimal_places=1
    )


class EventForm(forms.Form):
    code = forms.CharField(
        label=_("Code"), max_length=20, help_text=_("Titre de colonne du fichier.")
    )
    name = forms.CharField(label=_("Épreuve"), max_length=100)
    unit = forms.ChoiceField(label=_("Unité de mesure"), choices=PerformanceUnit.choices)
    higher_is_better = forms.BooleanField(
        label=_("Plus c'est haut, mieux c'est"),
        required=False,
        help_text=_("Décocher pour une course chronométrée."),
    )
    scoring_m = forms.CharField(
        label=_("Barème hommes"),
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text=_("Une ligne par palier : performance ; points sur 20 (ex. « 13,5 ; 20 »)."),
    )
    scoring_f = forms.CharField(
        label=_("Barème femmes"),
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text=_("Même présentation que pour les hommes."),
    )

    def _lines(self, name: str, sex: str) -> list[tuple[str, Decimal, Decimal]]:
        rows = []
        for number, line in enumerate(self.cleaned_data.get(name, "").splitlines(), start=1):
            if not line.strip():
                continue
            parts = [p.strip().replace(",", ".") for p in line.replace("\t", ";").split(";")]
            try:
                threshold, points = Decimal(parts[0]), Decimal(parts[1])
            except (ArithmeticError, IndexError):
                raise ValidationError(
                    _("Ligne %(n)s : écrivez « performance ; points » (ex. 13,5 ; 20).")
                    % {"n": number}
                ) from None
            if not (0 <= points <= 20) or threshold < 0:
                raise ValidationError(
                    _("Ligne %(n)s : points entre 0 et 20, performance positive.") % {"n": number}
                )
            rows.append((sex, threshold, points))
        if not rows:
            raise ValidationError(_("Saisissez au moins une ligne de barème."))
        return rows

    def clean_scoring_m(self) -> list[tuple[str, Decimal, Decimal]]:
        return self._lines("scoring_m", "M")

    def clean_scoring_f(self) -> list[tuple[str, Decimal, Decimal]]:
        return self._lines("scoring_f", "F")


class CandidateForm(forms.Form):
    application_number = forms.CharField(label=_("Numéro de candidature"), max_length=20)
    family_name = forms.CharField(
        label=_("Nom de famille"), max_length=100, validators=[person_name]
    )
    given_names = forms.CharField(label=_("Prénom(s)"), max_length=150, validators=[person_name])
    sex = forms.ChoiceField(label=_("Sexe"), choices=Sex.choices)
    birth_date = _date_field(_("Date de naissance"))
    birth_place = forms.CharField(label=_("Lieu de naissance"), max_length=120, required=False)
    nina = forms.CharField(
        label=_("NINA"), max_length=15, help_text=_("14 chiffres suivis d'une lettre.")
    )
    nationality = forms.CharField(label=_("Nationalité"), max_length=60, initial="malienne")
    marital_status = forms.ChoiceField(
        label=_("Situation de famille"), choices=MaritalStatus.choices
    )
    diploma = forms.TypedChoiceField(
        label=_("Diplôme le plus élevé"), choices=DiplomaLevel.choices, coerce=int
    )
    diploma_title = forms.CharField(label=_("Intitulé du diplôme"), max_length=150, required=False)
    centre = forms.ModelChoiceField(label=_("Centre d'examen"), queryset=ExamCentre.objects.none())
    region = forms.ModelChoiceField(label=_("Région d'origine"), queryset=Region.objects.all())
    phone = forms.CharField(label=_("Téléphone"), max_length=20, required=False)
    documents = forms.MultipleChoiceField(
        label=_("Pièces fournies"),
        choices=DocumentCode.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )

    def __init__(self, *args: Any, intake: Intake, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        centre = self.fields["centre"]
        assert isinstance(centre, forms.ModelChoiceField)
        centre.queryset = ExamCentre.objects.filter(intake=intake)


class CandidateDocumentForm(forms.Form):
    kind = forms.ChoiceField(label=_("Pièce"), choices=DocumentCode.choices)
    file = forms.FileField(label=_("Fichier (PDF, JPEG ou PNG, 10 Mo au plus)"))


class WithdrawForm(forms.Form):
    on = _date_field(_("Date du désistement"))
    reason = forms.CharField(label=_("Motif"), max_length=255)


class ImportForm(forms.Form):
    file = forms.FileField(label=_("Fichier Excel (.xlsx)"))


class CohortForm(forms.Form):
    number = forms.IntegerField(label=_("Numéro de promotion"), min_value=1, max_value=1000)
    parrain = forms.CharField(label=_("Nom du parrain"), max_length=150)
    starts_on = _date_field(_("Début de la formation"))
    ends_on = _date_field(_("Fin de la formation"))

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        start, end = data.get("starts_on"), data.get("ends_on")
        if start and end and end <= start:
            self.add_error("ends_on", _("La fin de la formation doit suivre son début."))
        return data


class MemberForm(forms.Form):
    training_mark = forms.DecimalField(
        label=_("Moyenne de formation sur 20"),
        min_value=Decimal(0),
        max_value=Decimal(20),
        decimal_places=2,
        required=False,
        help_text=_("La formation est validée à partir de 10/20."),
    )
    excluded = forms.BooleanField(label=_("Exclu(e) de la formation"), required=False)
    remark = forms.CharField(label=_("Observation"), max_length=255, required=False)
    first_unit = forms.ModelChoiceField(
        label=_("Première affectation"), queryset=Unit.objects.none(), required=False
    )

    def __init__(self, *args: Any, agency_id: int, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        unit = self.fields["first_unit"]
        assert isinstance(unit, forms.ModelChoiceField)
        unit.queryset = Unit.objects.filter(agency_id=agency_id, is_active=True).order_by("path")


class GraduateForm(forms.Form):
    graduated_on = _date_field(_("Date de sortie (entrée en service)"))
    act_number = forms.CharField(label=_("Numéro de la décision de nomination"), max_length=60)
    act_date = _date_field(_("Date de la décision"))

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        today = timezone.localdate()
        for name in ("graduated_on", "act_date"):
            value = data.get(name)
            if value and value > today:
                self.add_error(name, _("La date ne peut pas être dans le futur."))
        return data


class LookupForm(forms.Form):
    intake = forms.ModelChoiceField(label=_("Concours"), queryset=Intake.objects.none())
    application_number = forms.CharField(label=_("Numéro de candidature"), max_length=20)
    birth_date = _date_field(_("Date de naissance"))

    def __init__(self, *args: Any, intakes: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["intake"]
        assert isinstance(field, forms.ModelChoiceField)
        field.queryset = intakes


class ResultForm(forms.Form):
    """One candidate's result at one stage: a field per subject, event, mark or verdict."""

    absent = forms.BooleanField(label=_("Absent(e)"), required=False)
    remark = forms.CharField(label=_("Observation"), max_length=255, required=False)

    def __init__(self, *args: Any, spec: StageSpec, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        stage = spec.stage
        fields: dict[str, forms.Field] = {}
        if stage.kind == StageKind.WRITTEN:
            for subject in spec.subjects:
                fields[subject.code] = forms.CharField(
                    label=_("%(s)s (coef. %(c)s) — note sur 20")
                    % {"s": subject.name, "c": subject.coefficient},
                    required=False,
                    max_length=10,
                )
        elif stage.kind == StageKind.PHYSICAL:
            for event in spec.events:
                fields[event.code] = forms.CharField(
                    label=f"{event.name} ({event.get_unit_display()})",
                    required=False,
                    max_length=10,
                )
        elif stage.is_fit_rule:
            fields["avis"] = forms.ChoiceField(
                label=_("Avis"),
                choices=[("", "—"), ("apte", _("Apte")), ("inapte", _("Inapte"))],
                required=False,
            )
        else:
            fields["note"] = forms.CharField(label=_("Note sur 20"), required=False, max_length=10)
        rest = dict(self.fields)
        self.fields.clear()
        self.fields.update(fields)
        self.fields.update(rest)


class ReasonForm(forms.Form):
    reason = forms.CharField(
        label=_("Motif (inscrit dans la piste d'audit)"),
        min_length=5,
        max_length=300,
        widget=forms.Textarea(attrs={"rows": 2}),
    )
