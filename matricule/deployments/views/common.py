"""What every deployments screen needs: who is asking, with which permission."""

from __future__ import annotations

import datetime

from django.http import HttpRequest
from django.utils import timezone

from matricule.accounts.access import require_perm
from matricule.accounts.models import User
from matricule.accounts.roles import Perm
from matricule.core.refcache import UnitRow
from matricule.personnel.filters import scoped_units


def planner(request: HttpRequest) -> User:
    """An operations planner (403 for anyone else)."""
    return require_perm(request, Perm.DEPLOYMENT_PLAN)


def reader(request: HttpRequest) -> User:
    """A planner or an inspector (403 for anyone else)."""
    return require_perm(request, Perm.DEPLOYMENT_PLAN, Perm.DEPLOYMENT_VIEW)


def reading_perm(viewer: User) -> str:
    """The permission whose scope a read uses: planning if held, otherwise reading."""
    return (
        Perm.DEPLOYMENT_PLAN
        if viewer.has_perm_anywhere(Perm.DEPLOYMENT_PLAN)
        else Perm.DEPLOYMENT_VIEW
    )


def units_for(viewer: User, perm: str) -> list[UnitRow]:
    return scoped_units(viewer, perm)


def today() -> datetime.date:
    return timezone.localdate()


def parse_date(raw: str | None) -> datetime.date | None:
    """A date typed AAAA-MM-JJ or JJ/MM/AAAA, or None when absent or unreadable."""
    for fmt in ("%Y-%m-%d", "%d/%m/%Y"):
        try:
            return datetime.datetime.strptime((raw or "").strip(), fmt).date()  # noqa: DTZ007
        except ValueError:
            continue
    return None
