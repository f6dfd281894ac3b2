"""Audit labels of training (registered by TrainingConfig.ready)."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from matricule.core.audit_labels import AuditVocabulary

TRAINING_VOCABULARY = AuditVocabulary(
    actions={
        "training.course.create": _("Formation créée au catalogue"),
        "training.course.update": _("Formation du catalogue modifiée"),
        "training.course.publish": _("Formation publiée au catalogue"),
        "training.course.unpublish": _("Formation retirée du catalogue"),
        "training.module.add": _("Module ajouté à une formation"),
        "training.module.remove": _("Module retiré d'une formation"),
        "training.course_skill.set": _("Compétence accordée par une formation"),
        "training.prerequisite_skill.set": _("Compétence prérequise fixée"),
        "training.prerequisite_course.add": _("Formation prérequise ajoutée"),
        "training.required.add": _("Formation obligatoire ajoutée"),
        "training.required.remove": _("Formation obligatoire retirée"),
        "training.coverage.export": _("Couverture des formations exportée"),
        "training.session.create": _("Session de formation programmée"),
        "training.session.status": _("Session de formation : changement d'état"),
        "training.session.close": _("Session de formation clôturée"),
        "training.enrolment.nominate": _("Stagiaire proposé"),
        "training.enrolment.confirm": _("Inscription confirmée"),
        "training.enrolment.withdraw": _("Stagiaire retiré"),
        "training.enrolment.promote": _("Stagiaire repris de la liste d'attente"),
        "training.attendance.record": _("Feuille de présence enregistrée"),
        "training.result.record": _("Résultat de formation enregistré"),
        "training.skill.add": _("Compétence ajoutée au dossier"),
        "training.skill.verify": _("Compétence vérifiée"),
        "training.trainer.add": _("Formateur ajouté à une session"),
        "training.trainer.qualify": _("Parcours de formateur mis à jour"),
        "demo.seed_training": _("Démonstration : formations générées"),
    },
    fields={
        "certificates": _("Certificats délivrés"),
        "skills": _("Compétences accordées"),
        "present": _("Présents"),
        "absent": _("Absents"),
        "day": _("Jour"),
        "officer": _("Agent"),
    },
)


# Which field each of the app's database constraints speaks about (core.constraints).
CONSTRAINT_FIELDS = {
    "attendance_once_per_day": "day",
    "certificate_expiry_after_issue": "expires_on",
    "course_hours_positive": "hours",
    "course_validity_positive": "validity_months",
    "courseprereqskill_level_positive": "min_level",
    "courseprereqskill_once": "skill",
    "courseskill_level_positive": "level",
    "courseskill_once": "skill",
    "enrolment_once": "officer",
    "enrolment_score_range": "score",
    "officerskill_expiry_after_obtained": "expires_on",
    "officerskill_level_positive": "level",
    "requiredtraining_grade_xor_function": "grade",
    "requiredtraining_once_per_function": "function",
    "requiredtraining_once_per_grade": "grade",
    "session_capacity_range": "capacity",
    "session_dates_ordered": "end_date",
    "sessiontrainer_officer_once": "officer",
    "sessiontrainer_officer_xor_external": "officer",
    "sessiontrainer_one_lead": "role",
    "trainer_once_per_course": "course",
}
