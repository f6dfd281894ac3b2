"""Audit labels of recruitment (registered by RecruitmentConfig.ready)."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from matricule.core.audit_labels import AuditVocabulary

RECRUITMENT_VOCABULARY = AuditVocabulary(
    actions={
        "intake.create": _("Concours créé"),
        "intake.update": _("Concours modifié"),
        "intake.status": _("Concours : changement d'état"),
        "intake.quota_add": _("Concours : répartition des postes ajoutée"),
        "intake.centre_add": _("Concours : centre d'examen ajouté"),
        "intake.stage_add": _("Concours : épreuve ajoutée"),
        "intake.subject_add": _("Concours : matière ajoutée"),
        "intake.event_add": _("Concours : barème ajouté"),
        "intake.config_remove": _("Concours : élément de configuration retiré"),
        "intake.rerank": _("Concours : classement établi"),
        "intake.ranking_invalidated": _("Concours : classement à refaire"),
        "intake.publish": _("Concours : résultats publiés"),
        "intake.unpublish": _("Concours : publication des résultats retirée"),
        "intake.funnel_export": _("Concours : entonnoir exporté"),
        "candidate.create": _("Candidat inscrit"),
        "candidate.withdraw": _("Candidature retirée"),
        "candidate.document_add": _("Pièce de candidature ajoutée"),
        "result.import": _("Résultats d'épreuve importés"),
        "result.correct": _("Résultat d'épreuve corrigé"),
        "cohort.create": _("Promotion d'école créée"),
        "cohort.member_update": _("Élève de la promotion modifié"),
        "cohort.assignments_import": _("Premières affectations importées"),
        "cohort.graduate": _("Promotion sortie : dossiers créés"),
    },
    fields={
        "admis": _("Admis"),
        "stage": _("Épreuve"),
        "score": _("Note"),
        "passed": _("Réussi"),
        "officers": _("Agents créés"),
    },
)


# Which field each of the app's database constraints speaks about (core.constraints).
CONSTRAINT_FIELDS = {
    "candidate_nina_unique_per_intake": "nina",
    "candidate_number_unique_per_intake": "application_number",
    "candidate_sex_valid": "sex",
    "centre_code_unique_per_intake": "code",
    "cohort_dates_ordered": "ends_on",
    "event_code_unique_per_stage": "code",
    "intake_age_range_ordered": "age_max",
    "intake_posts_positive": "posts_total",
    "intake_window_ordered": "applications_close",
    "member_mark_range": "training_mark",
    "quota_has_a_group": "region",
    "ranking_rank_unique": "rank",
    "result_mark_range": "mark",
    "result_unique": "stage",
    "scoring_points_range": "points",
    "scoring_threshold_unique": "threshold",
    "stage_kind_unique": "kind",
    "stage_mark_rule_has_mark": "pass_mark",
    "stage_order_unique": "order",
    "stage_pass_mark_range": "pass_mark",
    "stage_ranking_needs_marks": "counts_in_ranking",
    "subject_code_unique_per_stage": "code",
    "subject_coefficient_positive": "coefficient",
}
