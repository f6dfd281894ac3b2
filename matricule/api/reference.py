"""Reference data endpoints: units and grades, filtered by the caller's scopes."""

from __future__ import annotations

from django.db.models import QuerySet
from django.http import HttpRequest
from ninja import Field, Router, Schema
from ninja.pagination import LimitOffsetPagination, paginate

from matricule.accounts.roles import Perm
from matricule.accounts.scopes import agency_ids_with, unit_scope_q
from matricule.api.schemas import MAX_OFFSET
from matricule.core.models import Grade, Unit

router = Router(tags=["référentiel"])


class BoundedPagination(LimitOffsetPagination):
    """`?limit=&offset=` within what both databases can hold (no 500 on huge numbers)."""

    class Input(Schema):
        limit: int = Field(50, ge=1, le=500, description="Nombre d'éléments (1 à 500).")
        offset: int = Field(0, ge=0, le=MAX_OFFSET, description="Rang du premier élément.")


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


@router.get("/units", response=list[UnitOut])
@paginate(BoundedPagination)
def list_units(request: HttpRequest, q: str = "") -> QuerySet[Unit]:
    qs = Unit.objects.filter(
        unit_scope_q(request.user, Perm.PERSONNEL_VIEW)  # type: ignore[arg-type]
    ).select_related("agency", "unit_type", "region", "parent")
    if q:
        qs = qs.filter(name__icontains=q)
    return qs


@router.get("/grades", response=list[GradeOut])
@paginate(BoundedPagination)
def list_grades(request: HttpRequest) -> QuerySet[Grade]:
    agencies = agency_ids_with(request.user, Perm.PERSONNEL_VIEW)  # type: ignore[arg-type]
    return (
        Grade.objects.filter(statute__agency_id__in=agencies)
        .select_related("statute", "corps", "band")
        .order_by("statute__effective_from", "order")
    )
