"""Audit labels of deployments (registered by DeploymentsConfig.ready)."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from matricule.core.audit_labels import AuditVocabulary

DEPLOYMENTS_VOCABULARY = AuditVocabulary(
    actions={
        "operation.create": _("Opération créée"),
        "operation.update": _("Opération modifiée"),
        "operation.status": _("Opération : changement d'état"),
        "operation.document": _("Document ajouté à une opération"),
        "position.create": _("Poste créé dans une opération"),
        "position.update": _("Poste d'opération modifié"),
        "requirement.add": _("Exigence ajoutée à un poste"),
        "requirement.remove": _("Exigence retirée d'un poste"),
        "assignment.create": _("Agent désigné pour une mission"),
        "assignment.career": _("Mission inscrite dans la carrière"),
        "assignment.end": _("Mission terminée"),
        "assignment.cancel": _("Mission annulée"),
        "assignment.exit": _("Missions closes par la sortie du service"),
        "deployment.shortlist.export": _("Liste de candidats à une mission exportée"),
        "un_assessment.record": _("Épreuve d'évaluation ONU enregistrée"),
        "critical_skill.add": _("Compétence critique ajoutée"),
        "critical_skill.remove": _("Compétence critique retirée"),
        "demo.seed_deployments": _("Démonstration : opérations générées"),
    },
    fields={
        "candidates": _("Candidats"),
        "position": _("Poste"),
        "operation": _("Opération"),
    },
)


# Which field each of the app's database constraints speaks about (core.constraints).
CONSTRAINT_FIELDS = {
    "assignment_dates_ordered": "end_date",
    "criticalskill_level_positive": "min_level",
    "criticalskill_once": "skill",
    "operation_dates_ordered": "end_date",
    "operation_place_given": "",
    "position_age_bounds": "",
    "position_age_range_ordered": "age_max",
    "position_count_range": "count",
    "position_service_bounds": "service_years_min",
    "requirement_language_once": "language",
    "requirement_shape": "",
    "requirement_skill_once": "skill",
    "requirement_years_held_bounds": "years_held",
    "unassessment_language_scored": "",
    "unassessment_score_range": "score",
}
