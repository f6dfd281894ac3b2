"""Reference data endpoints: units and grades, filtered by the caller's scopes."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet
from django.http import HttpRequest
from ninja import Field, Query, Router, Schema

from matricule.accounts.roles import Perm
from matricule.accounts.scopes import agency_ids_with, unit_scope_q
from matricule.api.schemas import MAX_OFFSET, READ_ERRORS, Text
from matricule.core.models import Grade, Unit

router = Router(tags=["référentiel"])


class ListParams(Schema):
    """`?limit=&offset=` within what both databases can hold (no 500 on huge numbers)."""

    limit: int = Field(50, ge=1, le=500, description="Nombre d'éléments (1 à 500).")
    offset: int = Field(0, ge=0, le=MAX_OFFSET, description="Rang du premier élément.")


class UnitParams(ListParams):
    q: Text = Field("", max_length=100, description="Partie du nom de l'unité.")


class UnitOut(Schema):
    code: str
    name: str
    agency: str = Field(alias="agency.code")
    unit_type: str = Field(alias="unit_type.code")
    region: str | None = Field(None, alias="region.code")
    parent: str | None = Field(None, alias="parent.code")
    is_active: bool


class GradeOut(Schema):
    code: str
    name: str
    statute: str = Field(alias="statute.code")
    corps: str = Field(alias="corps.code")
    band: str = Field(alias="band.code")
    order: int


class UnitPage(Schema):
    items: list[UnitOut]
    count: int


class GradePage(Schema):
    items: list[GradeOut]
    count: int


@router.get("/units", response={200: UnitPage, **READ_ERRORS}, summary="Unités")
def list_units(request: HttpRequest, params: Query[UnitParams]) -> Any:
    qs = Unit.objects.filter(
        unit_scope_q(request.user, Perm.PERSONNEL_VIEW)  # type: ignore[arg-type]
    ).select_related("agency", "unit_type", "region", "parent")
    if params.q:
        qs = qs.filter(name__icontains=params.q)
    return _page(qs.order_by("path", "id"), params)


@router.get("/grades", response={200: GradePage, **READ_ERRORS}, summary="Grades")
def list_grades(request: HttpRequest, params: Query[ListParams]) -> Any:
    agencies = agency_ids_with(request.user, Perm.PERSONNEL_VIEW)  # type: ignore[arg-type]
    qs = (
        Grade.objects.filter(statute__agency_id__in=agencies)
        .select_related("statute", "corps", "band")
        .order_by("statute__effective_from", "order", "id")
    )
    return _page(qs, params)


def _page(qs: QuerySet[Any], params: ListParams) -> dict[str, Any]:
    count = qs.count()
    rows = list(qs[params.offset : params.offset + params.limit]) if params.offset < count else []
    return {"items": rows, "count": count}
