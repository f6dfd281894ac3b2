"""Documents, photos and the record's lines (children, diplomas, languages)."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from matricule.accounts.access import signed_in
from matricule.accounts.roles import Perm
from matricule.core.forms import add_service_errors
from matricule.personnel import forms as f
from matricule.personnel.access import SENSITIVE, record_access_log
from matricule.personnel.models import Channel, OfficerDocument, OfficerPhoto
from matricule.personnel.profile import profile_context
from matricule.personnel.selectors import officer_get, viewer_perms_for
from matricule.personnel.services import (
    RECORD_LINES,
    document_add,
    photo_add,
    record_line_add,
    record_line_remove,
)


@login_required
@require_http_methods(["GET", "POST"])
def officer_documents(request: HttpRequest, matricule: str) -> HttpResponse:
    viewer = signed_in(request)
    officer = officer_get(viewer=viewer, matricule=matricule, for_edit=request.method == "POST")
    context = profile_context(request, viewer=viewer, officer=officer, tab="documents")
    form = f.DocumentForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        try:
            document_add(
                officer=officer,
                doc_type=form.cleaned_data["doc_type"],
                title=form.cleaned_data["title"],
                date=form.cleaned_data["date"],
                data=upload.read(),
                filename=upload.name,
                by=viewer,
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("Document ajouté au dossier."))
            return redirect("personnel:officer_documents", matricule=officer.matricule)
    documents = officer.documents.select_related("doc_type")
    hidden = _hidden_sensitivities(context["perms"])
    if hidden:
        documents = documents.exclude(doc_type__sensitivity__in=hidden)
    context.update({"documents": list(documents), "form": form})
    record_access_log(
        viewer=viewer, officers=[officer], channel=Channel.SCREEN, classes=["documents"]
    )
    return render(request, "personnel/officer_documents.html", context)


def _hidden_sensitivities(perms: set[str]) -> list[str]:
    """Document classes the viewer may not open (same classes as the access log)."""
    return [sensitivity for sensitivity, perm in SENSITIVE.items() if perm not in perms]


@login_required
@require_GET
def document_download(request: HttpRequest, matricule: str, pk: int) -> FileResponse:
    viewer = signed_in(request)
    officer = officer_get(viewer=viewer, matricule=matricule)
    hidden = _hidden_sensitivities(viewer_perms_for(viewer, officer))
    document = (
        OfficerDocument.objects.filter(officer=officer, pk=pk)
        .exclude(doc_type__sensitivity__in=hidden)
        .first()
    )
    if document is None:
        raise Http404
    record_access_log(
        viewer=viewer,
        officers=[officer],
        channel=Channel.SCREEN,
        classes=[
            "documents",
            *([document.doc_type.sensitivity] if document.doc_type.sensitivity != "normal" else []),
        ],
    )
    return FileResponse(
        document.file.open("rb"),
        content_type=document.content_type,
        as_attachment=document.content_type == "application/pdf",
        filename=(document.file.name or "document").rsplit("/", 1)[-1],
    )


@login_required
@require_GET
def photo_file(request: HttpRequest, matricule: str, pk: int) -> FileResponse:
    viewer = signed_in(request)
    officer = officer_get(viewer=viewer, matricule=matricule)
    if Perm.SEE_BIOMETRIC not in viewer_perms_for(viewer, officer):
        raise Http404
    photo = OfficerPhoto.objects.filter(officer=officer, pk=pk).first()
    if photo is None:
        raise Http404
    record_access_log(
        viewer=viewer, officers=[officer], channel=Channel.SCREEN, classes=["biometric"]
    )
    field = photo.thumbnail if request.GET.get("mini") else photo.image
    response = FileResponse(field.open("rb"), content_type="image/jpeg")
    response["Cache-Control"] = "private, max-age=86400"
    return response


@login_required
@require_http_methods(["GET", "POST"])
def photo_upload(request: HttpRequest, matricule: str) -> HttpResponse:
    viewer = signed_in(request)
    officer = officer_get(viewer=viewer, matricule=matricule, for_edit=True)
    form = f.PhotoForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        try:
            photo_add(
                officer=officer, data=form.cleaned_data["photo"].read(), crop=form.crop(), by=viewer
            )
        except ValidationError as error:
            add_service_errors(form, error, default_field="photo")
        else:
            messages.success(request, _("Nouvelle photo enregistrée."))
            return redirect("personnel:officer_profile", matricule=officer.matricule)
    context = profile_context(request, viewer=viewer, officer=officer, tab="identity")
    context.update({"form": form, "history": list(officer.photos.all()[:12])})
    return render(request, "personnel/photo_upload.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def record_line_add_view(request: HttpRequest, matricule: str, what: str) -> HttpResponse:
    """Add a child, a diploma or a language to the record."""
    if what not in f.LINE_SLUGS:
        raise Http404
    kind = f.LINE_SLUGS[what]
    viewer = signed_in(request)
    officer = officer_get(viewer=viewer, matricule=matricule, for_edit=True)
    form = f.LINE_FORMS[kind](request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            record_line_add(officer=officer, kind=kind, data=form.cleaned_data, by=viewer)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("Ajouté au dossier."))
            return redirect("personnel:officer_profile", matricule=officer.matricule)
    context = profile_context(request, viewer=viewer, officer=officer, tab="identity")
    context.update(
        {
            "form": form,
            "what": what,
            "title": {
                "child": _("Ajouter un enfant"),
                "education": _("Ajouter un diplôme"),
                "language": _("Ajouter une langue"),
            }[kind],
            "cancel": reverse("personnel:officer_profile", args=[officer.matricule]),
        }
    )
    return render(request, "personnel/line_form.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def record_line_remove_view(
    request: HttpRequest, matricule: str, what: str, pk: int
) -> HttpResponse:
    """Ask for confirmation, then remove the line (the audit trail keeps what it said)."""
    if what not in f.LINE_SLUGS:
        raise Http404
    kind = f.LINE_SLUGS[what]
    viewer = signed_in(request)
    officer = officer_get(viewer=viewer, matricule=matricule, for_edit=True)
    line = getattr(officer, RECORD_LINES[kind]).filter(pk=pk).first()
    if line is None:
        raise Http404
    if request.method == "POST":
        record_line_remove(officer=officer, kind=kind, pk=pk, by=viewer)
        messages.success(request, _("Retiré du dossier : %(line)s.") % {"line": line})
        return redirect("personnel:officer_profile", matricule=officer.matricule)
    context = profile_context(request, viewer=viewer, officer=officer, tab="identity")
    context.update(
        {"line": line, "cancel": reverse("personnel:officer_profile", args=[officer.matricule])}
    )
    return render(request, "personnel/line_remove.html", context)
