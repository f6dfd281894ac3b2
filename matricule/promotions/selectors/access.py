"""Who may read and manage what in promotions (scope in the query)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.core.exceptions import PermissionDenied
from django.db.models import Q, QuerySet
from django.http import Http404

from matricule.accounts.roles import Perm
from matricule.accounts.scopes import agency_ids_with
from matricule.promotions.models import Campaign

if TYPE_CHECKING:
    from matricule.accounts.models import User

# The HR director configures rules, runs campaigns, fixes vacancies, publishes and effects.
MANAGE = Perm.REFERENCE_MANAGE
# Inspectors read everything in scope, including the audit trail.
AUDIT = Perm.AUDIT_VIEW
# Who may open the promotion screens at all (then the campaign's scope decides).
READ_PERMS = (Perm.REFERENCE_MANAGE, Perm.AUDIT_VIEW, Perm.PROMOTION_DECIDE)


def manage_agencies(viewer: User) -> set[int]:
    return agency_ids_with(viewer, MANAGE)


def can_manage(viewer: User, agency_id: int) -> bool:
    return agency_id in manage_agencies(viewer)


def readable_campaigns(viewer: User) -> QuerySet[Campaign]:
    """Campaigns of the viewer's agencies (HR director, inspector) and of the boards they sit on."""
    agencies = manage_agencies(viewer) | agency_ids_with(viewer, AUDIT)
    q = Q(agency_id__in=agencies)
    if agency_ids_with(viewer, Perm.PROMOTION_DECIDE):
        q |= Q(board__members__user=viewer)
    return Campaign.objects.filter(q).distinct()


def campaign_get(*, viewer: User, pk: int, for_edit: bool = False) -> Campaign:
    """404 to a stranger; 403 to a reader who wants to manage."""
    campaign = readable_campaigns(viewer).select_related("agency").filter(pk=pk).first()
    if campaign is None:
        raise Http404
    if for_edit and not can_manage(viewer, campaign.agency_id):
        raise PermissionDenied
    return campaign


def sits_on(viewer: User, campaign: Campaign) -> bool:
    board = getattr(campaign, "board", None)
    return board is not None and board.members.filter(user=viewer).exists()
