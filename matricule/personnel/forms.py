"""Forms of the officer screens. They validate input; the rules live in the services."""

from __future__ import annotations

import datetime
from typing import Any

from django import forms
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from matricule.core.models import Agency, AgencyKind, DocumentType, Grade, Signatory, Unit
from matricule.core.refcache import UnitRow, refdata
from matricule.personnel.filters import origin_agency_ids
from matricule.personnel.models import (
    ActKind,
    Child,
    CommandRole,
    Education,
    EventKind,
    Officer,
    OfficerLanguage,
    SanctionGroup,
    Sex,
    Status,
)
from matricule.personnel.models.career import KINDS_NEEDING_ACT
from matricule.personnel.models.officer import EXIT_STATUSES
from matricule.personnel.selectors import AGE_BANDS
from matricule.personnel.services import IDENTITY_FIELDS, STATUS_EVENT_CHOICES

DATE_WIDGET = {"type": "date"}


def date_field(label: Any, *, required: bool = True) -> forms.DateField:
    return forms.DateField(
        label=label,
        required=required,
        widget=forms.DateInput(attrs=DATE_WIDGET, format="%Y-%m-%d"),
        input_formats=["%Y-%m-%d", "%d/%m/%Y"],
    )


def set_choices(form: forms.BaseForm, name: str, choices: list[tuple[Any, Any]]) -> None:
    field = form.fields[name]
    assert isinstance(field, forms.ChoiceField)
    field.choices = choices


def set_queryset(form: forms.BaseForm, name: str, queryset: Any, label: Any = None) -> None:
    """Limit a choice field to `queryset` (optionally with its own option labels)."""
    field = form.fields[name]
    assert isinstance(field, forms.ModelChoiceField)
    field.queryset = queryset
    if label is not None:
        field.label_from_instance = label  # type: ignore[method-assign]


def set_date_formats(form: forms.BaseForm, name: str) -> None:
    field = form.fields[name]
    assert isinstance(field, forms.DateField)
    field.input_formats = ["%Y-%m-%d", "%d/%m/%Y"]


def indented(unit: Unit) -> str:
    return "\u00a0\u00a0" * unit.depth + unit.name


def grade_label(grade: Grade) -> str:
    agency = grade.statute.agency
    if agency.is_origin:
        return f"{agency.short_name} — {grade.name} ({grade.statute.name})"
    return f"{grade.name} ({grade.statute.name})"


def agency_grades(agency_id: int, *, origin_id: int | None = None) -> Any:
    """The grades a record of the agency may hold.

    An agency staffed by secondment (the OCS) has no ranks of its own: its members keep
    those of their corps of origin — all origin corps at creation, then their own corps.
    """
    agency = Agency.objects.get(pk=agency_id)
    if origin_id is not None:
        condition = Q(statute__agency_id=origin_id)
    elif agency.kind == AgencyKind.HOST:
        condition = Q(statute__agency_id=agency_id) | Q(statute__agency__kind=AgencyKind.ORIGIN)
    else:
        condition = Q(statute__agency_id=agency_id)
    return (
        Grade.objects.filter(condition)
        .select_related("statute", "statute__agency")
        .order_by("statute__agency__code", "-statute__effective_from", "order")
    )


def officer_grades(officer: Officer) -> Any:
    """The grades offered for an officer's grade change: their corps' own table."""
    origin_id = officer.corps.agency_id if officer.corps.agency_id != officer.agency_id else None
    return agency_grades(officer.agency_id, origin_id=origin_id)


