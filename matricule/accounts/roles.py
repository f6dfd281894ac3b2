"""Roles of SPEC §1 and the permissions each one carries.

A role is granted on a scope (an agency, optionally narrowed to a unit
subtree); code checks permissions, never role names, so a new role is a
change to this file only.
"""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class Role(models.TextChoices):
    OFFICER = "officer", _("Agent")
    SUPERVISOR = "supervisor", _("Chef d'unité")
    HR_CLERK = "hr_clerk", _("Gestionnaire RH")
    HR_DIRECTOR = "hr_director", _("Directeur des ressources humaines")
    RECRUITMENT_OFFICER = "recruitment_officer", _("Chargé du recrutement")
    TRAINING_OFFICER = "training_officer", _("Chargé de la formation")
    PROMOTION_BOARD = "promotion_board", _("Membre de commission d'avancement")
    OPERATIONS_PLANNER = "operations_planner", _("Planificateur des opérations")
    BADGE_OFFICER = "badge_officer", _("Chargé des cartes professionnelles")
    INSPECTOR = "inspector", _("Inspecteur / auditeur")
    SYSADMIN = "sysadmin", _("Administrateur système")


class Perm:
    """Named permission constants. Values are stable identifiers, not labels."""

    PERSONNEL_VIEW = "personnel.view"
    PERSONNEL_EDIT = "personnel.edit"
    PERSONNEL_IMPORT = "personnel.import"
    SEE_IDENTITY = "sensitive.identity"  # NINA
    SEE_HEALTH = "sensitive.health"  # medical fitness, blood group
    SEE_DISCIPLINE = "sensitive.discipline"
    SEE_BIOMETRIC = "sensitive.biometric"  # photo, fingerprints
    REFERENCE_MANAGE = "reference.manage"
    AUDIT_VIEW = "audit.view"
    CORRECTIONS_PROCESS = "corrections.process"
    RECRUITMENT_MANAGE = "recruitment.manage"
    RECRUITMENT_VIEW = "recruitment.view"  # read intakes, candidates and results
    TRAINING_MANAGE = "training.manage"
    TRAINING_NOMINATE = "training.nominate"
    EVALUATION_RATE = "evaluations.rate"
    EVALUATION_VIEW = "evaluations.view"  # read evaluations, completion and calibration in scope
    EVALUATION_MANAGE = "evaluations.manage"  # forms, cycles, reassignment, appeals
    PROMOTION_DECIDE = "promotions.decide"
    DEPLOYMENT_PLAN = "deployments.plan"
    DEPLOYMENT_VIEW = "deployments.view"  # read operations, searches and readiness
    DEPLOYMENT_STAFF = "deployments.staff"  # a head of unit reads their staff's assignments
    CARDS_MANAGE = "cards.manage"
    USERS_MANAGE = "users.manage"
    KEYS_MANAGE = "keys.manage"


_HR_BASE = {
    Perm.PERSONNEL_VIEW,
    Perm.PERSONNEL_EDIT,
    Perm.PERSONNEL_IMPORT,
    Perm.SEE_IDENTITY,
    Perm.SEE_BIOMETRIC,
    Perm.SEE_DISCIPLINE,
    Perm.CORRECTIONS_PROCESS,
}

ROLE_PERMISSIONS: dict[str, frozenset[str]] = {
    # An officer's own record is reached through User.officer, not through a scope.
    Role.OFFICER: frozenset(),
    Role.SUPERVISOR: frozenset(
        {
            Perm.PERSONNEL_VIEW,
            Perm.SEE_BIOMETRIC,
            Perm.EVALUATION_RATE,
            Perm.TRAINING_NOMINATE,
            Perm.DEPLOYMENT_STAFF,
        }
    ),
    Role.HR_CLERK: frozenset(_HR_BASE | {Perm.EVALUATION_VIEW}),
    Role.HR_DIRECTOR: frozenset(
        _HR_BASE
        | {Perm.REFERENCE_MANAGE, Perm.SEE_HEALTH, Perm.EVALUATION_VIEW, Perm.EVALUATION_MANAGE}
    ),
    Role.RECRUITMENT_OFFICER: frozenset({Perm.RECRUITMENT_MANAGE, Perm.RECRUITMENT_VIEW}),
    Role.TRAINING_OFFICER: frozenset(
        {Perm.PERSONNEL_VIEW, Perm.TRAINING_MANAGE, Perm.TRAINING_NOMINATE}
    ),
    Role.PROMOTION_BOARD: frozenset({Perm.PERSONNEL_VIEW, Perm.PROMOTION_DECIDE}),
    Role.OPERATIONS_PLANNER: frozenset(
        {Perm.PERSONNEL_VIEW, Perm.DEPLOYMENT_PLAN, Perm.DEPLOYMENT_VIEW}
    ),
    Role.BADGE_OFFICER: frozenset({Perm.PERSONNEL_VIEW, Perm.SEE_BIOMETRIC, Perm.CARDS_MANAGE}),
    # Inspectors read everything in scope, including the audit trail, and change nothing.
    Role.INSPECTOR: frozenset(
        {
            Perm.PERSONNEL_VIEW,
            Perm.SEE_IDENTITY,
            Perm.SEE_HEALTH,
            Perm.SEE_DISCIPLINE,
            Perm.SEE_BIOMETRIC,
            Perm.AUDIT_VIEW,
            Perm.RECRUITMENT_VIEW,
            Perm.DEPLOYMENT_VIEW,
            Perm.EVALUATION_VIEW,
        }
    ),
    # No personnel data unless also given an HR role.
    Role.SYSADMIN: frozenset({Perm.USERS_MANAGE, Perm.KEYS_MANAGE}),
}

# Roles whose holders must pass a second factor (TOTP) before using the application.
TWO_FACTOR_ROLES: frozenset[str] = frozenset(
    {Role.HR_CLERK, Role.HR_DIRECTOR, Role.SYSADMIN, Role.BADGE_OFFICER}
)
