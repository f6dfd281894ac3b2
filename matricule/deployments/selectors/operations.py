"""Operations, positions and assignments as each viewer may see them.

Planners and inspectors see the operations led by a unit in their scope; a head of unit
sees the assignments of their staff; an officer sees their own (through their account).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.core.exceptions import PermissionDenied
from django.db.models import Count, Prefetch, Q, QuerySet
from django.http import Http404

from matricule.accounts.models import RoleGrant
from matricule.accounts.roles import ROLE_PERMISSIONS, Perm
from matricule.accounts.scopes import officer_scope_q, unit_scope_q
from matricule.deployments.models import (
    HOLDING_STATES,
    Assignment,
    AssignmentState,
    Operation,
    Position,
)
from matricule.personnel.models import Officer

if TYPE_CHECKING:
    from matricule.accounts.models import User


def _operations_q(viewer: User, perm: str) -> Q:
    return unit_scope_q(viewer, perm, prefix="lead_unit__")


def operation_list(*, viewer: User, status: str = "", kind: str = "") -> QuerySet[Operation]:
    """Operations led by a unit in the viewer's planning or reading scope, newest first."""
    q = _operations_q(viewer, Perm.DEPLOYMENT_PLAN) | _operations_q(viewer, Perm.DEPLOYMENT_VIEW)
    qs = Operation.objects.filter(q).select_related("lead_unit", "region")
    if status:
        qs = qs.filter(status=status)
    if kind:
        qs = qs.filter(kind=kind)
    return qs.annotate(
        positions_count=Count("positions", distinct=True),
        seats=Count(
            "assignments",
            filter=Q(assignments__state__in=HOLDING_STATES),
            distinct=True,
        ),
    ).order_by("-start_date", "-id")


def can_plan(viewer: User, operation: Operation) -> bool:
    return Operation.objects.filter(
        _operations_q(viewer, Perm.DEPLOYMENT_PLAN), pk=operation.pk
    ).exists()


def operation_get(*, viewer: User, pk: int, for_edit: bool = False) -> Operation:
    """404 for an operation outside the viewer's scope, 403 when an inspector asks to change it."""
    operation = (
        Operation.objects.filter(
            _operations_q(viewer, Perm.DEPLOYMENT_PLAN)
            | _operations_q(viewer, Perm.DEPLOYMENT_VIEW),
            pk=pk,
        )
        .select_related("agency", "lead_unit", "region", "act_signatory", "created_by")
        .first()
    )
    if operation is None:
        raise Http404
    if for_edit and not can_plan(viewer, operation):
        raise PermissionDenied
    return operation


def operation_positions(operation: Operation) -> list[Position]:
    """The operation's positions with requirements and the assignments holding them."""
    return list(
        operation.positions.select_related("grade_min", "grade_max", "pool_unit", "pool_region")
        .prefetch_related(
            "requirements__skill",
            "requirements__language",
            Prefetch(
                "assignments",
                queryset=Assignment.objects.exclude(state=AssignmentState.CANCELLED)
                .select_related("officer", "officer__grade", "officer__unit")
                .order_by("start_date", "id"),
                to_attr="holding",
            ),
        )
        .order_by("id")
    )


def position_get(*, viewer: User, pk: int, for_edit: bool = False) -> Position:
    position = (
        Position.objects.select_related(
            "operation", "grade_min", "grade_max", "pool_unit", "pool_region"
        )
        .filter(pk=pk)
        .first()
    )
    if position is None:
        raise Http404
    operation = operation_get(viewer=viewer, pk=position.operation_id, for_edit=for_edit)
    position.operation = operation
    return position


def assignment_get(*, viewer: User, pk: int) -> Assignment:
    """An assignment of an operation the viewer plans (404 otherwise)."""
    assignment = (
        Assignment.objects.select_related("officer", "position", "operation").filter(pk=pk).first()
    )
    if assignment is None:
        raise Http404
    operation_get(viewer=viewer, pk=assignment.operation_id, for_edit=True)
    return assignment


def candidate_officer(*, viewer: User, matricule: str) -> Officer:
    """The officer a planner may assign (in their planning scope), or 404."""
    officer = (
        Officer.objects.filter(
            officer_scope_q(viewer, Perm.DEPLOYMENT_PLAN), matricule=matricule.strip().upper()
        )
        .select_related("unit", "corps", "grade")
        .first()
    )
    if officer is None:
        raise Http404
    return officer


def officer_assignments(*, officer: Officer) -> list[Assignment]:
    """The officer's rotation history, newest first, cancelled ones included."""
    return list(
        officer.deployment_assignments.select_related(
            "operation", "operation__region", "position", "deployed_event", "return_event"
        ).order_by("-start_date", "-id")
    )


def staff_assignments(*, viewer: User, current_only: bool = False) -> QuerySet[Assignment]:
    """Assignments of the officers of the viewer's unit subtree (heads of unit)."""
    qs = Assignment.objects.filter(
        officer_scope_q(viewer, Perm.DEPLOYMENT_STAFF, prefix="officer__")
    ).select_related("officer", "officer__unit", "officer__grade", "operation", "position")
    if current_only:
        qs = qs.filter(state__in=(AssignmentState.PLANNED, AssignmentState.ACTIVE))
    return qs.order_by("-start_date", "-id")


def unit_heads(*, officer: Officer) -> list[User]:
    """Heads of the officer's unit: holders of the staff permission on the nearest unit above."""
    roles = [role for role, perms in ROLE_PERMISSIONS.items() if Perm.DEPLOYMENT_STAFF in perms]
    grants = list(
        RoleGrant.objects.filter(
            role__in=roles,
            agency_id=officer.agency_id,
            unit__path__in=officer.unit.ancestor_paths(),
            user__is_active=True,
        ).select_related("user", "unit")
    )
    if not grants:
        return []
    depth = max(g.unit.depth for g in grants if g.unit is not None)
    users = {g.user.pk: g.user for g in grants if g.unit is not None and g.unit.depth == depth}
    return [u for _pk, u in sorted(users.items()) if u.officer_id != officer.pk]
