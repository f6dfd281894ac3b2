"""Scope filters: what a viewer may see, expressed as query conditions (never in templates)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.db.models import Q

if TYPE_CHECKING:
    from matricule.accounts.models import User
    from matricule.core.models import Unit

NOTHING = Q(pk__in=[])


def officer_scope_q(viewer: User, perm: str, *, prefix: str = "") -> Q:
    """Officers (through `prefix`) that `viewer` may reach with `perm`."""
    if not viewer.is_authenticated or not viewer.is_active:
        return NOTHING
    q = Q()
    for grant in viewer.grants_with(perm):
        q |= grant.officer_q(prefix)
    return q if q else NOTHING


def unit_scope_q(viewer: User, perm: str, *, prefix: str = "") -> Q:
    """Units (through `prefix`) that `viewer` may reach with `perm`."""
    if not viewer.is_authenticated or not viewer.is_active:
        return NOTHING
    q = Q()
    for grant in viewer.grants_with(perm):
        q |= grant.unit_q(prefix)
    return q if q else NOTHING


def agency_ids_with(viewer: User, perm: str) -> set[int]:
    return {grant.agency_id for grant in viewer.grants_with(perm)}


def unit_within(viewer: User, perm: str, unit: Unit) -> bool:
    """Whether one of the viewer's grants with `perm` covers `unit` (its agency, its subtree)."""
    if not viewer.is_authenticated or not viewer.is_active:
        return False
    return any(
        grant.agency_id == unit.agency_id
        and (grant.unit is None or unit.path.startswith(grant.unit.path))
        for grant in viewer.grants_with(perm)
    )
