"""Audit labels of the personnel record (registered by PersonnelConfig.ready)."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from matricule.core.audit_labels import AuditVocabulary

PERSONNEL_VOCABULARY = AuditVocabulary(
    actions={
        "officer.create": _("Dossier d'agent créé"),
        "officer.update": _("Identité ou coordonnées modifiées"),
        "officer.export": _("Liste d'agents exportée"),
        "personnel.import": _("Import d'agents"),
        "personnel.import_undo": _("Import d'agents annulé"),
        "officer.delete": _("Dossier d'agent supprimé (annulation d'un import)"),
        "event.": _("Événement de carrière enregistré"),
        "event.entry": _("Carrière : entrée en service"),
        "event.posting": _("Carrière : affectation / mutation"),
        "event.function": _("Carrière : fonction"),
        "event.grade": _("Carrière : changement de grade"),
        "event.status": _("Carrière : changement de position"),
        "event.secondment": _("Carrière : détachement"),
        "event.renewal": _("Carrière : renouvellement du détachement"),
        "event.sanction": _("Carrière : sanction"),
        "event.decoration": _("Carrière : distinction / décoration"),
        "event.exit": _("Carrière : sortie du service"),
        "event.correct": _("Carrière : événement corrigé"),
        "event.command": _("Carrière : commandement d'unité"),
        "document.add": _("Document ajouté au dossier"),
        "photo.add": _("Photo ajoutée"),
        "child.add": _("Enfant ajouté"),
        "child.remove": _("Enfant retiré"),
        "education.add": _("Diplôme ajouté"),
        "education.remove": _("Diplôme retiré"),
        "language.add": _("Langue ajoutée"),
        "language.remove": _("Langue retirée"),
        "discipline.open": _("Procédure disciplinaire ouverte"),
        "discipline.close": _("Procédure disciplinaire close"),
    },
    fields={
        "file": _("Fichier"),
        "job": _("Import n°"),
        "created": _("Créés"),
        "updated": _("Mis à jour"),
        "matricules": _("Matricules"),
        "columns": _("Colonnes"),
    },
)


# Which field each of the app's database constraints speaks about (core.constraints).
CONSTRAINT_FIELDS = {
    "access_names_officer_or_agency": "",
    "event_command_has_unit_and_role": "command_role",
    "event_end_after_start": "end_date",
    "disciplinarycase_closed_after_opened": "closed_on",
    "event_exceptional_justified": "justification",
    "event_sanction_group_valid": "sanction_group",
    "import_value_map_once": "value",
    "legacy_id_unique_per_source": "value",
    "nameword_once_per_officer": "",
    "officer_entry_after_birth": "entry_date",
    "officer_exit_after_entry": "exit_date",
    "officer_language_once": "language",
    "officer_nina_unique_per_agency": "nina",
    "officer_sex_valid": "sex",
}
