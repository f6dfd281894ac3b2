"""Reads for self-service and the HR review queue."""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from django.db.models import Q, QuerySet
from django.http import Http404
from django.utils.translation import gettext_lazy as _

from matricule.accounts.roles import Perm
from matricule.accounts.scopes import agency_ids_with, officer_scope_q
from matricule.corrections.models import CorrectionRequest
from matricule.personnel.access import FIELD_CLASSES, record_access_log
from matricule.personnel.models import EventKind, Officer, RecordAccess

if TYPE_CHECKING:
    from matricule.accounts.models import User


def own_officer(*, viewer: User) -> Officer:
    """The officer record of the signed-in user, or 404 when the account has none."""
    if not viewer.is_authenticated or viewer.officer_id is None:
        raise Http404
    return Officer.objects.select_related(
        "agency", "grade", "corps", "unit", "unit__region", "host_unit", "host_unit__agency"
    ).get(pk=viewer.officer_id)


def my_requests(*, viewer: User) -> QuerySet[CorrectionRequest]:
    if viewer.officer_id is None:
        return CorrectionRequest.objects.none()
    return (
        CorrectionRequest.objects.filter(officer_id=viewer.officer_id)
        .select_related("event")
        .prefetch_related("evidence")
    )


def review_queue(
    *, viewer: User, state: str = CorrectionRequest.State.PENDING
) -> QuerySet[CorrectionRequest]:
    """Requests on officers in the clerk's scope, oldest first (first come, first served)."""
    qs = CorrectionRequest.objects.filter(
        officer_scope_q(viewer, Perm.CORRECTIONS_PROCESS, prefix="officer__")
    )
    if state:
        qs = qs.filter(state=state)
    return qs.select_related(
        "officer", "officer__unit", "event", "event__unit", "event__grade"
    ).order_by("created_at", "id")


def request_get(*, viewer: User, pk: int) -> CorrectionRequest:
    """A request for its author (own record) or for a clerk in scope; 404 for anyone else."""
    base = CorrectionRequest.objects.select_related(
        "officer",
        "officer__unit",
        "event",
        "event__unit",
        "event__grade",
        "created_by",
        "decided_by",
    ).prefetch_related("evidence")
    request = base.filter(pk=pk).first()
    if request is None:
        raise Http404
    if viewer.officer_id == request.officer_id:
        return request
    if review_queue(viewer=viewer, state="").filter(pk=pk).exists():
        return request
    raise Http404


@dataclass(frozen=True)
class Change:
    label: str
    before: Any
    after: Any


def request_changes(request: CorrectionRequest) -> list[Change]:
    """Before/after pairs, for display side by side."""
    if request.target == CorrectionRequest.Target.FIELD:
        field = Officer._meta.get_field(request.field_name)
        return [
            Change(
                str(getattr(field, "verbose_name", request.field_name)),
                _display(field, request.current.get("value")),
                _display(field, request.proposed.get("value")),
            )
        ]
    from matricule.corrections.services import EVENT_FIELDS

    labels = {
        "effective_date": _("date d'effet"),
        "unit": _("unité"),
        "grade": _("grade"),
        "status": _("position"),
        "function": _("fonction"),
        "detail": _("précision"),
        "act_number": _("numéro de l'acte"),
        "act_date": _("date de l'acte"),
    }
    return [
        Change(str(labels[k]), request.current.get(k) or "—", request.proposed[k])
        for k in EVENT_FIELDS
        if k in request.proposed
    ]


def correction_classes(request: CorrectionRequest) -> list[str]:
    """The classes of data a request shows (its before and after): a NINA is identity…"""
    classes = ["record"]
    if request.target == CorrectionRequest.Target.FIELD and request.field_name in FIELD_CLASSES:
        classes.append(FIELD_CLASSES[request.field_name])
    elif request.event is not None and request.event.kind == EventKind.SANCTION:
        classes.append("discipline")
    return classes


def requests_access_log(*, viewer: User, requests: list[CorrectionRequest], channel: str) -> None:
    """Log, for a list of requests shown to HR, those that show a sensitive class."""
    for request in requests:
        classes = correction_classes(request)
        if len(classes) > 1:
            record_access_log(
                viewer=viewer, officers=[request.officer], channel=channel, classes=classes
            )


def _display(field: Any, value: Any) -> Any:
    choices = dict(getattr(field, "choices", None) or [])
    return choices.get(value, value) if value not in (None, "") else "—"


