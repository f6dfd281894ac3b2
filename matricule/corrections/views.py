"""Self-service ("my record") for officers, and the HR review queue of correction requests."""

from __future__ import annotations

import base64
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from matricule.accounts.access import require_perm, signed_in
from matricule.accounts.models import User
from matricule.accounts.roles import Perm
from matricule.core.confirm import Confirmation, confirm_page, is_confirmed, posted_values
from matricule.core.forms import add_service_errors
from matricule.core.once import submit_once
from matricule.corrections import forms as f
from matricule.corrections.models import CorrectionRequest
from matricule.corrections.selectors import (
    access_page_for,
    access_page_for_inspector,
    correction_classes,
    my_requests,
    own_officer,
    request_changes,
    request_get,
    requests_access_log,
    review_queue,
)
from matricule.corrections.services import (
    MAX_EVIDENCE_BYTES,
    Upload,
    correction_approve,
    correction_file,
    correction_is_stale,
    correction_reject,
    correction_withdraw,
    field_value,
)
from matricule.personnel.access import record_access_log
from matricule.personnel.models import Channel, Officer
from matricule.personnel.services import IDENTITY_FIELDS


def _record_context(officer: Officer) -> dict[str, Any]:
    """Everything the system holds on the officer, for their own page and PDF."""
    fields = []
    for name in IDENTITY_FIELDS:
        field = Officer._meta.get_field(name)
        getter = getattr(officer, f"get_{name}_display", None)
        value = getter() if getter else getattr(officer, name)
        fields.append({"name": name, "label": getattr(field, "verbose_name", name), "value": value})
    return {
        "officer": officer,
        "fields": fields,
        "photo": officer.photos.first(),
        "children": list(officer.children.all()),
        "education": list(officer.education.all()),
        "languages": list(officer.languages.select_related("language")),
        "events": list(
            officer.events.filter(is_superseded=False)
            .select_related("unit", "grade", "act_signatory")
            .order_by("-effective_date", "-id")
        ),
        "documents": list(officer.documents.select_related("doc_type")),
    }


@login_required
@require_GET
def my_record(request: HttpRequest) -> HttpResponse:
    user = signed_in(request)
    officer = own_officer(viewer=user)
    context = _record_context(officer)
    context["pending"] = (
        my_requests(viewer=user).filter(state=CorrectionRequest.State.PENDING).count()
    )
    return render(request, "corrections/my_record.html", context)


@login_required
@require_GET
def my_record_pdf(request: HttpRequest) -> HttpResponse:
    """The "fiche individuelle" as a PDF, in French, ready to print."""
    from weasyprint import HTML

    user = signed_in(request)
    officer = own_officer(viewer=user)
    context = _record_context(officer)
    context["printed_at"] = timezone.localtime()
    if context["photo"] is not None:
        # Embedded, so the PDF needs no access to the media files over HTTP.
        with context["photo"].image.open("rb") as image:
            context["photo_data"] = base64.b64encode(image.read()).decode()
    html = render_to_string("corrections/fiche.html", context, request=request)
    pdf = HTML(string=html, base_url=request.build_absolute_uri("/")).write_pdf()
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = (
        f'attachment; filename="fiche-individuelle-{officer.matricule}.pdf"'
    )
    return response


@login_required
@require_GET
def my_photo(request: HttpRequest, pk: int) -> FileResponse:
    officer = own_officer(viewer=signed_in(request))
    photo = officer.photos.filter(pk=pk).first()
    if photo is None:
        raise Http404
    return FileResponse(photo.image.open("rb"), content_type="image/jpeg")


@login_required
@require_GET
def my_document(request: HttpRequest, pk: int) -> FileResponse:
    officer = own_officer(viewer=signed_in(request))
    document = officer.documents.filter(pk=pk).first()
    if document is None:
        raise Http404
    return FileResponse(
        document.file.open("rb"),
        content_type=document.content_type,
        as_attachment=True,
        filename=(document.file.name or "document").rsplit("/", 1)[-1],
    )


