"""Audit labels of the reference data (registered by CoreConfig.ready)."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from matricule.core.audit_labels import COMMON_FIELDS, AuditVocabulary

COMMON_FIELDS.update(
    {
        "reason": _("Motif"),
        "source": _("Origine"),
        "date": _("Date"),
        "count": _("Nombre"),
        "rows": _("Lignes"),
        "filters": _("Filtres"),
        "format": _("Format"),
        "status": _("État"),
        "valeur": _("Valeur"),
        "file": _("Fichier"),
        "size": _("Taille (octets)"),
        "error": _("Erreur"),
    }
)

CORE_VOCABULARY = AuditVocabulary(
    actions={
        "reference.create": _("Référentiel : élément ajouté"),
        "reference.update": _("Référentiel : élément modifié"),
        "reference.seed": _("Référentiels chargés"),
        "audit.export": _("Piste d'audit exportée"),
        "backup.create": _("Sauvegarde lancée"),
        "backup.done": _("Sauvegarde terminée"),
        "backup.failed": _("Sauvegarde échouée"),
        "test.": _("Écriture de test"),
    },
)


# Which field each of the app's database constraints speaks about (core.constraints).
CONSTRAINT_FIELDS = {
    "idempotency_key_per_user": "key",
    "agency_matricule_digits_range": "matricule_digits",
    "audithead_singleton": "",
    "corps_code_unique_per_agency": "code",
    "corps_entry_age_range": "entry_age_max",
    "corps_retirement_age_range": "retirement_age",
    "establishment_dates_ordered": "effective_to",
    "establishment_unique_start": "effective_from",
    "grade_code_unique_per_statute": "code",
    "grade_order_unique_per_statute": "order",
    "skill_max_level_range": "max_level",
    "statute_code_unique_per_agency": "code",
    "statute_dates_ordered": "effective_to",
    "unit_code_unique_per_agency": "code",
}
