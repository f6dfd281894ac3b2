"""Forms of the import screens: they check the upload; the import rules live in planning.py."""

from __future__ import annotations

from django import forms
from django.core.files.uploadedfile import UploadedFile
from django.utils.translation import gettext_lazy as _

from matricule.personnel.importing.columns import mapping_parse
from matricule.personnel.importing.reading import (
    MAX_FILE_BYTES,
    ImportFileError,
    csv_decode,
    xlsx_looks_valid,
)
from matricule.personnel.models import ImportJob

FILE_HELP = _(
    "Classeur Excel (.xlsx) ou fichier CSV, 10 Mo au plus. La première ligne porte les "
    "en-têtes : Nom, Prénom(s), Sexe, Date de naissance, Grade, Unité, Date d'entrée, "
    "Matricule, NINA… (en français ou en anglais). Un agent déjà enregistré est retrouvé "
    "par son matricule, sinon par son NINA : seules son identité et ses coordonnées sont "
    "mises à jour, jamais son grade, son unité ni sa date d'entrée (enregistrez-les dans sa "
    "carrière). Une cellule vide n'efface rien. Pour un nouvel agent, le grade est celui de "
    "l'entrée en service."
)
MAPPING_HELP = _(
    "Facultatif. Une ligne par colonne que l'application ne reconnaît pas : « En-tête=champ », "
    "par exemple « Tél. perso=phone » ou « Nom du père=ignorer »."
)


class ImportForm(forms.Form):
    file = forms.FileField(
        label=_("Fichier à importer"),
        help_text=FILE_HELP,
        widget=forms.ClearableFileInput(attrs={"accept": ".xlsx,.csv"}),
    )
    mode = forms.ChoiceField(
        label=_("Mode"),
        choices=ImportJob.Mode.choices,
        initial=ImportJob.Mode.DRY_RUN,
        widget=forms.RadioSelect,
    )
    mapping = forms.CharField(
        label=_("Correspondance des colonnes"),
        required=False,
        help_text=MAPPING_HELP,
        widget=forms.Textarea(attrs={"rows": 4}),
    )

    content: bytes = b""

    def clean_file(self) -> UploadedFile[bytes]:
        upload: UploadedFile[bytes] = self.cleaned_data["file"]
        name = (upload.name or "").lower()
        if not name.endswith((".xlsx", ".csv")):
            raise forms.ValidationError(_("Seuls les fichiers .xlsx et .csv sont acceptés."))
        if (upload.size or 0) > MAX_FILE_BYTES:
            raise forms.ValidationError(
                _("Le fichier dépasse 10 Mo : découpez-le en plusieurs fichiers.")
            )
        data = upload.read()
        if name.endswith(".xlsx") and not xlsx_looks_valid(data):
            raise forms.ValidationError(
                _(
                    "Ce fichier n'est pas un classeur Excel (.xlsx) "
                    "valide : ouvrez-le dans votre tableur et "
                    "enregistrez-le de nouveau au format .xlsx."
                )
            )
        if name.endswith(".csv"):
            try:
                csv_decode(data)
            except ImportFileError as error:
                raise forms.ValidationError(str(error)) from error
        self.content = data
        return upload

    def clean_mapping(self) -> dict[str, str]:
        try:
            return mapping_parse(self.cleaned_data.get("mapping") or "")
        except ValueError as error:
            raise forms.ValidationError(str(error)) from error


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
