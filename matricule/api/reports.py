"""Report endpoints: headcount on a date by any grouping, age pyramid, retirements due.

The same figures, filters and scopes as the screens (/rapports/): whoever may read officers
in a scope reads its figures; a clerk of Bamako counts Bamako.
"""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from ninja import Field, Query, Router, Schema
from ninja.errors import AuthenticationError, HttpError

from matricule.accounts.models import User
from matricule.accounts.roles import Perm
from matricule.api.schemas import ErrorOut
from matricule.reports.filters import group_by_param, report_filters
from matricule.reports.selectors.ages import age_pyramid, retirements_due
from matricule.reports.selectors.headcount import GROUP_KEYS, headcount
from matricule.reports.selectors.people import ReportFilters

router = Router(tags=["rapports"])

ERRORS: dict[int, Any] = {400: ErrorOut, 401: ErrorOut, 403: ErrorOut, 404: ErrorOut, 422: ErrorOut}


class FilterParams(Schema):
    as_of: str = Field("", max_length=10, description="Date de la situation (AAAA-MM-JJ).")
    count_at: str = Field(
        "home",
        max_length=4,
        description="Détachés comptés à l'origine (home) ou à l'accueil (host).",
    )
    agency: str = Field("", max_length=20, description="Code d'agence.")
    unit: str = Field("", max_length=40, description="Code d'unité (et ses subdivisions).")
    region: str = Field("", max_length=20, description="Code de région.")
    corps: str = Field("", max_length=20, description="Code de corps.")
    grade: str = Field("", max_length=20, description="Code de grade (statut en vigueur).")
    sex: str = Field("", max_length=1, description="M ou F.")


class HeadcountParams(FilterParams):
    group_by: str = Field(
        "",
        max_length=60,
        description="Regroupements séparés par des virgules (3 au plus) : " + ", ".join(GROUP_KEYS),
    )


class RetirementParams(FilterParams):
    years: int = Field(
        5, ge=1, le=10, description="Nombre d'années civiles (dès l'année en cours)."
    )


class GroupKey(Schema):
    code: str
    label: str


class HeadcountItem(Schema):
    keys: dict[str, GroupKey]
    count: int
    women: int
    seconded: int


class HeadcountOut(Schema):
    as_of: str
    count_at: str
    group_by: list[str]
    items: list[HeadcountItem]
    count: int = Field(description="Total des agents en service (toutes lignes).")


class BandOut(Schema):
    band: str
    men: int
    women: int
    total: int
    by_corps: dict[str, int]


class PyramidOut(Schema):
    as_of: str
    items: list[BandOut]
    count: int


class YearOut(Schema):
    year: int
    count: int
    by_corps: dict[str, int]
    by_grade: dict[str, int]


class RetirementsOut(Schema):
    items: list[YearOut]
    count: int
    overdue: int
    within_12_months: int


def _viewer(request: HttpRequest) -> User:
    user = getattr(request, "auth", None)
    if not isinstance(user, User):
        raise AuthenticationError
    if not user.has_perm_anywhere(Perm.PERSONNEL_VIEW):
        raise HttpError(403, "Forbidden")
    return user


def _filters(viewer: User, params: FilterParams) -> ReportFilters:
    from django.core.exceptions import ValidationError

    filters, errors = report_filters(params.dict(), viewer=viewer)
    if errors:
        raise ValidationError({k: [v] for k, v in errors.items()})
    return filters


@router.get("/reports/headcount", response={200: HeadcountOut, **ERRORS})
def report_headcount(request: HttpRequest, params: Query[HeadcountParams]) -> Any:
    """Officers in service on `as_of` (today by default), counted per group."""
    viewer = _viewer(request)
    filters = _filters(viewer, params)
    group_by, error = group_by_param(params.group_by, [])
    if error:
        from django.core.exceptions import ValidationError

        raise ValidationError({"group_by": [error]})
    result = headcount(viewer=viewer, filters=filters, group_by=group_by)
    return {
        "as_of": filters.as_of.isoformat(),
        "count_at": filters.count_at,
        "group_by": group_by,
        "items": [
            {
                "keys": {k: {"code": v.code, "label": v.label} for k, v in item.keys.items()},
                "count": item.count,
                "women": item.women,
                "seconded": item.seconded,
            }
            for item in result.items
        ],
        "count": result.total,
    }


@router.get("/reports/age-pyramid", response={200: PyramidOut, **ERRORS})
def report_age_pyramid(request: HttpRequest, params: Query[FilterParams]) -> Any:
    """Officers in service on `as_of` by 5-year age band, sex and corps (oldest band first)."""
    viewer = _viewer(request)
    filters = _filters(viewer, params)
    pyramid = age_pyramid(viewer=viewer, filters=filters)
    return {
        "as_of": filters.as_of.isoformat(),
        "items": [
            {
                "band": b.label,
                "men": b.men,
                "women": b.women,
                "total": b.total,
                "by_corps": b.by_corps,
            }
            for b in pyramid.bands
        ],
        "count": pyramid.total,
    }


@router.get("/reports/retirements", response={200: RetirementsOut, **ERRORS})
def report_retirements(request: HttpRequest, params: Query[RetirementParams]) -> Any:
    """Officers in service reaching their corps' retirement age in each of the next years."""
    viewer = _viewer(request)
    filters = _filters(viewer, params)
    due = retirements_due(viewer=viewer, filters=filters, years=params.years)
    return {
        "items": [
            {
                "year": y,
                "count": due.per_year[y],
                "by_corps": {c: v[y] for c, v in due.by_corps.items() if v.get(y)},
                "by_grade": {g: v[y] for g, v in due.by_grade.items() if v.get(y)},
            }
            for y in due.years
        ],
        "count": due.total,
        "overdue": due.overdue,
        "within_12_months": due.within_12_months,
    }
