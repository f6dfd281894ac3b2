"""Forms of the training screens. They validate input; the rules live in the services."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from matricule.core.models import Agency, Grade, Skill
from matricule.personnel.forms import date_field
from matricule.training.models import (
    Course,
    CourseCategory,
    Partner,
    Result,
    SkillSource,
    TrainerLevel,
    TrainerRole,
)


class CourseForm(forms.Form):
    code = forms.CharField(label=_("Code"), max_length=20)
    title_fr = forms.CharField(label=_("Intitulé (français)"), max_length=200)
    title_en = forms.CharField(label=_("Intitulé (anglais)"), max_length=200)
    category = forms.ChoiceField(label=_("Catégorie"), choices=CourseCategory.choices)
    hours = forms.IntegerField(label=_("Durée (heures)"), min_value=1, max_value=2000)
    validity_months = forms.IntegerField(
        label=_("Validité du certificat (mois)"),
        min_value=1,
        max_value=240,
        required=False,
        help_text=_("Vide : le certificat n'expire pas."),
    )
    description = forms.CharField(label=_("Objectifs"), required=False, widget=forms.Textarea)


class ModuleForm(forms.Form):
    title = forms.CharField(label=_("Intitulé du module"), max_length=200)
    hours = forms.IntegerField(label=_("Heures"), min_value=1, max_value=500, initial=4)
    is_human_rights = forms.BooleanField(label=_("Module droits de l'homme"), required=False)
    is_gender = forms.BooleanField(label=_("Module genre"), required=False)


class CourseSkillForm(forms.Form):
    skill = forms.ModelChoiceField(label=_("Compétence"), queryset=Skill.objects.all())
    level = forms.IntegerField(label=_("Niveau"), min_value=1, max_value=10)
    kind = forms.ChoiceField(
        label=_("Type"),
        choices=[("grant", _("acquise à la réussite")), ("prerequisite", _("exigée au préalable"))],
    )


class PrerequisiteCourseForm(forms.Form):
    required = forms.ModelChoiceField(label=_("Formation préalable"), queryset=Course.objects.all())


class TrainerQualificationForm(forms.Form):
    matricule = forms.CharField(label=_("Matricule de l'agent"), max_length=20)
    level = forms.ChoiceField(label=_("Niveau"), choices=TrainerLevel.choices)


class RequiredTrainingForm(forms.Form):
    agency = forms.ModelChoiceField(label=_("Agence"), queryset=Agency.objects.none())
    course = forms.ModelChoiceField(label=_("Formation"), queryset=Course.objects.all())
    grade = forms.ModelChoiceField(label=_("Grade"), queryset=Grade.objects.none(), required=False)
    function = forms.CharField(label=_("ou fonction"), max_length=150, required=False)

    def __init__(self, *args: Any, grades: Any, agencies: list[Agency], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["grade"]
        assert isinstance(field, forms.ModelChoiceField)
        field.queryset = grades
        # Asked only of a training officer who manages several agencies.
        if len(agencies) > 1:
            agency_field = self.fields["agency"]
            assert isinstance(agency_field, forms.ModelChoiceField)
            agency_field.queryset = Agency.objects.filter(pk__in=[a.pk for a in agencies])
        else:
            del self.fields["agency"]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        grade, agency = data.get("grade"), data.get("agency")
        if grade is not None and agency is not None and grade.statute.agency_id != agency.pk:
            self.add_error("grade", _("Ce grade n'appartient pas à l'agence choisie."))
        return data


class SessionForm(forms.Form):
    course = forms.ModelChoiceField(
        label=_("Formation"), queryset=Course.objects.filter(is_published=True)
    )
    start_date = date_field(_("Date de début"))
    end_date = date_field(_("Date de fin"))
    venue = forms.CharField(label=_("Lieu"), max_length=200)
    capacity = forms.IntegerField(label=_("Nombre de places"), min_value=1, max_value=500)
    partner = forms.ModelChoiceField(
        label=_("Partenaire financeur"),
        queryset=Partner.objects.filter(is_active=True),
        required=False,
    )

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        start, end = data.get("start_date"), data.get("end_date")
        if start and end and end < start:
            self.add_error("end_date", _("La date de fin précède la date de début."))
        return data


class TrainerForm(forms.Form):
    matricule = forms.CharField(label=_("Matricule de l'agent"), max_length=20, required=False)
    external_name = forms.CharField(
        label=_("ou formateur extérieur (nom)"), max_length=150, required=False
    )
    role = forms.ChoiceField(label=_("Rôle"), choices=TrainerRole.choices)


class NominateForm(forms.Form):
    matricule = forms.CharField(label=_("Matricule de l'agent à proposer"), max_length=20)


class ResultForm(forms.Form):
    result = forms.ChoiceField(
        label=_("Résultat"), choices=[("", "—"), *Result.choices], required=False
    )
    score = forms.DecimalField(
        label=_("Note /20"), min_value=0, max_value=20, decimal_places=2, required=False
    )


class SkillDeclareForm(forms.Form):
    skill = forms.ModelChoiceField(
        label=_("Compétence"), queryset=Skill.objects.select_related("category")
    )
    level = forms.IntegerField(label=_("Niveau"), min_value=1, max_value=10, initial=1)
    source = forms.ChoiceField(
        label=_("Origine"),
        choices=[(SkillSource.DECLARED, _("Déclaration")), (SkillSource.TEST, _("Test"))],
    )
    obtained_on = date_field(_("Obtenue le"))
    expires_on = date_field(_("Valable jusqu'au"), required=False)
    note = forms.CharField(
        label=_("Précision"),
        max_length=200,
        required=False,
        help_text=_("Ex. numéro du permis, organisme du test."),
    )


class CloseAcknowledgeForm(forms.Form):
    """Closing a session despite warnings needs a ticked box, not just a click."""

    acknowledge = forms.BooleanField(
        label=_("J'ai lu les avertissements ci-dessus et je clôture quand même."),
        required=False,
    )

    def __init__(self, *args: Any, required: bool, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if required:
            self.fields["acknowledge"].required = True
            self.fields["acknowledge"].error_messages["required"] = _(
                "Cochez la case pour clôturer malgré les avertissements."
            )
        else:
            del self.fields["acknowledge"]
