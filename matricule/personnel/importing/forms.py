"""Forms of the import screens: they check the upload; the import rules live in planning.py.

The upload form looks at the file's name, size, zip directory and first bytes only: the
file is parsed by the background worker, never in the request.
"""

from __future__ import annotations

from typing import Any

from django import forms
from django.conf import settings
from django.core.files.uploadedfile import UploadedFile
from django.utils.translation import gettext_lazy as _

from matricule.core.models import UnitType
from matricule.personnel.importing.cells import DMY, MDY, ORDER_LABELS, YMD
from matricule.personnel.importing.columns import mapping_parse
from matricule.personnel.importing.reading import ImportFileError, upload_check
from matricule.personnel.importing.values import MAPPED_FIELDS, ValueMap, value_key, value_map_parse
from matricule.personnel.models import ImportJob

FILE_HELP = _(
    "Classeur Excel (.xlsx), fichier CSV ou CSV compressé (.csv.gz), %(mb)d Mo au plus. La "
    "première ligne porte les en-têtes : Nom, Prénom(s), Sexe, Date de naissance, Grade, "
    "Unité, Date d'entrée, Matricule, NINA, ancien identifiant, position, date et motif de "
    "sortie… (en français ou en anglais ; les autres colonnes sont ignorées). Un agent déjà "
    "enregistré est retrouvé par son matricule, son NINA ou son ancien identifiant : son "
    "identité et ses coordonnées sont mises à jour, jamais son grade ni son unité. Une "
    "cellule vide n'efface rien."
)
MAPPING_HELP = _(
    "Facultatif. Une ligne par colonne que l'application ne reconnaît pas : « En-tête=champ », "
    "par exemple « Tél. perso=phone » ou « Nom du père=ignorer »."
)
DATE_ORDER_CHOICES = [
    ("", _("Déduire des valeurs (demandé si elles sont ambiguës)")),
    (DMY, _("jj/mm/aaaa — jour d'abord (21/11/2026)")),
    (MDY, _("mm/jj/aaaa — mois d'abord (11/21/2026)")),
    (YMD, _("aaaa-mm-jj (ISO)")),
]
COLUMN_ORDER_CHOICES = [
    ("", _("Comme le reste du fichier")),
    *DATE_ORDER_CHOICES[1:],
]


