"""What every report screen shares: the filters bar, its links, the refusal policy."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django.http import HttpRequest, QueryDict
from django.utils import timezone

from matricule.accounts.access import require_perm
from matricule.accounts.roles import Perm
from matricule.core.refcache import refdata
from matricule.personnel.filters import scoped_units
from matricule.reports.filters import PARAMS, report_filters
from matricule.reports.selectors.people import ReportFilters

if TYPE_CHECKING:
    from matricule.accounts.models import User

# Reports read personnel figures: whoever may read officers in a scope sees its figures.
REPORT_PERM = Perm.PERSONNEL_VIEW


def report_viewer(request: HttpRequest) -> User:
    return require_perm(request, REPORT_PERM)


def read_filters(request: HttpRequest, viewer: User) -> tuple[ReportFilters, dict[str, str]]:
    return report_filters(request.GET, viewer=viewer)


def link(request: HttpRequest, **changes: str) -> str:
    """The current query with some parameters changed ('' removes one)."""
    query: QueryDict = request.GET.copy()
    for key, value in changes.items():
        if value:
            query[key] = value
        else:
            query.pop(key, None)
    query.pop("page", None)
    return "?" + query.urlencode()


def filter_query(request: HttpRequest) -> str:
    """The shared filters alone, to carry from one report to another."""
    query = QueryDict(mutable=True)
    for key in PARAMS:
        value = request.GET.get(key)
        if value:
            query[key] = value
    return query.urlencode()


def filters_context(
    request: HttpRequest, viewer: User, filters: ReportFilters, errors: dict[str, str]
) -> dict[str, Any]:
    ref = refdata()
    units = scoped_units(viewer)
    agencies = {u.agency_id for u in units}
    return {
        "filters": filters,
        "errors": errors,
        "units": units,
        "grades": [g for g in ref.grades_now if g.statute.agency_id in agencies],
        "corps_list": [c for c in ref.corps if c.agency_id in agencies],
        "regions": ref.regions,
        "params": request.GET,
        "today": timezone.localdate(),
        "filter_query": filter_query(request),
    }
