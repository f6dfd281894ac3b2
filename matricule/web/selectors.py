"""Reads of the web shell that depend on who is looking: home counters, audit trail."""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from typing import Any

from django.db.models import Count, Q, QuerySet
from django.utils import timezone

from matricule.accounts.models import User
from matricule.accounts.roles import Perm
from matricule.accounts.scopes import NOTHING, officer_scope_q
from matricule.core.models import AuditEntry
from matricule.personnel.models import IN_SERVICE_STATUSES, Officer, Sex


@dataclass(frozen=True)
class HomeCounts:
    officers: int | None
    in_service: int | None
    women: int | None
    audit_today: int | None


def home_counts(*, viewer: User) -> HomeCounts:
    """The figures that matter to the viewer, in as few queries as the roles allow."""
    officers = in_service = women = None
    if viewer.has_perm_anywhere(Perm.PERSONNEL_VIEW):
        row = Officer.objects.filter(officer_scope_q(viewer, Perm.PERSONNEL_VIEW)).aggregate(
            total=Count("id"),
            in_service=Count("id", filter=Q(status__in=IN_SERVICE_STATUSES)),
            women=Count("id", filter=Q(sex=Sex.FEMALE, status__in=IN_SERVICE_STATUSES)),
        )
        officers, in_service, women = row["total"], row["in_service"], row["women"]
    audit_today = None
    if viewer.has_perm_anywhere(Perm.AUDIT_VIEW):
        start = timezone.localtime().replace(hour=0, minute=0, second=0, microsecond=0)
        audit_today = audit_entries(viewer=viewer, filters={}).filter(created_at__gte=start).count()
    return HomeCounts(officers, in_service, women, audit_today)


def audit_entries(*, viewer: User, filters: dict[str, Any]) -> QuerySet[AuditEntry]:
    """Audit entries an inspector may read: their scope's officers, plus non-personal entries."""
    if not viewer.has_perm_anywhere(Perm.AUDIT_VIEW):
        return AuditEntry.objects.none()
    scope = officer_scope_q(viewer, Perm.AUDIT_VIEW)
    if scope == NOTHING:
        return AuditEntry.objects.none()
    in_scope = Officer.objects.filter(scope).values("id")
    qs = AuditEntry.objects.filter(
        Q(subject_officer_id__isnull=True) | Q(subject_officer_id__in=in_scope)
    ).select_related("actor")
    if filters.get("officer"):
        qs = qs.filter(
            subject_officer_id__in=Officer.objects.filter(matricule=filters["officer"]).values("id")
        )
    if filters.get("actor"):
        qs = qs.filter(actor_label__icontains=filters["actor"])
    if filters.get("action"):
        qs = qs.filter(action__startswith=filters["action"])
    date_from: datetime.date | None = filters.get("date_from")
    date_to: datetime.date | None = filters.get("date_to")
    tz = timezone.get_current_timezone()
    if date_from:
        qs = qs.filter(created_at__gte=datetime.datetime.combine(date_from, datetime.time.min, tz))
    if date_to:
        qs = qs.filter(
            created_at__lt=datetime.datetime.combine(
                date_to + datetime.timedelta(days=1), datetime.time.min, tz
            )
        )
    return qs.order_by("-id")
