"""The frame of an officer's record page: header, "as on a date", and the tabs.

Every app that adds a tab to the record (cards, training…) renders its page with
`profile_context` and registers its tab in `personnel.hooks.profile_tabs` from its
`AppConfig.ready()`; the header template draws the registered tabs.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from django.http import HttpRequest
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from matricule.accounts.roles import Perm
from matricule.personnel import hooks
from matricule.personnel.forms import EVENT_SLUGS
from matricule.personnel.models import CareerEvent, EventKind, Officer
from matricule.personnel.selectors import situation_on, viewer_perms_for

if TYPE_CHECKING:
    from matricule.accounts.models import User


@dataclass(frozen=True)
class TabLink:
    slug: str
    label: str
    url: str


def as_of_param(request: HttpRequest) -> datetime.date | None:
    """The ?as_of= date (AAAA-MM-JJ or JJ/MM/AAAA), or None when absent or unreadable."""
    raw = request.GET.get("as_of") or request.GET.get("au")
    if not raw:
        return None
    for fmt in ("%Y-%m-%d", "%d/%m/%Y"):
        try:
            return datetime.datetime.strptime(raw, fmt).date()  # noqa: DTZ007 -- a date only
        except ValueError:
            continue
    return None


def profile_tabs_for(
    *, officer: Officer, perms: set[str], as_of: datetime.date | None
) -> list[TabLink]:
    links = []
    for tab in sorted(hooks.profile_tabs, key=lambda t: t.order):
        if not tab.visible(perms):
            continue
        url = reverse(tab.url_name, args=[officer.matricule])
        if as_of and tab.keeps_as_of:
            url += f"?as_of={as_of:%Y-%m-%d}"
        links.append(TabLink(tab.slug, str(tab.label), url))
    return links


def profile_context(
    request: HttpRequest,
    *,
    viewer: User,
    officer: Officer,
    tab: str,
    events: list[CareerEvent] | None = None,
) -> dict[str, Any]:
    """What the record's header and tabs need, for the viewer and the ?as_of= date.

    `events` may be the timeline the page already loaded; it then serves the replay.
    """
    perms = viewer_perms_for(viewer, officer)
    as_of = as_of_param(request)
    today = timezone.localdate()
    situation = situation_on(officer=officer, on=as_of, events=events) if as_of else None
    photo = None
    if Perm.SEE_BIOMETRIC in perms:
        photo = (
            officer.photos.filter(uploaded_at__date__lte=as_of).first()
            if as_of
            else officer.photos.first()
        )
    return {
        "officer": officer,
        "perms": perms,
        "tab": tab,
        "profile_tabs": profile_tabs_for(officer=officer, perms=perms, as_of=as_of),
        "as_of": as_of,
        "as_of_error": bool(request.GET.get("as_of")) and as_of is None,
        "situation": situation,
        "photo": photo,
        "today": today,
        "can_edit": Perm.PERSONNEL_EDIT in perms,
        "can_see_nina": Perm.SEE_IDENTITY in perms,
        "can_see_health": Perm.SEE_HEALTH in perms,
        "can_see_discipline": Perm.SEE_DISCIPLINE in perms,
        "can_audit": Perm.AUDIT_VIEW in perms,
        "event_slugs": [
            (slug, str(EventKind(kind).label))
            for slug, kind in EVENT_SLUGS.items()
            if (kind != EventKind.SANCTION or Perm.SEE_DISCIPLINE in perms)
            # Once out of the service only a (posthumous) distinction still makes sense;
            # mistakes are fixed with "Corriger" on the event concerned.
            and (officer.in_service or kind == EventKind.DECORATION)
            and _event_applies(officer, kind)
        ],
    }


def _event_applies(officer: Officer, kind: str) -> bool:
    """Renewal only for a secondment in force; no secondment out for an officer of another
    corps (their corps of origin decides it)."""
    external = officer.origin is not None
    if kind == EventKind.RENEWAL:
        return external or officer.host_unit_id is not None
    if kind == EventKind.SECONDMENT:
        return not external
    return True


# The record's own tabs; other apps add theirs in their ready().
PERSONNEL_TABS = [
    hooks.ProfileTab("identity", _("Identité"), "personnel:officer_profile", 10, keeps_as_of=True),
    hooks.ProfileTab("career", _("Carrière"), "personnel:officer_career", 20, keeps_as_of=True),
    hooks.ProfileTab("documents", _("Documents"), "personnel:officer_documents", 30),
]