def _size_mb() -> int:
    return int(settings.MATRICULE_IMPORT_MAX_BYTES // (1024 * 1024))


class ImportForm(forms.Form):
    file = forms.FileField(
        label=_("Fichier à importer"),
        widget=forms.ClearableFileInput(attrs={"accept": ".xlsx,.csv,.gz"}),
    )
    kind = forms.ChoiceField(
        label=_("Contenu du fichier"),
        choices=ImportJob.Kind.choices,
        initial=ImportJob.Kind.OFFICERS,
        required=False,
    )
    mode = forms.ChoiceField(
        label=_("Mode"),
        choices=ImportJob.Mode.choices,
        initial=ImportJob.Mode.DRY_RUN,
        widget=forms.RadioSelect,
    )
    source = forms.CharField(
        label=_("Système d'origine"),
        required=False,
        max_length=60,
        help_text=_(
            "Nom du système dont vient le fichier (ex. « SIGRH 2009 ») : les anciens "
            "identifiants sont gardés sous ce nom et les correspondances de valeurs "
            "enregistrées pour lui servent aux imports suivants."
        ),
    )
    date_order = forms.ChoiceField(
        label=_("Ordre des dates"), choices=DATE_ORDER_CHOICES, required=False
    )
    mapping = forms.CharField(
        label=_("Correspondance des colonnes"),
        required=False,
        help_text=MAPPING_HELP,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    value_map = forms.FileField(
        label=_("Correspondances de valeurs (facultatif)"),
        required=False,
        help_text=_(
            "Fichier CSV « field,value,code » : grade, unit, status, sex ou exit_reason, la "
            "valeur du fichier et le code de l'application."
        ),
        widget=forms.ClearableFileInput(attrs={"accept": ".csv"}),
    )
    create_units_under = forms.CharField(
        label=_("Créer les unités absentes sous l'unité (code)"),
        required=False,
        max_length=20,
        help_text=_("Facultatif. Sinon une unité inconnue est une erreur à corriger."),
    )
    unit_type = forms.ModelChoiceField(
        label=_("Type des unités créées"),
        queryset=UnitType.objects.order_by("name"),
        required=False,
        to_field_name="code",
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["file"].help_text = FILE_HELP % {"mb": _size_mb()}

    def clean_file(self) -> UploadedFile[bytes]:
        upload: UploadedFile[bytes] = self.cleaned_data["file"]
        try:
            upload_check(upload.file or upload, upload.name or "")
        except ImportFileError as error:
            raise forms.ValidationError(str(error)) from error
        return upload

    def clean_kind(self) -> str:
        return self.cleaned_data.get("kind") or ImportJob.Kind.OFFICERS

    def clean_mapping(self) -> dict[str, str]:
        kind = self.data.get("kind") or ImportJob.Kind.OFFICERS
        try:
            return mapping_parse(
                self.cleaned_data.get("mapping") or "", history=kind != ImportJob.Kind.OFFICERS
            )
        except ValueError as error:
            raise forms.ValidationError(str(error)) from error

    def clean_value_map(self) -> ValueMap:
        upload = self.cleaned_data.get("value_map")
        if not upload:
            return {}
        if (upload.size or 0) > 2 * 1024 * 1024:
            raise forms.ValidationError(_("Fichier de correspondances trop gros (2 Mo au plus)."))
        try:
            return value_map_parse(upload.read())
        except ValueError as error:
            raise forms.ValidationError(str(error)) from error

    def options(self) -> dict[str, Any]:
        data = self.cleaned_data
        options: dict[str, Any] = {}
        if data.get("date_order"):
            options["date_order"] = data["date_order"]
        if data.get("value_map"):
            options["value_map"] = data["value_map"]
        if data.get("create_units_under"):
            options["create_units_under"] = data["create_units_under"].strip()
            unit_type = data.get("unit_type")
            options["unit_type"] = unit_type.code if unit_type else ""
        return options


class ImportConfirmForm(forms.Form):
    mode = forms.ChoiceField(
        label=_("Comment importer"),
        choices=[
            (ImportJob.Mode.ATOMIC.value, ImportJob.Mode.ATOMIC.label),
            (ImportJob.Mode.VALID_ROWS.value, ImportJob.Mode.VALID_ROWS.label),
        ],
        initial=ImportJob.Mode.ATOMIC,
        widget=forms.RadioSelect,
    )


class RemapForm(forms.Form):
    """The mapping step: a code for each legacy value found in the file."""

    date_order = forms.ChoiceField(
        label=_("Ordre des dates"), choices=DATE_ORDER_CHOICES, required=False
    )
    create_units_under = forms.CharField(
        label=_("Créer les unités absentes sous l'unité (code)"), required=False, max_length=20
    )
    unit_type = forms.ModelChoiceField(
        label=_("Type des unités créées"),
        queryset=UnitType.objects.order_by("name"),
        required=False,
        to_field_name="code",
    )

    def __init__(self, *args: Any, job: ImportJob, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.job = job
        self.lines: list[tuple[str, dict[str, Any], str]] = []
        for name in MAPPED_FIELDS:
            for index, line in enumerate(job.values.get(name, [])):
                key = f"v-{name}-{index}"
                self.fields[key] = forms.CharField(
                    label=line["value"], required=False, max_length=40
                )
                self.initial[key] = line["code"] or line.get("suggestion", "")
                self.lines.append((name, line, key))
        options = job.options
        self.initial.setdefault("date_order", options.get("date_order", ""))
        self.initial.setdefault("create_units_under", options.get("create_units_under", ""))
        # One order per date column, over the file's: legacy exports mix them (a birth date
        # typed day-first beside an entry date written month-first by another program).
        self.date_columns: list[tuple[dict[str, Any], str]] = []
        chosen = options.get("column_orders") or {}
        for index, column in enumerate(job.values.get("date_columns", [])):
            key = f"d-{index}"
            self.fields[key] = forms.ChoiceField(
                label=column["header"], choices=COLUMN_ORDER_CHOICES, required=False
            )
            self.initial[key] = chosen.get(column["header"], "")
            self.date_columns.append((column, key))

    def date_column_rows(self) -> list[tuple[dict[str, Any], str, forms.BoundField]]:
        """Each date column, the order it was read in (or '') and its choice."""
        return [
            (column, str(ORDER_LABELS.get(column["order"], "")), self[key])
            for column, key in self.date_columns
        ]

    def value_map(self) -> ValueMap:
        mapping: ValueMap = {}
        for name, line, key in self.lines:
            code = (self.cleaned_data.get(key) or "").strip()
            if code and (line["how"] in ("unmapped", "map") or code != line["code"]):
                mapping.setdefault(name, {})[value_key(line["value"])] = code
        return mapping

    def options(self) -> dict[str, Any]:
        data = self.cleaned_data
        options = {k: v for k, v in self.job.options.items() if k != "created_units"}
        options["value_map"] = {
            **{k: dict(v) for k, v in options.get("value_map", {}).items()},
        }
        for name, values in self.value_map().items():
            options["value_map"].setdefault(name, {}).update(values)
        options["date_order"] = data.get("date_order") or ""
        column_orders = dict(options.get("column_orders") or {})
        for column, key in self.date_columns:
            if data.get(key):
                column_orders[column["header"]] = data[key]
            else:
                column_orders.pop(column["header"], None)
        options["column_orders"] = column_orders
        options["create_units_under"] = (data.get("create_units_under") or "").strip()
        unit_type = data.get("unit_type")
        options["unit_type"] = unit_type.code if unit_type else ""
        return options
