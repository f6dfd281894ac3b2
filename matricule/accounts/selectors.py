"""Reads of the administration screens: accounts, grants, tokens. No personnel data."""

from __future__ import annotations

from dataclasses import dataclass

from django.conf import settings
from django.db.models import Count, Q, QuerySet
from django.http import Http404

from matricule.accounts.models import ApiToken, RoleGrant, User
from matricule.accounts.roles import Perm
from matricule.accounts.scopes import agency_ids_with
from matricule.core.models import Unit


def _admin_agencies(viewer: User) -> set[int]:
    return agency_ids_with(viewer, Perm.USERS_MANAGE)


def user_list(*, viewer: User, q: str = "", locked_only: bool = False) -> QuerySet[User]:
    """Accounts, newest first; a sysadmin sees every account (accounts are not personnel)."""
    if not viewer.has_perm_anywhere(Perm.USERS_MANAGE):
        return User.objects.none()
    qs = User.objects.annotate(n_grants=Count("role_grants")).order_by("username")
    text = q.strip()
    if text:
        qs = qs.filter(
            Q(username__icontains=text)
            | Q(first_name__icontains=text)
            | Q(last_name__icontains=text)
            | Q(email__icontains=text)
        )
    if locked_only:
        qs = qs.filter(username__in=locked_usernames())
    return qs


def user_get(*, viewer: User, pk: int) -> User:
    if not viewer.has_perm_anywhere(Perm.USERS_MANAGE):
        raise Http404
    user = User.objects.filter(pk=pk).first()
    if user is None:
        raise Http404
    return user


def locked_usernames() -> list[str]:
    """Usernames that django-axes currently refuses (too many failed logins)."""
    from axes.models import AccessAttempt

    return list(
        AccessAttempt.objects.filter(failures_since_start__gte=settings.AXES_FAILURE_LIMIT)
        .values_list("username", flat=True)
        .distinct()
    )


def is_locked(username: str) -> bool:
    return username in locked_usernames()


@dataclass(frozen=True)
class GrantView:
    grant: RoleGrant
    units: int  # how many units the scope covers
    editable: bool


def user_grants(*, viewer: User, user: User) -> list[GrantView]:
    """What this user can see: each grant with the size of its scope."""
    agencies = _admin_agencies(viewer)
    grants = list(user.role_grants.select_related("agency", "unit").order_by("role", "id"))
    views = []
    for grant in grants:
        units = Unit.objects.filter(agency_id=grant.agency_id)
        if grant.unit is not None:
            units = units.filter(path__startswith=grant.unit.path)
        views.append(GrantView(grant, units.count(), grant.agency_id in agencies))
    return views


def grants_covering(*, viewer: User, unit: Unit) -> list[RoleGrant]:
    """Who can see this unit: grants on its agency, or on it or one of its ancestors."""
    if not viewer.has_perm_anywhere(Perm.USERS_MANAGE):
        return []
    return list(
        RoleGrant.objects.filter(agency_id=unit.agency_id)
        .filter(Q(unit__isnull=True) | Q(unit__path__in=unit.ancestor_paths()))
        .select_related("user", "unit", "agency")
        .order_by("role", "user__username")
    )


def token_list(*, viewer: User, prefix: str = "") -> QuerySet[ApiToken]:
    if not viewer.has_perm_anywhere(Perm.USERS_MANAGE):
        return ApiToken.objects.none()
    qs = ApiToken.objects.select_related("user").order_by("-created_at", "-id")
    if prefix.strip():
        qs = qs.filter(prefix__startswith=prefix.strip())
    return qs


def token_get(*, viewer: User, pk: int) -> ApiToken:
    token = token_list(viewer=viewer).filter(pk=pk).first()
    if token is None:
        raise Http404
    return token
