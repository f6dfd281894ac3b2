"""Audit labels of promotions (registered by PromotionsConfig.ready)."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from matricule.core.audit_labels import AuditVocabulary

PROMOTIONS_VOCABULARY = AuditVocabulary(
    actions={
        "promotion.rule.version": _("Avancement : nouvelle version d'une règle"),
        "promotion.campaign.create": _("Avancement : campagne créée"),
        "promotion.run": _("Avancement : éligibilité calculée"),
        "promotion.exam.score": _("Avancement : note d'examen enregistrée"),
        "promotion.vacancies.propose": _("Avancement : postes proposés"),
        "promotion.vacancy.fix": _("Avancement : nombre de postes fixé"),
        "promotion.board.create": _("Avancement : commission constituée"),
        "promotion.board.member": _("Avancement : membre ajouté à la commission"),
        "promotion.board.minutes": _("Avancement : procès-verbal de la commission"),
        "promotion.decision": _("Avancement : décision de la commission"),
        "promotion.fairness.acknowledge": _("Avancement : audit d'équité pris en compte"),
        "promotion.publish": _("Avancement : tableau publié"),
        "promotion.export": _("Avancement : tableau exporté"),
        "promotion.effect": _("Avancement : avancements prononcés"),
        "promotion.appeal.file": _("Avancement : recours déposé"),
        "promotion.appeal.decide": _("Avancement : recours décidé"),
        "demo.seed_promotions": _("Démonstration : avancement généré"),
    },
    fields={
        "version": _("Version"),
        "eligible": _("Éligibles"),
        "officers": _("Agents examinés"),
        "promoted": _("Promus"),
        "events": _("Événements enregistrés"),
        "fixed": _("Postes retenus"),
        "proposed": _("Postes proposés"),
        "outcome": _("Décision"),
        "deviation": _("Contraire au classement"),
    },
)


# Which field each of the app's database constraints speaks about (core.constraints).
CONSTRAINT_FIELDS = {
    "appeal_decided_with_reasons": "answer",
    "appeal_one_pending": "",
    "board_acknowledged_with_comment": "audit_comment",
    "boardmember_once": "user",
    "campaign_effect_after_reference": "effective_date",
    "campaign_once_per_year": "year",
    "decision_deviation_justified": "justification",
    "decision_once_per_officer": "",
    "eligibility_once_per_rule": "",
    "eligibilityphrase_once": "",
    "eligibilityrun_one_current": "",
    "eligibilityrun_version_unique": "",
    "examscore_once": "officer",
    "examscore_range": "score",
    "promotionrule_dates_ordered": "valid_from",
    "promotionrule_exam_range": "min_exam_score",
    "promotionrule_mark_range": "min_average_mark",
    "promotionrule_one_open_version": "",
    "promotionrule_sanction_group_range": "max_sanction_group",
    "promotionrule_version_unique": "",
    "rulecomponent_once": "code",
    "rulecomponent_weight_positive": "weight",
    "vacancy_fixed_with_reason": "reason",
    "vacancy_once_per_grade": "",
}
