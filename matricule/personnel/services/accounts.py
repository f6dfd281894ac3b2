"""Opening self-service logins for the officers of a unit (username = matricule)."""

from __future__ import annotations

from django.db import transaction

from matricule.accounts.models import RoleGrant, User
from matricule.accounts.roles import Role
from matricule.accounts.services import one_time_password
from matricule.core.audit import audit_record
from matricule.core.models import Agency, Unit
from matricule.personnel.models import IN_SERVICE_STATUSES, Officer


def officer_accounts_create(*, unit: Unit, by: User) -> list[tuple[Officer, str]]:
    """Open an account (username = matricule) for every serving officer of a unit subtree.

    Each gets a one-time password to print; the first login forces a new one. Officers
    who already have an account are left alone. Returns (officer, password) pairs.
    """
    created: list[tuple[Officer, str]] = []
    with transaction.atomic():
        # Two clerks opening accounts at once (perhaps for a unit and its parent) take
        # turns on the agency row: the second one then sees the accounts the first made.
        Agency.objects.select_for_update().only("pk").get(pk=unit.agency_id)
        officers = list(
            Officer.objects.filter(
                unit_id__in=unit.subtree_ids(),
                status__in=IN_SERVICE_STATUSES,
                user_account__isnull=True,
            )
            .exclude(matricule__in=User.objects.values("username"))
            .select_related("agency")
            .order_by("unit__path", "family_name", "given_names")
        )
        for officer in officers:
            password = one_time_password()
            user = User(
                username=officer.matricule,
                first_name=officer.given_names[:150],
                last_name=officer.family_name[:150],
                officer=officer,
                must_change_password=True,
                email=officer.email,
            )
            user.set_password(password)
            user.save()
            RoleGrant.objects.create(user=user, role=Role.OFFICER, agency=officer.agency)
            created.append((officer, password))
        audit_record(
            by=by,
            action="accounts.create_for_unit",
            obj=unit,
            after={"unit": unit.code, "created": [o.matricule for o, _ in created]},
        )
    return created