@login_required
@require_GET
def my_request_list(request: HttpRequest) -> HttpResponse:
    user = signed_in(request)
    own_officer(viewer=user)
    rows = [(r, request_changes(r)) for r in my_requests(viewer=user)]
    return render(request, "corrections/my_requests.html", {"rows": rows})


def _uploads(files: list[Any]) -> list[Upload]:
    # Never more than the limit plus one byte in memory: a larger file is refused as such.
    return [Upload(name=upload.name, data=upload.read(MAX_EVIDENCE_BYTES + 1)) for upload in files]


@login_required
@require_http_methods(["GET", "POST"])
@submit_once
def correction_new_field(request: HttpRequest, field_name: str) -> HttpResponse:
    user = signed_in(request)
    officer = own_officer(viewer=user)
    if field_name not in IDENTITY_FIELDS:
        raise Http404
    label = getattr(Officer._meta.get_field(field_name), "verbose_name", field_name)
    form = f.FieldCorrectionForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        try:
            correction_file(
                officer=officer,
                by=user,
                field_name=field_name,
                proposed={"value": form.cleaned_data["value"]},
                justification=form.cleaned_data["justification"],
                uploads=_uploads(form.cleaned_data["scans"]),
            )
        except ValidationError as error:
            _errors(form, error)
        else:
            messages.success(request, _("Demande envoyée au service des ressources humaines."))
            return redirect("corrections:my_requests")
    return render(
        request,
        "corrections/correction_form.html",
        {"form": form, "what": label, "current": field_value(officer, field_name) or "—"},
    )


@login_required
@require_http_methods(["GET", "POST"])
@submit_once
def correction_new_event(request: HttpRequest, pk: int) -> HttpResponse:
    user = signed_in(request)
    officer = own_officer(viewer=user)
    event = (
        officer.events.filter(pk=pk, is_superseded=False).select_related("unit", "grade").first()
    )
    if event is None:
        raise Http404
    form = f.EventCorrectionForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        try:
            correction_file(
                officer=officer,
                by=user,
                event=event,
                proposed=form.proposed(),
                justification=form.cleaned_data["justification"],
                uploads=_uploads(form.cleaned_data["scans"]),
            )
        except ValidationError as error:
            _errors(form, error)
        else:
            messages.success(request, _("Demande envoyée au service des ressources humaines."))
            return redirect("corrections:my_requests")
    return render(
        request, "corrections/correction_form.html", {"form": form, "what": event, "event": event}
    )


def _errors(form: Any, error: ValidationError) -> None:
    add_service_errors(form, error, field_map={"proposed": "value", "files": "scans"})


@login_required
@require_http_methods(["GET", "POST"])
def correction_withdraw_view(request: HttpRequest, pk: int) -> HttpResponse:
    user = signed_in(request)
    correction = request_get(viewer=user, pk=pk)
    if correction.created_by_id != user.pk:
        raise Http404
    if request.method == "POST":
        try:
            correction_withdraw(request=correction, by=user)
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            messages.success(request, _("Demande retirée."))
        return redirect("corrections:my_requests")
    return render(request, "corrections/withdraw_confirm.html", {"correction": correction})


@login_required
@require_GET
def my_accesses(request: HttpRequest) -> HttpResponse:
    officer = own_officer(viewer=signed_in(request))
    page = access_page_for(officer=officer, cursor=request.GET.get("avant", "")[:80])
    return render(request, "corrections/my_accesses.html", {"page": page, "query": ""})


def _clerk(request: HttpRequest) -> User:
    return require_perm(request, Perm.CORRECTIONS_PROCESS)


