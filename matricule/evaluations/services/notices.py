"""Who is told what: the next actor of a step, in the app and by e-mail (on commit)."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.db.models import Q, QuerySet

from matricule.accounts.models import RoleGrant, User
from matricule.accounts.roles import ROLE_PERMISSIONS, Perm
from matricule.accounts.services import notify
from matricule.core.models import Unit

MANAGE_ROLES = [role for role, perms in ROLE_PERMISSIONS.items() if Perm.EVALUATION_MANAGE in perms]


def users_of_officers(officer_ids: Iterable[int] | QuerySet[Any, Any]) -> list[User]:
    return list(User.objects.filter(officer_id__in=officer_ids, is_active=True))


def notify_users_of_officers(
    *,
    officer_ids: Iterable[int] | QuerySet[Any, Any],
    message: str,
    url: str = "",
    email: bool = False,
) -> int:
    users = users_of_officers(officer_ids)
    if not users:
        return 0
    notify(
        users=users,
        message=message,
        url=url,
        email_subject=message[:80] if email else "",
        email_to=[u.email for u in users if u.email] if email else (),
    )
    return len(users)


def hr_managers_for(unit: Unit) -> list[User]:
    """HR directors whose scope covers the unit (agency-wide or an enclosing subtree)."""
    grants = (
        RoleGrant.objects.filter(
            role__in=MANAGE_ROLES, agency_id=unit.agency_id, user__is_active=True
        )
        .filter(Q(unit__isnull=True) | Q(unit__path__in=unit.ancestor_paths()))
        .select_related("user")
    )
    seen: dict[int, User] = {}
    for grant in grants:
        seen.setdefault(grant.user_id, grant.user)
    return list(seen.values())


def tell(*, users: list[User], message: str, url: str) -> None:
    """An in-app notice and an e-mail (sent once the transaction commits)."""
    if not users:
        return
    notify(
        users=users,
        message=message,
        url=url,
        email_subject=message[:80],
        email_to=[u.email for u in users if u.email],
    )
