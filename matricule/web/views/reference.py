"""Screens where HR directors maintain reference data.

One registry describes each kind of reference object; four small views serve
them all, so adding a kind is one entry here.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urlencode

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db.models import Model, Q, QuerySet
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from matricule.accounts.access import require_perm
from matricule.accounts.models import User
from matricule.accounts.roles import Perm
from matricule.accounts.scopes import agency_ids_with
from matricule.cards.models import CardTemplate
from matricule.core import models as m
from matricule.core.services import reference_save
from matricule.deployments.models import PartnerAgency
from matricule.personnel.selectors import command_appointments


@dataclass(frozen=True)
class RefKind:
    model: type[Model]
    fields: list[str]
    columns: list[str]
    search: list[str]
    # Relation path to the owning agency, or None for data shared by all agencies.
    agency_path: str | None = None
    select_related: list[str] = field(default_factory=list)


REFERENCE_KINDS: dict[str, RefKind] = {
    "agences": RefKind(
        m.Agency,
        [
            "code",
            "name",
            "short_name",
            "kind",
            "matricule_prefix",
            "matricule_digits",
            "service_number_pattern",
            "service_number_example",
            "is_active",
        ],
        ["code", "name", "kind", "matricule_prefix", "service_number_example"],
        ["code", "name"],
        agency_path="id",
    ),
    "regions": RefKind(m.Region, ["code", "name"], ["code", "name"], ["code", "name"]),
    "types-unite": RefKind(m.UnitType, ["code", "name"], ["code", "name"], ["code", "name"]),
    "unites": RefKind(
        m.Unit,
        ["agency", "parent", "code", "name", "unit_type", "region", "is_active"],
        ["code", "name", "unit_type", "region", "parent", "is_active"],
        ["code", "name"],
        agency_path="agency_id",
        select_related=["unit_type", "region", "parent"],
    ),
    "corps": RefKind(
        m.Corps,
        ["agency", "code", "name", "retirement_age", "order"],
        ["code", "name", "retirement_age", "agency"],
        ["code", "name"],
        agency_path="agency_id",
        select_related=["agency"],
    ),
    "categories-grades": RefKind(
        m.GradeBand, ["code", "name", "order"], ["code", "name", "order"], ["code", "name"]
    ),
    "statuts": RefKind(
        m.StatuteVersion,
        ["agency", "code", "name", "effective_from", "effective_to"],
        ["code", "name", "effective_from", "effective_to"],
        ["code", "name"],
        agency_path="agency_id",
    ),
    "grades": RefKind(
        m.Grade,
        ["statute", "corps", "band", "code", "name", "order"],
        ["statute", "order", "code", "name", "corps", "band"],
        ["code", "name"],
        agency_path="statute__agency_id",
        select_related=["statute", "corps", "band"],
    ),
    "correspondances-grades": RefKind(
        m.GradeMapping,
        ["from_grade", "to_grade"],
        ["from_grade", "to_grade"],
        ["from_grade__name"],
        agency_path="from_grade__statute__agency_id",
        select_related=["from_grade", "to_grade"],
    ),
    "effectifs": RefKind(
        m.Establishment,
        ["unit", "band", "authorised", "effective_from", "effective_to"],
        ["unit", "band", "authorised", "effective_from", "effective_to"],
        ["unit__name", "unit__code"],
        agency_path="unit__agency_id",
        select_related=["unit", "band"],
    ),
    "categories-competences": RefKind(
        m.SkillCategory, ["code", "name"], ["code", "name"], ["code", "name"]
    ),
    "competences": RefKind(
        m.Skill,
        ["category", "code", "name", "max_level"],
        ["code", "name", "category", "max_level"],
        ["code", "name"],
        select_related=["category"],
    ),
    "langues": RefKind(
        m.Language,
        ["code", "name", "is_national"],
        ["code", "name", "is_national"],
        ["code", "name"],
    ),
    "types-document": RefKind(
        m.DocumentType,
        ["code", "name", "sensitivity"],
        ["code", "name", "sensitivity"],
        ["code", "name"],
    ),
    "modeles-carte": RefKind(
        CardTemplate,
        [
            "agency",
            "title",
            "country",
            "motto",
            "issuing_authority",
            "signatory_title",
            "back_text",
            "primary_colour",
            "accent_colour",
        ],
        ["agency", "title", "issuing_authority", "primary_colour"],
        ["title", "issuing_authority"],
        agency_path="agency_id",
        select_related=["agency"],
    ),
    "signataires": RefKind(
        m.Signatory,
        ["agency", "name", "title", "is_active"],
        ["name", "title", "is_active"],
        ["name", "title"],
        agency_path="agency_id",
    ),
    # Partner forces of operations (gendarmerie, FAMa, UNPOL…): shared by all agencies.
    "partenaires-operations": RefKind(
        PartnerAgency,
        ["code", "name", "short_name", "international", "is_active"],
        ["code", "short_name", "name", "international", "is_active"],
        ["code", "name", "short_name"],
    ),
}


def _kind(slug: str) -> RefKind:
    try:
        return REFERENCE_KINDS[slug]
    except KeyError:
        raise Http404 from None


def _manager(request: HttpRequest) -> User:
    return require_perm(request, Perm.REFERENCE_MANAGE)


def managed_agency_ids(viewer: User) -> set[int]:
    """Agencies whose reference data the viewer maintains.

    The HR director of an agency staffed by secondment (the OCS) also keeps the grade
    tables and service-number formats of the corps of origin, whose careers no agency of
    Matricule manages.
    """
    agencies = agency_ids_with(viewer, Perm.REFERENCE_MANAGE)
    if m.Agency.objects.filter(pk__in=agencies, kind=m.AgencyKind.HOST).exists():
        agencies |= set(
            m.Agency.objects.filter(kind=m.AgencyKind.ORIGIN).values_list("pk", flat=True)
        )
    return agencies


def reference_queryset(*, viewer: User, kind: RefKind) -> QuerySet[Any]:
    qs = kind.model._default_manager.all()
    if kind.select_related:
        qs = qs.select_related(*kind.select_related)
    if kind.agency_path is not None:
        qs = qs.filter(**{f"{kind.agency_path}__in": managed_agency_ids(viewer)})
    return qs


def _form_class(kind: RefKind, viewer: User) -> type[forms.ModelForm[Any]]:
    agencies = managed_agency_ids(viewer)

    class ReferenceForm(forms.ModelForm[Any]):
        class Meta:
            model = kind.model
            fields = kind.fields
            widgets = {
                name: forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
                for name in ("effective_from", "effective_to")
            }

        def __init__(self, *args: Any, **kwargs: Any) -> None:
            super().__init__(*args, **kwargs)
            # Choices outside the director's agencies are not offered at all.
            limits = {
                "agency": Q(id__in=agencies),
                "parent": Q(agency_id__in=agencies),
                "unit": Q(agency_id__in=agencies),
                "statute": Q(agency_id__in=agencies),
                "corps": Q(agency_id__in=agencies),
                "from_grade": Q(statute__agency_id__in=agencies),
                "to_grade": Q(statute__agency_id__in=agencies),
            }
            for name, condition in limits.items():
                if name in self.fields:
                    field_ = self.fields[name]
                    field_.queryset = field_.queryset.filter(condition)  # type: ignore[attr-defined]

    return ReferenceForm


@login_required
@require_GET
def reference_index(request: HttpRequest) -> HttpResponse:
    _manager(request)
    kinds = [(slug, kind.model._meta.verbose_name_plural) for slug, kind in REFERENCE_KINDS.items()]
    return render(request, "web/reference_index.html", {"kinds": kinds})


@login_required
@require_GET
def reference_list(request: HttpRequest, slug: str) -> HttpResponse:
    viewer = _manager(request)
    kind = _kind(slug)
    qs = reference_queryset(viewer=viewer, kind=kind)
    q = request.GET.get("q", "").strip()
    if q:
        condition = Q()
        for name in kind.search:
            condition |= Q(**{f"{name}__icontains": q})
        qs = qs.filter(condition)
    page = Paginator(qs, 50).get_page(request.GET.get("page"))
    meta = kind.model._meta
    headers = [getattr(meta.get_field(c), "verbose_name", c) for c in kind.columns]
    rows = [(obj, [_display(obj, c) for c in kind.columns]) for obj in page]
    return render(
        request,
        "web/reference_list.html",
        {
            "slug": slug,
            "title": meta.verbose_name_plural,
            "headers": headers,
            "rows": rows,
            "page": page,
            "q": q,
            "query": urlencode({"q": q}) if q else "",
        },
    )


def _display(obj: Model, name: str) -> Any:
    getter = getattr(obj, f"get_{name}_display", None)
    value = getter() if getter else getattr(obj, name)
    if isinstance(value, bool):
        return _("oui") if value else _("non")
    return "" if value is None else value


@login_required
@require_http_methods(["GET", "POST"])
def reference_edit(request: HttpRequest, slug: str, pk: int | None = None) -> HttpResponse:
    viewer = _manager(request)
    kind = _kind(slug)
    instance = None
    if pk is not None:
        instance = reference_queryset(viewer=viewer, kind=kind).filter(pk=pk).first()
        if instance is None:
            raise Http404
    form = _form_class(kind, viewer)(request.POST or None, instance=instance)
    if request.method == "POST" and form.is_valid():
        try:
            reference_save(instance=form.instance, by=viewer)
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("Enregistré : %(obj)s.") % {"obj": form.instance})
            return redirect("web:reference_list", slug=slug)
    return render(
        request,
        "web/reference_form.html",
        {
            "form": form,
            "slug": slug,
            "title": kind.model._meta.verbose_name,
            "title_plural": kind.model._meta.verbose_name_plural,
            "instance": instance,
            # A unit's page shows who commands it (career events of kind "command").
            "appointments": command_appointments(unit=instance)
            if isinstance(instance, m.Unit)
            else None,
        },
    )