class FilterForm(forms.Form):
    """The officer list's search and filters (GET). Values are codes, as in the API."""

    q = forms.CharField(
        label=_("Nom, matricule ou NINA"),
        required=False,
        max_length=100,
        widget=forms.TextInput(attrs={"type": "search", "placeholder": _("ex. traore, PN0012")}),
    )
    unit = forms.ChoiceField(label=_("Unité (et subdivisions)"), required=False)
    grade = forms.ChoiceField(label=_("Grade"), required=False)
    corps = forms.ChoiceField(label=_("Corps"), required=False)
    status = forms.ChoiceField(
        label=_("Position"), required=False, choices=[("", _("Toutes")), *Status.choices]
    )
    sex = forms.ChoiceField(
        label=_("Sexe"), required=False, choices=[("", _("Tous")), *Sex.choices]
    )
    origin = forms.ChoiceField(label=_("Corps d'origine"), required=False)
    region = forms.ChoiceField(label=_("Région"), required=False)
    secondment_ends = forms.ChoiceField(
        label=_("Fin de détachement"),
        required=False,
        choices=[
            ("", _("Tous")),
            ("30", _("dans les 30 jours")),
            ("90", _("dans les 90 jours")),
            ("180", _("dans les 180 jours")),
        ],
    )
    age = forms.ChoiceField(
        label=_("Âge"), required=False, choices=[("", _("Tous")), *[(k, k) for k in AGE_BANDS]]
    )

    def __init__(self, *args: Any, units: list[UnitRow], agencies: set[int], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        ref = refdata()  # cached: the form's choices cost no query
        set_choices(
            self,
            "unit",
            [("", _("Toutes")), *[(u.code, "\u00a0\u00a0" * u.depth + u.name) for u in units]],
        )
        origins = origin_agency_ids(agencies)
        named = {a: ref.agencies[a] for a in origins}
        set_choices(
            self,
            "grade",
            [
                ("", _("Tous")),
                *[(g.code, g.name) for g in ref.grades_now if g.statute.agency_id in agencies],
                *[
                    (
                        f"{named[g.statute.agency_id].code}:{g.code}",
                        f"{named[g.statute.agency_id].short_name} — {g.name}",
                    )
                    for g in ref.grades_now
                    if g.statute.agency_id in named
                ],
            ],
        )
        set_choices(
            self,
            "corps",
            [
                ("", _("Tous")),
                *[(c.code, c.name) for c in ref.corps if c.agency_id in agencies | origins],
            ],
        )
        if origins:
            set_choices(
                self,
                "origin",
                [("", _("Tous")), *[(a.code, a.short_name) for a in named.values()]],
            )
        else:
            del self.fields["origin"]
        set_choices(self, "region", [("", _("Toutes")), *[(r.code, r.name) for r in ref.regions]])


class OfficerForm(forms.ModelForm[Officer]):
    """Identity and contacts. `version` makes a second editor's save fail cleanly."""

    version = forms.IntegerField(widget=forms.HiddenInput)

    class Meta:
        model = Officer
        fields = IDENTITY_FIELDS
        widgets = {"birth_date": forms.DateInput(attrs=DATE_WIDGET, format="%Y-%m-%d")}

    def __init__(
        self, *args: Any, show_nina: bool = True, show_health: bool = True, **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        if not show_nina:
            del self.fields["nina"]
        if not show_health:
            del self.fields["blood_group"]
        if self.instance.pk:
            self.fields["version"].initial = self.instance.version
        set_date_formats(self, "birth_date")

    def validate_unique(self) -> None:
        # The service checks uniqueness in its transaction (NINA per agency).
        return


class ActFieldsMixin(forms.Form):
    act_kind = forms.ChoiceField(
        label=_("Type d'acte"), required=False, choices=[("", "—"), *ActKind.choices]
    )
    act_number = forms.CharField(label=_("Numéro de l'acte"), required=False, max_length=60)
    act_date = date_field(_("Date de l'acte"), required=False)
    act_signatory = forms.ModelChoiceField(
        label=_("Signataire"), required=False, queryset=Signatory.objects.none()
    )

    # Whether the event needs an administrative act (personnel.models.KINDS_NEEDING_ACT).
    needs_act = False

    def set_agency(self, agency_id: int) -> None:
        set_queryset(
            self, "act_signatory", Signatory.objects.filter(agency_id=agency_id, is_active=True)
        )
        if self.needs_act:
            # Marked * on the screen; the service refuses them missing, together with any
            # other problem of the event (one round trip shows every error).
            for name in ("act_number", "act_date"):
                self.fields[name].marked_required = True  # type: ignore[attr-defined]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if (
            self.needs_act
            and data.get("act_number")
            and data.get("act_date")
            and not data.get("act_signatory")
            and data.get("act_kind") != ActKind.NOTE
        ):
            # Legacy imports may lack it; a clerk recording a new act has it in hand.
            self.add_error(
                "act_signatory",
                _(
                    "Une décision, un arrêté ou un décret porte la signature d'une autorité : "
                    "choisissez le signataire (ou le type « Note de service »)."
                ),
            )
        return data


class OfficerCreateForm(ActFieldsMixin, forms.ModelForm[Officer]):
    unit = forms.ModelChoiceField(label=_("Unité d'affectation"), queryset=Unit.objects.none())
    grade = forms.ModelChoiceField(label=_("Grade à l'entrée"), queryset=Grade.objects.none())
    entry_date = date_field(_("Date d'entrée en service"))
    function = forms.CharField(label=_("Fonction"), required=False, max_length=150)

    class Meta:
        model = Officer
        fields = list(IDENTITY_FIELDS)
        widgets = {"birth_date": forms.DateInput(attrs=DATE_WIDGET, format="%Y-%m-%d")}

    origin_service_number = forms.CharField(
        label=_("Matricule dans le corps d'origine"),
        required=False,
        max_length=30,
        help_text=_("Pour un agent détaché d'un autre corps : son numéro dans ce corps."),
    )
    secondment_end = date_field(_("Fin du détachement"), required=False)

    def __init__(self, *args: Any, units: Any, agency_id: int, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        set_queryset(self, "unit", units, indented)
        set_queryset(self, "grade", agency_grades(agency_id), grade_label)
        set_date_formats(self, "birth_date")
        self.set_agency(agency_id)
        if Agency.objects.filter(pk=agency_id, kind=AgencyKind.HOST).exists():
            self.fields["grade"].label = _("Grade dans le corps d'origine")
            self.fields["entry_date"].label = _("Début du détachement")
            self.fields["act_number"].help_text = _("L'acte de détachement.")
            # The signatory of a secondment act may be the origin corps' authority.
            set_queryset(
                self,
                "act_signatory",
                Signatory.objects.filter(
                    Q(agency_id=agency_id) | Q(agency__kind=AgencyKind.ORIGIN), is_active=True
                ).select_related("agency"),
            )
            order = list(self.fields)
            for name in ("origin_service_number", "secondment_end"):
                order.remove(name)
            at = order.index("entry_date") + 1
            order[at:at] = ["secondment_end", "origin_service_number"]
            self.order_fields(order)
        else:
            del self.fields["origin_service_number"]
            del self.fields["secondment_end"]

    def validate_unique(self) -> None:
        return


class EventForm(ActFieldsMixin):
    """Fields common to every career event; subclasses add what their kind needs."""

    effective_date = date_field(_("Date d'effet"))

    def __init__(
        self, *args: Any, officer: Officer, editable_units: Any = None, **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        self.officer = officer
        # Units the clerk may place someone in (None: no limit, for system use).
        self.editable_units = editable_units
        self.set_agency(officer.agency_id)
        if officer.corps.agency_id != officer.agency_id:
            # Acts about an officer of another corps may be that corps' (grade changes).
            set_queryset(
                self,
                "act_signatory",
                Signatory.objects.filter(
                    agency_id__in=[officer.agency_id, officer.corps.agency_id], is_active=True
                ),
            )

    def clean_effective_date(self) -> datetime.date:
        day: datetime.date = self.cleaned_data["effective_date"]
        if day > timezone.localdate():
            raise forms.ValidationError(_("La date d'effet ne peut pas être dans le futur."))
        return day

    def event_fields(self) -> dict[str, Any]:
        """Keyword arguments for event_record, from cleaned data."""
        data = dict(self.cleaned_data)
        for key in ("act_kind", "act_number", "act_date", "act_signatory"):
            data.pop(key, None)
        return data

    def home_units(self) -> Any:
        return self.within_rights(
            Unit.objects.filter(agency_id=self.officer.agency_id, is_active=True).order_by("path")
        )

    def within_rights(self, units: Any) -> Any:
        """Only the units the clerk may edit, and the one the event already names."""
        if self.editable_units is None:
            return units
        current = self.initial.get("unit")
        return units.filter(Q(pk__in=self.editable_units.values("pk")) | Q(pk=current or 0))

    def limit_hint(self, name: str) -> None:
        """Say so when the clerk may place this officer in no unit at all."""
        if self.editable_units is None:
            return
        field = self.fields[name]
        assert isinstance(field, forms.ModelChoiceField)
        if not field.queryset.exists():  # type: ignore[union-attr]
            field.help_text = _(
                "Vous n'avez les droits de modification sur aucune unité où cet agent peut "
                "être affecté : adressez-vous à l'administration centrale."
            )


UNIT_SCOPE_HELP = _(
    "Seules les unités de votre périmètre sont proposées. Une mutation hors de votre "
    "périmètre (par exemple d'une région à une autre) est enregistrée par le directeur des "
    "ressources humaines de l'agence."
)


class PostingForm(EventForm):
    unit = forms.ModelChoiceField(
        label=_("Nouvelle unité"), queryset=Unit.objects.none(), help_text=UNIT_SCOPE_HELP
    )
    function = forms.CharField(label=_("Fonction dans l'unité"), required=False, max_length=150)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        set_queryset(self, "unit", self.home_units(), indented)


class FunctionForm(EventForm):
    function = forms.CharField(label=_("Fonction"), max_length=150)


class GradeForm(EventForm):
    grade = forms.ModelChoiceField(label=_("Nouveau grade"), queryset=Grade.objects.none())
    exceptional = forms.BooleanField(
        label=_("À titre exceptionnel (hors de l'ordre du corps)"), required=False
    )
    justification = forms.CharField(
        label=_("Justification"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        set_queryset(self, "grade", officer_grades(self.officer), grade_label)
        if self.officer.corps.agency_id != self.officer.agency_id:
            # The corps of origin decides; its act is recorded as it stands.
            del self.fields["exceptional"]
            del self.fields["justification"]


class StatusForm(EventForm):
    status = forms.ChoiceField(
        label=_("Nouvelle position"), choices=[(s.value, s.label) for s in STATUS_EVENT_CHOICES]
    )
    end_date = date_field(_("Fin prévue"), required=False)


class SecondmentForm(EventForm):
    unit = forms.ModelChoiceField(
        label=_("Unité d'accueil (autre agence)"),
        queryset=Unit.objects.none(),
        help_text=_(
            "Seules les unités d'accueil sur lesquelles vous avez des droits sont proposées : "
            "un détachement demande des droits sur l'agence d'accueil comme sur l'agent."
        ),
    )
    function = forms.CharField(
        label=_("Fonction dans l'agence d'accueil"), required=False, max_length=150
    )
    end_date = date_field(_("Fin prévue"), required=False)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        hosts = self.within_rights(
            Unit.objects.exclude(agency_id=self.officer.agency_id)
            .filter(is_active=True)
            .select_related("agency")
            .order_by("agency__code", "path")
        )
        set_queryset(self, "unit", hosts, lambda u: f"{u.agency.short_name} — {u.name}")


class SanctionForm(EventForm):
    detail = forms.CharField(label=_("Sanction"), max_length=255)
    sanction_group = forms.TypedChoiceField(
        label=_("Groupe de la sanction"),
        choices=SanctionGroup.choices,
        coerce=int,
        help_text=_("Le groupe compte pour l'avancement (aucune sanction au-delà d'un groupe)."),
    )


class DecorationForm(EventForm):
    detail = forms.CharField(label=_("Distinction ou décoration"), max_length=255)


class ExitForm(EventForm):
    status = forms.ChoiceField(
        label=_("Motif de sortie"), choices=[(s.value, s.label) for s in EXIT_STATUSES]
    )
    detail = forms.CharField(label=_("Précision"), required=False, max_length=255)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if self.officer.corps.agency_id == self.officer.agency_id:
            choices = [(s.value, s.label) for s in EXIT_STATUSES if s != Status.RETURNED]
            set_choices(self, "status", choices)


class RenewalForm(EventForm):
    """The renewal of a secondment: a new end, by its act."""

    end_date = date_field(_("Nouvelle fin du détachement"))


class EntryCorrectionForm(EventForm):
    """Correcting the entry in service (its date, first unit, entry grade or act)."""

    unit = forms.ModelChoiceField(
        label=_("Première unité"), queryset=Unit.objects.none(), help_text=UNIT_SCOPE_HELP
    )
    grade = forms.ModelChoiceField(label=_("Grade à l'entrée"), queryset=Grade.objects.none())
    function = forms.CharField(label=_("Fonction"), required=False, max_length=150)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        set_queryset(self, "unit", self.home_units(), indented)
        set_queryset(self, "grade", officer_grades(self.officer), grade_label)
        if self.officer.corps.agency_id == self.officer.agency_id:
            del self.fields["end_date"]

    end_date = date_field(_("Fin du détachement"), required=False)


class CommandForm(EventForm):
    """A command appointment: head (chef d'unité) or deputy of a unit, from a date."""

    unit = forms.ModelChoiceField(
        label=_("Unité commandée"), queryset=Unit.objects.none(), help_text=UNIT_SCOPE_HELP
    )
    command_role = forms.ChoiceField(label=_("Rôle"), choices=CommandRole.choices)
    end_date = date_field(_("Fin du commandement (vide : en cours)"), required=False)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        agencies = [self.officer.agency_id]
        if self.officer.host_unit_id:
            agencies.append(self.officer.host_unit.agency_id)  # type: ignore[union-attr]
        units = Unit.objects.filter(agency_id__in=agencies, is_active=True).order_by("path")
        set_queryset(self, "unit", self.within_rights(units), indented)


EVENT_FORMS: dict[str, type[EventForm]] = {
    EventKind.ENTRY: EntryCorrectionForm,
    EventKind.POSTING: PostingForm,
    EventKind.FUNCTION: FunctionForm,
    EventKind.GRADE: GradeForm,
    EventKind.STATUS: StatusForm,
    EventKind.SECONDMENT: SecondmentForm,
    EventKind.RENEWAL: RenewalForm,
    EventKind.SANCTION: SanctionForm,
    EventKind.DECORATION: DecorationForm,
    EventKind.EXIT: ExitForm,
    EventKind.COMMAND: CommandForm,
}

for _kind, _form in EVENT_FORMS.items():
    _form.needs_act = _kind in KINDS_NEEDING_ACT
OfficerCreateForm.needs_act = True

# URL slugs for each kind, in French as the rest of the addresses.
EVENT_SLUGS = {
    "affectation": EventKind.POSTING,
    "fonction": EventKind.FUNCTION,
    "grade": EventKind.GRADE,
    "position": EventKind.STATUS,
    "detachement": EventKind.SECONDMENT,
    "renouvellement": EventKind.RENEWAL,
    "sanction": EventKind.SANCTION,
    "distinction": EventKind.DECORATION,
    "sortie": EventKind.EXIT,
    "commandement": EventKind.COMMAND,
}


class DocumentForm(forms.Form):
    doc_type = forms.ModelChoiceField(
        label=_("Type de document"), queryset=DocumentType.objects.all()
    )
    title = forms.CharField(label=_("Intitulé"), max_length=200)
    date = date_field(_("Date du document"))
    file = forms.FileField(label=_("Fichier (PDF, JPEG ou PNG, 10 Mo au plus)"))


class PhotoForm(forms.Form):
    photo = forms.FileField(label=_("Photo (JPEG ou PNG)"))
    crop_left = forms.FloatField(
        label=_("Cadrage : bord gauche (%)"), required=False, min_value=0, max_value=100
    )
    crop_top = forms.FloatField(
        label=_("Cadrage : bord haut (%)"), required=False, min_value=0, max_value=100
    )
    crop_width = forms.FloatField(
        label=_("Cadrage : largeur (%)"), required=False, min_value=5, max_value=100
    )

    def crop(self) -> tuple[float, float, float] | None:
        data = self.cleaned_data
        if data.get("crop_width") is None:
            return None
        return (
            (data.get("crop_left") or 0) / 100,
            (data.get("crop_top") or 0) / 100,
            data["crop_width"] / 100,
        )


class ChildForm(forms.ModelForm[Child]):
    class Meta:
        model = Child
        fields = ["name", "birth_date", "sex"]
        widgets = {"birth_date": forms.DateInput(attrs=DATE_WIDGET, format="%Y-%m-%d")}


class EducationForm(forms.ModelForm[Education]):
    class Meta:
        model = Education
        fields = ["diploma", "institution", "year"]


class LanguageForm(forms.ModelForm[OfficerLanguage]):
    class Meta:
        model = OfficerLanguage
        fields = ["language", "spoken", "written"]

    def validate_unique(self) -> None:
        return  # the service's full_clean reports a second line for the same language


LINE_FORMS: dict[str, type[forms.ModelForm[Any]]] = {
    "child": ChildForm,
    "education": EducationForm,
    "language": LanguageForm,
}
LINE_SLUGS = {"enfant": "child", "diplome": "education", "langue": "language"}


class DisciplinaryCaseOpenForm(forms.Form):
    """A disciplinary proceeding opened against the officer (pending until it is closed)."""

    opened_on = date_field(_("Ouverte le"))
    reference = forms.CharField(label=_("Référence (n° de saisine)"), max_length=60)
    subject = forms.CharField(label=_("Objet"), max_length=255)

    def clean_opened_on(self) -> datetime.date:
        day: datetime.date = self.cleaned_data["opened_on"]
        if day > timezone.localdate():
            raise forms.ValidationError(_("Une procédure ne peut pas s'ouvrir dans le futur."))
        return day


class DisciplinaryCaseCloseForm(forms.Form):
    closed_on = date_field(_("Close le"))
    outcome = forms.CharField(
        label=_("Issue"),
        max_length=255,
        help_text=_(
            "Ex. « classement sans suite », « blâme ». Une sanction s'enregistre aussi "
            "comme événement de carrière, avec son acte."
        ),
    )

    def __init__(self, *args: Any, opened_on: datetime.date, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.opened_on = opened_on

    def clean_closed_on(self) -> datetime.date:
        day: datetime.date = self.cleaned_data["closed_on"]
        if day > timezone.localdate():
            raise forms.ValidationError(_("Une procédure ne peut pas se clore dans le futur."))
        if day < self.opened_on:
            raise forms.ValidationError(
                _("La date de clôture précède l'ouverture (%(day)s).")
                % {"day": self.opened_on.strftime("%d/%m/%Y")}
            )
        return day