@login_required
@require_GET
def queue(request: HttpRequest) -> HttpResponse:
    user = _clerk(request)
    state = request.GET.get("etat", CorrectionRequest.State.PENDING)
    if state not in CorrectionRequest.State.values:
        state = CorrectionRequest.State.PENDING
    page = Paginator(review_queue(viewer=user, state=state), 50).get_page(request.GET.get("page"))
    rows = [(r, request_changes(r), correction_is_stale(r)) for r in page]
    requests_access_log(viewer=user, requests=list(page), channel=Channel.SCREEN)
    return render(
        request,
        "corrections/queue.html",
        {
            "page": page,
            "rows": rows,
            "state": state,
            "states": CorrectionRequest.State.choices,
            "query": f"etat={state}",
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def review(request: HttpRequest, pk: int) -> HttpResponse:
    user = signed_in(request)
    correction = request_get(viewer=user, pk=pk)
    # The officer concerned reads their request on "my requests", never on the HR screen.
    if correction.officer_id == user.officer_id:
        raise Http404
    form = f.DecisionForm(request.POST or None)
    if request.method == "POST" and form.is_valid() and not is_confirmed(request):
        name = f"{correction.officer.family_name.upper()} {correction.officer.given_names}"
        changes = request_changes(correction)
        approve = "approve" in request.POST
        return confirm_page(
            request,
            Confirmation(
                title=_("Accepter la correction") if approve else _("Refuser la demande"),
                question=(
                    _("Corriger le dossier de %(name)s comme demandé ?")
                    if approve
                    else _("Refuser la demande de %(name)s ?")
                )
                % {"name": name},
                button=_("Accepter et corriger le dossier") if approve else _("Refuser la demande"),
                facts=[(c.label, f"{c.before} → {c.after}") for c in changes]
                + ([] if approve else [(_("Motif du refus"), form.cleaned_data["reason"])]),
                consequences=[
                    _("Le dossier est corrigé ; l'ancienne version reste visible des inspecteurs.")
                    if approve
                    else _("Le dossier n'est pas modifié."),
                    _("L'agent est informé de la décision (notification)."),
                ],
                undo=_(
                    "La décision ne se reprend pas ; une nouvelle demande ou une correction "
                    "par le service RH reste possible."
                ),
                danger=not approve,
                hidden=posted_values(request),
                cancel_url=reverse("corrections:review", args=[correction.pk]),
            ),
        )
    if request.method == "POST" and form.is_valid():
        try:
            if "approve" in request.POST:
                correction_approve(
                    request=correction, by=user, confirm_stale=form.cleaned_data["confirm_stale"]
                )
                messages.success(request, _("Correction appliquée au dossier."))
            else:
                correction_reject(request=correction, by=user, reason=form.cleaned_data["reason"])
                messages.success(request, _("Demande refusée ; l'agent en est informé."))
        except ValidationError as error:
            _errors(form, error)
        else:
            return redirect("corrections:queue")
    if request.method == "GET":
        record_access_log(
            viewer=user,
            officers=[correction.officer],
            channel=Channel.SCREEN,
            classes=correction_classes(correction),
        )
    return render(
        request,
        "corrections/review.html",
        {
            "correction": correction,
            "changes": request_changes(correction),
            "form": form,
            "stale": correction_is_stale(correction),
            "record_url": reverse("personnel:officer_profile", args=[correction.officer.matricule]),
        },
    )


@login_required
@require_GET
def evidence_file(request: HttpRequest, pk: int, evidence_pk: int) -> FileResponse:
    viewer = signed_in(request)
    correction = request_get(viewer=viewer, pk=pk)
    evidence = correction.evidence.filter(pk=evidence_pk).first()
    if evidence is None:
        raise Http404
    record_access_log(
        viewer=viewer, officers=[correction.officer], channel=Channel.SCREEN, classes=["documents"]
    )
    return FileResponse(
        evidence.file.open("rb"),
        content_type=evidence.content_type,
        filename=evidence.original_name,
    )


@login_required
@require_GET
def inspector_accesses(request: HttpRequest) -> HttpResponse:
    user = require_perm(request, Perm.AUDIT_VIEW)
    matricule = request.GET.get("matricule", "")[:20]
    page = access_page_for_inspector(
        viewer=user, matricule=matricule, cursor=request.GET.get("avant", "")[:80]
    )
    return render(
        request,
        "corrections/inspector_accesses.html",
        {
            "page": page,
            "matricule": matricule,
            "query": urlencode({"matricule": matricule}) if matricule else "",
        },
    )
