"""Operations: list, creation, detail, changes, state, documents."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from matricule.accounts.access import AgencyChoiceNeeded, acting_agency, agency_choice_page
from matricule.accounts.roles import Perm
from matricule.core.forms import add_service_errors
from matricule.deployments import services as s
from matricule.deployments.forms import DocumentForm, OperationForm
from matricule.deployments.models import (
    OperationDocument,
    OperationKind,
    OperationStatus,
)
from matricule.deployments.selectors.operations import (
    can_plan,
    operation_get,
    operation_list,
    operation_positions,
)
from matricule.deployments.services.operations import NEXT_STATUS
from matricule.deployments.views.common import planner, reader, units_for
from matricule.personnel.services import MAX_DOCUMENT_BYTES, ConflictError

PAGE_SIZE = 30


@login_required
@require_GET
def operation_list_view(request: HttpRequest) -> HttpResponse:
    viewer = reader(request)
    status = request.GET.get("status", "")
    kind = request.GET.get("kind", "")
    qs = operation_list(
        viewer=viewer,
        status=status if status in OperationStatus.values else "",
        kind=kind if kind in OperationKind.values else "",
    )
    page = Paginator(qs, PAGE_SIZE).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "deployments/operation_list.html",
        {
            "page": page,
            "status": status,
            "kind": kind,
            "statuses": OperationStatus.choices,
            "kinds": OperationKind.choices,
            "can_plan": viewer.has_perm_anywhere(Perm.DEPLOYMENT_PLAN),
            "query": query.urlencode(),
        },
    )


def _form_data(form: OperationForm) -> dict[str, Any]:
    data = dict(form.cleaned_data)
    data.pop("partners", None)
    data.pop("version", None)
    for key in ("country", "place", "description", "act_kind", "act_number"):
        data[key] = data.get(key) or ""
    return data


@login_required
@require_http_methods(["GET", "POST"])
def operation_create_view(request: HttpRequest) -> HttpResponse:
    viewer = planner(request)
    try:
        agency = acting_agency(
            viewer,
            Perm.DEPLOYMENT_PLAN,
            requested=request.GET.get("agency") or request.POST.get("agency"),
        )
    except AgencyChoiceNeeded as choice:
        return agency_choice_page(request, choice)
    unit_ids = [u.id for u in units_for(viewer, Perm.DEPLOYMENT_PLAN) if u.agency_id == agency.pk]
    form = OperationForm(
        request.POST if request.method == "POST" else None, agency_id=agency.pk, unit_ids=unit_ids
    )
    if request.method == "POST" and form.is_valid():
        try:
            operation = s.operation_create(
                agency=agency,
                data=_form_data(form),
                partners=list(form.cleaned_data["partners"]),
                by=viewer,
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("Opération créée : ajoutez maintenant ses postes."))
            return redirect("deployments:operation_detail", pk=operation.pk)
    return render(
        request,
        "deployments/operation_form.html",
        {"form": form, "agency": agency, "operation": None},
    )


@login_required
@require_GET
def operation_detail_view(request: HttpRequest, pk: int) -> HttpResponse:
    viewer = reader(request)
    operation = operation_get(viewer=viewer, pk=pk)
    positions = operation_positions(operation)
    return render(
        request,
        "deployments/operation_detail.html",
        {
            "operation": operation,
            "partners": list(operation.partners.order_by("short_name")),
            "documents": list(operation.documents.select_related("uploaded_by")),
            "positions": positions,
            "can_plan": can_plan(viewer, operation),
            "next_statuses": [
                (value, OperationStatus(value).label)
                for value in NEXT_STATUS[OperationStatus(operation.status)]
            ],
            "document_form": DocumentForm(),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def operation_edit_view(request: HttpRequest, pk: int) -> HttpResponse:
    viewer = planner(request)
    operation = operation_get(viewer=viewer, pk=pk, for_edit=True)
    unit_ids = [
        u.id for u in units_for(viewer, Perm.DEPLOYMENT_PLAN) if u.agency_id == operation.agency_id
    ]
    initial = {
        **{name: getattr(operation, name) for name in s.operations.OPERATION_FIELDS},
        "partners": list(operation.partners.all()),
        "version": operation.version,
    }
    form = OperationForm(
        request.POST if request.method == "POST" else None,
        initial=initial,
        agency_id=operation.agency_id,
        unit_ids=unit_ids,
    )
    if request.method == "POST" and form.is_valid():
        try:
            s.operation_update(
                operation=operation,
                data=_form_data(form),
                partners=list(form.cleaned_data["partners"]),
                expected_version=form.cleaned_data.get("version") or 0,
                by=viewer,
            )
        except ConflictError as conflict:
            form.add_error(None, str(conflict))
            return render(
                request,
                "deployments/operation_form.html",
                {"form": form, "agency": operation.agency, "operation": operation},
                status=409,
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("Opération enregistrée."))
            return redirect("deployments:operation_detail", pk=operation.pk)
    return render(
        request,
        "deployments/operation_form.html",
        {"form": form, "agency": operation.agency, "operation": operation},
    )


@login_required
@require_POST
def operation_status_view(request: HttpRequest, pk: int) -> HttpResponse:
    viewer = planner(request)
    operation = operation_get(viewer=viewer, pk=pk, for_edit=True)
    try:
        s.operation_status_set(
            operation=operation, status=request.POST.get("status", ""), by=viewer
        )
    except ValidationError as error:
        for message in error.messages:
            messages.error(request, message)
    else:
        operation.refresh_from_db(fields=["status"])
        messages.success(request, _("Opération « %(s)s ».") % {"s": operation.get_status_display()})
    return redirect("deployments:operation_detail", pk=operation.pk)


@login_required
@require_POST
def document_upload_view(request: HttpRequest, pk: int) -> HttpResponse:
    viewer = planner(request)
    operation = operation_get(viewer=viewer, pk=pk, for_edit=True)
    form = DocumentForm(request.POST, request.FILES)
    if form.is_valid():
        upload = form.cleaned_data["file"]
        try:
            s.operation_document_add(
                operation=operation,
                kind=form.cleaned_data["kind"],
                title=form.cleaned_data["title"],
                date=form.cleaned_data["date"],
                data=upload.read(MAX_DOCUMENT_BYTES + 1),
                by=viewer,
            )
        except ValidationError as error:
            for message in error.messages:
                messages.error(request, message)
        else:
            messages.success(request, _("Document ajouté."))
    else:
        for field_errors in form.errors.values():
            for text in field_errors:
                messages.error(request, str(text))
    return redirect("deployments:operation_detail", pk=operation.pk)


@login_required
@require_GET
def document_download_view(request: HttpRequest, pk: int) -> FileResponse:
    viewer = reader(request)
    document = OperationDocument.objects.select_related("operation").filter(pk=pk).first()
    if document is None:
        raise Http404
    operation_get(viewer=viewer, pk=document.operation_id)
    return FileResponse(
        document.file.open("rb"),
        content_type="application/pdf",
        as_attachment=True,
        filename=(document.file.name or "document.pdf").rsplit("/", 1)[-1],
    )
