"""Forms of the evaluations screens. They read input; the rules live in the services."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from matricule.core.models import Corps, Unit
from matricule.evaluations.models import AppealDecision, Criterion, Evaluation, ReviewDecision
from matricule.evaluations.models.forms import plain
from matricule.evaluations.services import CriterionSpec, ScoreInput
from matricule.personnel.forms import date_field

VERSION_WIDGET = forms.HiddenInput


class VersionedForm(forms.Form):
    """The version of the evaluation the form was shown with (optimistic locking)."""

    version = forms.IntegerField(widget=VERSION_WIDGET)


class SelfAssessmentForm(VersionedForm):
    comment = forms.CharField(
        label=_("Votre auto-évaluation"),
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text=_("Vos réalisations de l'année, vos difficultés, vos souhaits."),
    )


class RatingForm(VersionedForm):
    """One score and one comment per criterion of the evaluation's form, and an overall comment."""

    rating_comment = forms.CharField(
        label=_("Appréciation générale"), widget=forms.Textarea(attrs={"rows": 4})
    )

    def __init__(
        self, *args: Any, evaluation: Evaluation, criteria: list[Criterion], **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        self.criteria = criteria
        form = evaluation.form
        for c in criteria:
            self.fields[f"score_{c.pk}"] = forms.DecimalField(
                label=_("%(criterion)s (coefficient %(weight)s)")
                % {"criterion": c.label, "weight": plain(c.weight)},
                min_value=Decimal(0),
                max_value=form.scale_max,
                step_size=None,
                decimal_places=2,
                widget=forms.NumberInput(attrs={"step": str(form.step), "inputmode": "decimal"}),
            )
            self.fields[f"comment_{c.pk}"] = forms.CharField(
                label=_("Commentaire — %(criterion)s") % {"criterion": c.label},
                required=False,
                widget=forms.TextInput(),
            )

    def pairs(self) -> list[tuple[Any, Any]]:
        return [(self[f"score_{c.pk}"], self[f"comment_{c.pk}"]) for c in self.criteria]

    def scores(self) -> dict[int, ScoreInput]:
        return {
            c.pk: ScoreInput(
                self.cleaned_data[f"score_{c.pk}"], self.cleaned_data.get(f"comment_{c.pk}") or ""
            )
            for c in self.criteria
            if self.cleaned_data.get(f"score_{c.pk}") is not None
        }


class ReviewForm(VersionedForm):
    decision = forms.ChoiceField(
        label=_("Avis"), choices=ReviewDecision.choices, widget=forms.RadioSelect
    )
    mark = forms.DecimalField(
        label=_("Note ajustée (sur 20)"),
        required=False,
        min_value=0,
        max_value=20,
        decimal_places=2,
    )
    justification = forms.CharField(
        label=_("Justification (obligatoire pour un ajustement)"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )


class AppealForm(VersionedForm):
    reason = forms.CharField(label=_("Motif du recours"), widget=forms.Textarea(attrs={"rows": 4}))


class AppealDecisionForm(VersionedForm):
    decision = forms.ChoiceField(
        label=_("Décision"), choices=AppealDecision.choices, widget=forms.RadioSelect
    )
    mark = forms.DecimalField(
        label=_("Note révisée (sur 20)"),
        required=False,
        min_value=0,
        max_value=20,
        decimal_places=2,
    )
    reasons = forms.CharField(label=_("Motifs"), widget=forms.Textarea(attrs={"rows": 3}))


class ReassignForm(forms.Form):
    evaluator = forms.CharField(label=_("Matricule de l'évaluateur"), required=False, max_length=20)
    reviewer = forms.CharField(label=_("Matricule du second niveau"), required=False, max_length=20)
    reason = forms.CharField(label=_("Motif"), max_length=500)


class CycleOpenForm(forms.Form):
    year = forms.IntegerField(label=_("Année"), min_value=1990, max_value=2100)
    unit = forms.ModelChoiceField(
        label=_("Unité (vide : toute l'agence)"), queryset=Unit.objects.none(), required=False
    )
    period_start = date_field(_("Période du"))
    period_end = date_field(_("au"))
    reference_date = date_field(_("Date de référence"))
    self_deadline = date_field(_("Auto-évaluation avant le"))
    rating_deadline = date_field(_("Notation avant le"))
    review_deadline = date_field(_("Revue au second niveau avant le"))
    appeal_days = forms.IntegerField(label=_("Délai de recours (jours)"), initial=15, min_value=1)
    reminder_days = forms.IntegerField(
        label=_("Rappel (jours avant chaque échéance)"), initial=3, min_value=0
    )
    min_presence_months = forms.IntegerField(
        label=_("Présence minimale sur la période (mois)"), initial=6, min_value=0, max_value=12
    )
    exclude_leave = forms.BooleanField(
        label=_("Exclure les congés longs"), required=False, initial=True
    )
    exclude_training = forms.BooleanField(
        label=_("Exclure la formation initiale"), required=False, initial=True
    )
    exclude_suspended = forms.BooleanField(
        label=_("Exclure les suspendus"), required=False, initial=True
    )

    def __init__(self, *args: Any, units: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["unit"].queryset = units  # type: ignore[attr-defined]


class CycleExtendForm(forms.Form):
    version = forms.IntegerField(widget=VERSION_WIDGET)
    self_deadline = date_field(_("Auto-évaluation avant le"))
    rating_deadline = date_field(_("Notation avant le"))
    review_deadline = date_field(_("Revue au second niveau avant le"))
    reason = forms.CharField(label=_("Motif"), max_length=500)


class ReasonForm(forms.Form):
    reason = forms.CharField(label=_("Motif"), max_length=500)


CRITERIA_HELP = _(
    "Un critère par ligne : code ; libellé ; coefficient (ex. discipline ; Discipline ; 2)."
)


class FormVersionForm(forms.Form):
    corps = forms.ModelChoiceField(label=_("Corps"), queryset=Corps.objects.none())
    name = forms.CharField(label=_("Intitulé"), max_length=150)
    valid_from = date_field(_("En vigueur du"))
    valid_to = date_field(_("Jusqu'au (vide : sans fin)"), required=False)
    scale_max = forms.DecimalField(label=_("Note maximale"), initial=20, min_value=1, max_value=100)
    step = forms.ChoiceField(
        label=_("Pas de notation"),
        choices=[("0.25", "0,25"), ("0.5", "0,5"), ("1", "1")],
        initial="0.5",
    )
    comment_below = forms.DecimalField(
        label=_("Commentaire obligatoire sous la note"), required=False, min_value=0
    )
    comment_above = forms.DecimalField(
        label=_("Commentaire obligatoire au-dessus de la note"), required=False, min_value=0
    )
    criteria = forms.CharField(
        label=_("Critères"), widget=forms.Textarea(attrs={"rows": 7}), help_text=CRITERIA_HELP
    )
    version = forms.IntegerField(widget=VERSION_WIDGET, required=False)

    def __init__(self, *args: Any, corps: Any, editing: bool = False, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["corps"].queryset = corps  # type: ignore[attr-defined]
        if editing:
            self.fields["corps"].disabled = True
            self.fields["valid_from"].disabled = True

    def clean_criteria(self) -> list[CriterionSpec]:
        specs = []
        for number, line in enumerate(self.cleaned_data["criteria"].splitlines(), start=1):
            if not line.strip():
                continue
            parts = [p.strip() for p in line.split(";")]
            try:
                code, label = parts[0], parts[1]
                weight = (
                    Decimal(parts[2].replace(",", "."))
                    if len(parts) > 2 and parts[2]
                    else Decimal(1)
                )
            except (IndexError, ArithmeticError) as error:
                raise forms.ValidationError(
                    _("Ligne %(n)d : écrivez code ; libellé ; coefficient.") % {"n": number}
                ) from error
            if not code or not label:
                raise forms.ValidationError(
                    _("Ligne %(n)d : écrivez code ; libellé ; coefficient.") % {"n": number}
                )
            specs.append(CriterionSpec(code[:30], label[:150], weight))
        return specs


def criteria_text(criteria: list[Criterion]) -> str:
    return "\n".join(f"{c.code} ; {c.label} ; {plain(c.weight)}" for c in criteria)
