"""Audit labels of evaluations (registered by EvaluationsConfig.ready)."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from matricule.core.audit_labels import AuditVocabulary

EVALUATIONS_VOCABULARY = AuditVocabulary(
    actions={
        "evaluation.form.create": _("Fiche de notation créée"),
        "evaluation.form.update": _("Fiche de notation modifiée"),
        "evaluation.cycle.open": _("Campagne de notation ouverte"),
        "evaluation.cycle.extend": _("Échéances d'une campagne de notation prolongées"),
        "evaluation.cycle.close": _("Campagne de notation close"),
        "evaluation.cycle.reopen": _("Campagne de notation rouverte"),
        "evaluation.exclusion.reinstate": _("Agent exclu réintégré dans la campagne"),
        "evaluation.self_assess": _("Auto-évaluation remise"),
        "evaluation.self_skip": _("Auto-évaluation passée après l'échéance"),
        "evaluation.rate": _("Évaluation notée par le supérieur"),
        "evaluation.review": _("Revue au second niveau"),
        "evaluation.acknowledge": _("Évaluation : prise de connaissance par l'agent"),
        "evaluation.appeal": _("Recours contre une évaluation"),
        "evaluation.appeal_decide": _("Recours sur une évaluation décidé"),
        "evaluation.reassign": _("Évaluateur ou second niveau désigné"),
        "evaluation.escalate": _("Évaluation en retard relancée"),
        "evaluation.completion.export": _("Avancement de la notation exporté"),
        "evaluation.calibration.export": _("Harmonisation des notateurs exportée"),
        "evaluation.sheet.print": _("Fiche de notation imprimée"),
        "demo.seed_evaluations": _("Démonstration : évaluations générées"),
    },
    fields={
        "excluded": _("Exclus"),
        "created": _("Évaluations créées"),
        "reason": _("Motif"),
        "role": _("Rôle"),
        "mark": _("Note"),
    },
)


# Which field each of the app's database constraints speaks about (core.constraints).
CONSTRAINT_FIELDS = {
    "criterion_code_once_per_form": "code",
    "criterion_weight_positive": "weight",
    "cycle_deadlines_ordered": "rating_deadline",
    "cycle_once_per_agency_year": "year",
    "cycle_once_per_unit_year": "year",
    "cycle_period_ordered": "period_end",
    "cycle_status_valid": "",
    "evaluation_adjustment_justified": "review_justification",
    "evaluation_closed_has_mark": "",
    "evaluation_mark_range": "final_mark",
    "evaluation_no_self_rating": "evaluator",
    "evaluation_once_per_cycle": "",
    "evaluation_rated_has_evaluator": "evaluator",
    "evaluation_reviewer_distinct": "reviewer",
    "evaluation_status_valid": "",
    "exclusion_once_per_cycle": "",
    "form_dates_ordered": "valid_to",
    "form_once_per_corps_date": "valid_from",
    "form_scale_positive": "scale_max",
    "reminder_once_per_step_day": "",
    "score_not_negative": "score",
    "score_once_per_criterion": "",
}
