"""One demo user per role (SPEC §5), for `make run` and the README."""

from __future__ import annotations

from django.db import transaction

from matricule.accounts.models import RoleGrant, User
from matricule.accounts.roles import Role
from matricule.core.models import Agency, Unit
from matricule.personnel.models import Officer, Status

# Published in the README on purpose: demo data only, never in production.
DEMO_PASSWORD = "demo-matricule-2026"  # noqa: S105

# (role, username, unit code narrowing the scope or None for the whole agency, full name);
# accounts of another agency than the police name it: "OCS:…" for the unit or "OCS:".
DEMO_ACCOUNTS: list[tuple[str, str | None, str | None, str]] = [
    (Role.OFFICER, None, None, ""),  # username is the officer's matricule
    (Role.SUPERVISOR, "chef.ca1", "BKO-CA01", "Chef du commissariat du 1er arrondissement"),
    (Role.HR_CLERK, "rh.bamako", "DR-BKO", "Gestionnaire RH — District de Bamako"),
    (Role.HR_CLERK, "rh.ocs", "OCS:", "Gestionnaire RH — Office central des stupéfiants"),
    (Role.HR_DIRECTOR, "drh.pn", None, "Directeur des ressources humaines"),
    (Role.RECRUITMENT_OFFICER, "recrutement", None, "Chargé du recrutement"),
    (Role.TRAINING_OFFICER, "formation", None, "Chargé de la formation"),
    (Role.PROMOTION_BOARD, "avancement", None, "Membre de la commission d'avancement"),
    (Role.OPERATIONS_PLANNER, "operations", None, "Planificateur des opérations"),
    (Role.BADGE_OFFICER, "cartes", None, "Chargé des cartes professionnelles"),
    (Role.INSPECTOR, "inspection", None, "Inspecteur des services"),
    (Role.SYSADMIN, "admin", None, "Administrateur système"),
]


@transaction.atomic
def demo_users_create() -> list[tuple[str, str, str]]:
    """Create (or refresh) the demo accounts; returns (role, username, password) lines."""
    police = Agency.objects.get(code="PN")
    lines = []
    for role, username, scope, full_name in DEMO_ACCOUNTS:
        agency_code, _colon, unit_code = (scope or "").rpartition(":")
        agency = Agency.objects.get(code=agency_code) if agency_code else police
        unit = Unit.objects.get(agency=agency, code=unit_code) if unit_code else None
        officer = None
        if role == Role.OFFICER:
            officer = _demo_officer(police)
            username = officer.matricule
            full_name = f"{officer.given_names} {officer.family_name}"
        assert username is not None
        user, _ = User.objects.get_or_create(username=username)
        first, _sep, last = full_name.partition(" ")
        user.first_name, user.last_name = first[:150], last[:150]
        user.officer = officer
        user.is_staff = role == Role.SYSADMIN
        user.set_password(DEMO_PASSWORD)
        user.save()
        RoleGrant.objects.get_or_create(user=user, role=role, agency=agency, unit=unit)
        lines.append((str(role), username, DEMO_PASSWORD))
    return lines


def _demo_officer(agency: Agency) -> Officer:
    """A serving officer of the Bamako 1st arrondissement, the same one for a given seed."""
    officer = (
        Officer.objects.filter(agency=agency, unit__code="BKO-CA01", status=Status.ACTIVE)
        .order_by("matricule")
        .first()
        or Officer.objects.filter(agency=agency, status=Status.ACTIVE).order_by("matricule").first()
    )
    if officer is None:
        raise Officer.DoesNotExist("Aucun agent en activité : lancez d'abord seed_demo.")
    return officer


def demo_logins() -> list[tuple[str, str, str]]:
    """The demo accounts as they are in the database, one per role in SPEC order."""
    lines = []
    for role, username, _unit, _name in DEMO_ACCOUNTS:
        grants = RoleGrant.objects.filter(role=role).select_related("user").order_by("id")
        if username is not None:
            grants = grants.filter(user__username=username)
        grant = grants.first()
        if grant is not None:
            lines.append((str(role), grant.user.username, DEMO_PASSWORD))
    return lines
