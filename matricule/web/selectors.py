"""Reads of the web shell that depend on who is looking: home counters, audit trail."""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from typing import Any

from django.db.models import Count, Model, Q, QuerySet
from django.utils import timezone

from matricule.accounts.models import User
from matricule.accounts.roles import Perm
from matricule.accounts.scopes import NOTHING, officer_scope_q
from matricule.core.audit_labels import (
    Change,
    action_filter,
    action_label,
    changes,
    describe,
    related_targets,
)
from matricule.core.models import AuditEntry
from matricule.core.refcache import UnitRow, subtree_unit_ids
from matricule.personnel.models import IN_SERVICE_STATUSES, Officer, Sex
from matricule.personnel.selectors import OfficerFilters, apply_filters


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
    in_scope = Officer.objects.filter(scope)
    qs = AuditEntry.objects.filter(
        Q(subject_officer_id__isnull=True) | Q(subject_officer_id__in=in_scope.values("id"))
    ).select_related("actor")
    officers = in_scope
    narrowed = False
    text = (filters.get("officer") or "").strip()
    if text:
        officers = apply_filters(officers, OfficerFilters(q=text))
        narrowed = True
    unit: UnitRow | None = filters.get("unit_row")
    if unit is not None:
        officers = officers.filter(unit_id__in=subtree_unit_ids(unit.path))
        narrowed = True
    if narrowed:
        qs = qs.filter(subject_officer_id__in=officers.values("id"))
    if filters.get("actor"):
        qs = qs.filter(actor_label__icontains=filters["actor"])
    if filters.get("action"):
        qs = qs.filter(**action_filter(filters["action"]))
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


@dataclass
class AuditRow:
    """One entry as an inspector reads it."""

    entry: AuditEntry
    action: str
    officer: str
    officer_matricule: str
    obj: str
    changes: list[Change]


def _names(model: type[Model], ids: set[Any]) -> dict[str, str]:
    """Names of related rows for the before/after view, one query per model."""
    clean = {str(i) for i in ids if str(i).isdigit()}
    if not clean:
        return {}
    if model is Officer:
        rows = Officer.objects.filter(pk__in=clean).values_list(
            "pk", "family_name", "given_names", "matricule"
        )
        return {str(pk): f"{family.upper()} {given} ({mat})" for pk, family, given, mat in rows}
    if model is User:
        return {
            str(pk): name
            for pk, name in User.objects.filter(pk__in=clean).values_list("pk", "username")
        }
    names = [f.name for f in model._meta.concrete_fields]
    for candidate in ("name", "title_fr", "title", "short_name", "number", "code"):
        if candidate in names:
            return {
                str(pk): str(value)
                for pk, value in model._default_manager.filter(pk__in=clean).values_list(
                    "pk", candidate
                )
            }
    return {}


def audit_rows(entries: list[AuditEntry]) -> list[AuditRow]:
    """Label the entries of a page: one query for the officers, one per related model."""
    officer_ids = {e.subject_officer_id for e in entries if e.subject_officer_id}
    officers = {
        pk: (f"{family.upper()} {given}", mat)
        for pk, family, given, mat in Officer.objects.filter(pk__in=officer_ids).values_list(
            "pk", "family_name", "given_names", "matricule"
        )
    }
    wanted: dict[type[Model], set[Any]] = {}
    for entry in entries:
        for model, pk in related_targets(entry):
            wanted.setdefault(model, set()).add(pk)
    names: dict[tuple[type[Model], str], str] = {}
    for model, ids in wanted.items():
        for pk, name in _names(model, ids).items():
            names[(model, pk)] = name
    rows = []
    for entry in entries:
        name, matricule = officers.get(entry.subject_officer_id or 0, ("", ""))
        rows.append(
            AuditRow(
                entry=entry,
                action=action_label(entry.action),
                officer=name,
                officer_matricule=matricule,
                obj=describe(entry),
                changes=changes(entry, names=names),
            )
        )
    return rows