def accesses_for(*, officer: Officer) -> QuerySet[RecordAccess]:
    """Views of this officer's record, including the exports that listed them."""
    return (
        RecordAccess.objects.filter(
            Q(officer=officer) | Q(officer__isnull=True, officer_ids__contains=f",{officer.pk},")
        )
        .select_related("viewer")
        .order_by("-at", "-id")
    )


# --- The consultation screens: keyset pages, never a COUNT over millions of rows ----------

ACCESS_PAGE_SIZE = 50


@dataclass(frozen=True)
class AccessPage:
    """One screen of consultations, newest first; `older` is the cursor of the next one."""

    rows: list[RecordAccess]
    older: str

    def __iter__(self) -> Any:
        return iter(self.rows)

    def __len__(self) -> int:
        return len(self.rows)


def access_cursor(access: RecordAccess) -> str:
    return f"{access.at.isoformat()}_{access.pk}"


def _before(cursor: str) -> Q | None:
    """Rows older than the cursor ("<ISO date>_<id>"), or None for the first page."""
    stamp, _sep, pk = cursor.rpartition("_")
    try:
        at = datetime.datetime.fromisoformat(stamp)
        number = int(pk)
    except ValueError:
        return None
    if at.tzinfo is None:
        return None
    return Q(at__lt=at) | Q(at=at, id__lt=number)


def _page(querysets: list[QuerySet[RecordAccess]], cursor: str, size: int) -> AccessPage:
    """The newest `size` rows of several queries, each read from its own index."""
    before = _before(cursor) if cursor else None
    rows: list[RecordAccess] = []
    for qs in querysets:
        if before is not None:
            qs = qs.filter(before)
        rows.extend(qs.select_related("viewer", "officer").order_by("-at", "-id")[: size + 1])
    rows.sort(key=lambda a: (a.at, a.pk), reverse=True)
    page = rows[:size]
    return AccessPage(page, access_cursor(page[-1]) if len(rows) > size else "")


def _of_officer(qs: QuerySet[RecordAccess], officer: Officer) -> list[QuerySet[RecordAccess]]:
    # Two indexed reads rather than one OR: the officer's own rows (officer, at), and the
    # exports of their agency that named them (agency, at).
    return [
        qs.filter(officer=officer),
        qs.filter(
            officer__isnull=True,
            agency_id=officer.agency_id,
            officer_ids__contains=f",{officer.pk},",
        ),
    ]


def access_page_for(
    *, officer: Officer, cursor: str = "", size: int = ACCESS_PAGE_SIZE
) -> AccessPage:
    """Who viewed this officer's record (exports included), a page at a time."""
    return _page(_of_officer(RecordAccess.objects.all(), officer), cursor, size)


def access_page_for_inspector(
    *, viewer: User, matricule: str = "", cursor: str = "", size: int = ACCESS_PAGE_SIZE
) -> AccessPage:
    """Every logged view of records in the inspector's scope, a page at a time.

    An agency-wide inspector's rows come from the (agency, at) index; a unit-wide one's
    from the officers of their subtree. Exports are one row each; inspectors of the
    exported agency see them.
    """
    grants = viewer.grants_with(Perm.AUDIT_VIEW)
    if not grants:
        return AccessPage([], "")
    scope = Q(agency_id__in=[g.agency_id for g in grants if g.unit_id is None])
    for grant in grants:
        if grant.unit_id is not None:
            scope |= grant.officer_q("officer__") | Q(
                officer__isnull=True, agency_id=grant.agency_id
            )
    scoped = RecordAccess.objects.filter(scope)
    if matricule:
        officer = Officer.objects.filter(matricule=matricule.strip().upper()[:20]).first()
        if officer is None:
            return AccessPage([], "")
        return _page(_of_officer(scoped, officer), cursor, size)
    return _page([scoped], cursor, size)


def accesses_for_inspector(*, viewer: User, matricule: str = "") -> QuerySet[RecordAccess]:
    """Every logged view of records in the inspector's scope (all of them, as a query)."""
    audited = agency_ids_with(viewer, Perm.AUDIT_VIEW)
    qs = RecordAccess.objects.filter(
        officer_scope_q(viewer, Perm.AUDIT_VIEW, prefix="officer__")
        | Q(officer__isnull=True, agency_id__in=audited)
    )
    if matricule:
        officer = Officer.objects.filter(matricule=matricule.strip().upper()).first()
        if officer is None:
            return RecordAccess.objects.none()
        qs = qs.filter(
            Q(officer=officer) | Q(officer__isnull=True, officer_ids__contains=f",{officer.pk},")
        )
    return qs.select_related("viewer", "officer").order_by("-at", "-id")
