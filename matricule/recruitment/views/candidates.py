"""Candidate screens: list, application, file, scans, withdrawal."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import FileResponse, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from matricule.accounts.models import User
from matricule.accounts.roles import Perm
from matricule.accounts.scopes import agency_ids_with
from matricule.core.forms import add_service_errors, flash_service_errors
from matricule.recruitment import forms as f
from matricule.recruitment import selectors as sel
from matricule.recruitment import services
from matricule.recruitment.models import DocumentCode, Intake
from matricule.recruitment.selectors import (
    CandidateFilters,
    can_manage,
    candidate_get,
    candidate_list,
    earlier_candidacies,
)
from matricule.recruitment.views.common import (
    PAGE_SIZE,
    intake_for,
)

# --- Candidates -------------------------------------------------------------------------


def _sees_health(viewer: User, intake: Intake) -> bool:
    """Medical observations and certificates: the recruitment board and health-cleared roles."""
    return can_manage(viewer, intake) or intake.agency_id in agency_ids_with(
        viewer, Perm.SEE_HEALTH
    )


def _candidate_filters(request: HttpRequest) -> CandidateFilters:
    def as_int(name: str) -> int | None:
        raw = request.GET.get(name, "")
        return int(raw) if raw.isdigit() and len(raw) < 12 else None

    return CandidateFilters(
        q=request.GET.get("q", "")[:100],
        centre_id=as_int("centre"),
        state=request.GET.get("etat", ""),
        sex=request.GET.get("sexe", ""),
        region_id=as_int("region"),
    )


@login_required
@require_GET
def candidate_list_view(request: HttpRequest, pk: int) -> HttpResponse:
    viewer, intake = intake_for(request, pk)
    filters = _candidate_filters(request)
    qs = candidate_list(intake=intake, filters=filters)
    page = Paginator(qs, PAGE_SIZE).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    context = {
        "intake": intake,
        "page": page,
        "filters": filters,
        "query": query.urlencode(),
        "centres": list(intake.centres.all()),
        "regions": sel.regions(),
        "states": [
            ("en_lice", _("En lice")),
            ("recevable", _("Recevables")),
            ("irrecevable", _("Irrecevables")),
            ("elimine", _("Éliminés")),
            ("desiste", _("Désistés")),
            ("admis", _("Admis")),
            ("attente", _("Liste d'attente")),
        ],
        "can_manage": can_manage(viewer, intake),
    }
    template = (
        "recruitment/_candidate_rows.html"
        if getattr(request, "htmx", False)
        else "recruitment/candidate_list.html"
    )
    return render(request, template, context)


@login_required
@require_http_methods(["GET", "POST"])
def candidate_create_view(request: HttpRequest, pk: int) -> HttpResponse:
    viewer, intake = intake_for(request, pk, edit=True)
    form = f.CandidateForm(request.POST or None, intake=intake)
    if request.method == "POST" and form.is_valid():
        try:
            candidate = services.candidate_create(intake=intake, data=form.cleaned_data, by=viewer)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            if candidate.eligible:
                messages.success(request, _("Candidature enregistrée : recevable."))
            else:
                messages.warning(
                    request,
                    _("Candidature enregistrée mais IRRECEVABLE : %(r)s")
                    % {"r": " ".join(candidate.ineligibility_reasons)},
                )
            return redirect(
                "recruitment:candidate_detail", pk=intake.pk, number=candidate.application_number
            )
    return render(request, "recruitment/candidate_form.html", {"intake": intake, "form": form})


@login_required
@require_GET
def candidate_detail(request: HttpRequest, pk: int, number: str) -> HttpResponse:
    viewer, intake = intake_for(request, pk)
    candidate = candidate_get(intake=intake, number=number)
    results = sel.candidate_results(candidate)
    stages = [(s, results.get(s.pk)) for s in intake.stages.order_by("order")]
    context = {
        "intake": intake,
        "candidate": candidate,
        "stages": stages,
        "ranking": sel.candidate_ranking(candidate),
        "earlier": list(earlier_candidacies(viewer=viewer, candidate=candidate)[:20]),
        "can_manage": can_manage(viewer, intake),
        "withdraw_form": f.WithdrawForm(initial={"on": timezone.localdate()}),
        "document_form": f.CandidateDocumentForm(),
        "files": sel.candidate_files(candidate, see_health=_sees_health(viewer, intake)),
        "document_labels": [
            str(DocumentCode(code).label)
            for code in candidate.documents
            if code in DocumentCode.values
        ],
        "age": candidate.age_on(intake.age_reference_date),
        "can_see_officers": intake.agency_id in agency_ids_with(viewer, Perm.PERSONNEL_VIEW),
        "can_see_health": _sees_health(viewer, intake),
    }
    return render(request, "recruitment/candidate_detail.html", context)


@login_required
@require_POST
def candidate_withdraw_view(request: HttpRequest, pk: int, number: str) -> HttpResponse:
    viewer, intake = intake_for(request, pk, edit=True)
    candidate = candidate_get(intake=intake, number=number)
    form = f.WithdrawForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Indiquez la date et le motif du désistement."))
    else:
        try:
            services.candidate_withdraw(
                candidate=candidate,
                on=form.cleaned_data["on"],
                reason=form.cleaned_data["reason"],
                by=viewer,
            )
        except ValidationError as error:
            flash_service_errors(request, error)
        else:
            messages.success(request, _("Désistement enregistré."))
    return redirect(
        "recruitment:candidate_detail", pk=intake.pk, number=candidate.application_number
    )


@login_required
@require_POST
def candidate_document_upload(request: HttpRequest, pk: int, number: str) -> HttpResponse:
    viewer, intake = intake_for(request, pk, edit=True)
    candidate = candidate_get(intake=intake, number=number)
    form = f.CandidateDocumentForm(request.POST, request.FILES)
    if not form.is_valid():
        for errors in form.errors.values():
            for error in errors:
                messages.error(request, str(error))
    else:
        try:
            services.candidate_document_add(
                candidate=candidate,
                kind=form.cleaned_data["kind"],
                data=form.cleaned_data["file"].read(),
                by=viewer,
            )
        except ValidationError as error:
            flash_service_errors(request, error)
        else:
            messages.success(request, _("Pièce ajoutée au dossier de candidature."))
    return redirect(
        "recruitment:candidate_detail", pk=intake.pk, number=candidate.application_number
    )


@login_required
@require_GET
def candidate_document_download(
    request: HttpRequest, pk: int, number: str, doc_pk: int
) -> FileResponse:
    viewer, intake = intake_for(request, pk)
    candidate = candidate_get(intake=intake, number=number)
    document = sel.candidate_file_get(
        candidate=candidate, pk=doc_pk, see_health=_sees_health(viewer, intake)
    )
    return FileResponse(
        document.file.open("rb"),
        content_type=document.content_type,
        as_attachment=document.content_type == "application/pdf",
        filename=(document.file.name or "piece").rsplit("/", 1)[-1],
    )
