"""Officer screens: list, profile (as on any date), edits, career events, documents, photos."""

from __future__ import annotations

import csv
import datetime
import io
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import (
    FileResponse,
    Http404,
    HttpRequest,
    HttpResponse,
    StreamingHttpResponse,
)
from django.http.response import HttpResponseBase
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from matricule.accounts.models import User
from matricule.accounts.roles import Perm
from matricule.accounts.scopes import agency_ids_with, unit_scope_q
from matricule.core.models import Unit
from matricule.personnel import forms as f
from matricule.personnel.access import SENSITIVE, record_access_log, shown_classes
from matricule.personnel.filters import PARAMS, filters_from_params, scoped_units
from matricule.personnel.models import (
    Channel,
    EventKind,
    Officer,
    OfficerDocument,
    OfficerPhoto,
    Status,
)
from matricule.personnel.selectors import (
    duplicates_by_nina,
    establishment_strength,
    officer_events,
    officer_get,
    situation_on,
    viewer_perms_for,
)
from matricule.personnel.selectors import (
    officer_list as select_officers,
)
from matricule.personnel.services import (
    RECORD_LINES,
    Act,
    ConflictError,
    document_add,
    event_record,
    officer_create,
    officer_update,
    photo_add,
    record_line_add,
    record_line_remove,
)

PAGE_SIZE = 50
EXPORT_MAX = 100_000


def _signed_in(request: HttpRequest) -> User:
    """For pages about one officer: the scope query answers 404 to anyone who may not see
    them, so a stranger cannot even learn that a matricule exists."""
    user = request.user
    if not isinstance(user, User):
        raise Http404
    return user


def _viewer(request: HttpRequest, perm: str = Perm.PERSONNEL_VIEW) -> User:
    user = request.user
    if not isinstance(user, User) or not user.has_perm_anywhere(perm):
        raise PermissionDenied
    return user


@login_required
@require_GET
def officer_list(request: HttpRequest) -> HttpResponse:
    viewer = _viewer(request)
    filters, errors = filters_from_params(request.GET, viewer=viewer)
    form = f.FilterForm(
        request.GET or None,
        units=scoped_units(viewer),
        agencies=agency_ids_with(viewer, Perm.PERSONNEL_VIEW),
    )
    qs = select_officers(viewer=viewer, filters=filters)
    page = Paginator(qs, PAGE_SIZE).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    sort_query = request.GET.copy()
    sort_query.pop("page", None)
    sort_query.pop("sort", None)
    context = {
        "form": form,
        "page": page,
        "errors": errors,
        "query": query.urlencode(),
        "sort": filters.sort,
        "sort_query": sort_query.urlencode(),
        "can_edit": viewer.has_perm_anywhere(Perm.PERSONNEL_EDIT),
        "can_import": viewer.has_perm_anywhere(Perm.PERSONNEL_IMPORT),
    }
    template = "personnel/_officer_rows.html" if request.htmx else "personnel/officer_list.html"  # type: ignore[attr-defined]
    return render(request, template, context)


EXPORT_COLUMNS = [
    (_("Matricule"), "matricule"),
    (_("Nom"), "family_name"),
    (_("Prénom(s)"), "given_names"),
    (_("Sexe"), "sex"),
    (_("Date de naissance"), "birth_date"),
    (_("Grade"), "grade__name"),
    (_("Corps"), "corps__name"),
    (_("Unité"), "unit__name"),
    (_("Code unité"), "unit__code"),
    (_("Région"), "unit__region__name"),
    (_("Position"), "status"),
    (_("Date d'entrée"), "entry_date"),
]


@login_required
@require_GET
def officer_export(request: HttpRequest, fmt: str) -> HttpResponseBase:
    """The filtered list as shown (all pages), in CSV or XLSX."""
    if fmt not in ("csv", "xlsx"):
        raise Http404
    viewer = _viewer(request)
    filters, _errors = filters_from_params(request.GET, viewer=viewer)
    fields = [name for _label, name in EXPORT_COLUMNS]
    shown = select_officers(viewer=viewer, filters=filters)
    record_access_log(
        viewer=viewer,
        officers=shown.values_list("id", flat=True)[:EXPORT_MAX],
        channel=Channel.EXPORT,
        classes=["record"],
    )
    rows = select_officers(viewer=viewer, filters=filters).values_list(*fields)[:EXPORT_MAX]
    headers = [str(label) for label, _name in EXPORT_COLUMNS]
    statuses = dict(Status.choices)
    stamp = f"{timezone.localdate():%Y-%m-%d}"

    def cells(row: tuple[Any, ...]) -> list[Any]:
        out = list(row)
        out[4] = row[4].strftime("%d/%m/%Y") if row[4] else ""
        out[10] = str(statuses.get(row[10], row[10]))
        out[11] = row[11].strftime("%d/%m/%Y") if row[11] else ""
        return out

    from matricule.core.audit import audit_record

    audit_record(
        by=viewer,
        action="officer.export",
        object_type="personnel.officer",
        object_repr=f"export {fmt}",
        after={"filters": {k: request.GET.get(k) for k in PARAMS if request.GET.get(k)}},
    )
    if fmt == "csv":

        def stream() -> Any:
            buffer = io.StringIO()
            writer = csv.writer(buffer, delimiter=";")
            buffer.write("\ufeff")  # Excel opens UTF-8 with accents only with a BOM
            writer.writerow(headers)
            for row in rows.iterator(chunk_size=2000):
                writer.writerow(cells(row))
                if buffer.tell() > 64_000:
                    yield buffer.getvalue()
                    buffer.seek(0)
                    buffer.truncate()
            yield buffer.getvalue()

        streamed = StreamingHttpResponse(stream(), content_type="text/csv; charset=utf-8")
        streamed["Content-Disposition"] = f'attachment; filename="agents-{stamp}.csv"'
        return streamed
    from openpyxl import Workbook

    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(_("Agents"))
    sheet.append(headers)
    for row in rows.iterator(chunk_size=2000):
        sheet.append(cells(row))
    out = io.BytesIO()
    workbook.save(out)
    response = HttpResponse(
        out.getvalue(),
        content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    )
    response["Content-Disposition"] = f'attachment; filename="agents-{stamp}.xlsx"'
    return response


def _as_of(request: HttpRequest) -> datetime.date | None:
    raw = request.GET.get("as_of") or request.GET.get("au")
    if not raw:
        return None
    for fmt in ("%Y-%m-%d", "%d/%m/%Y"):
        try:
            return datetime.datetime.strptime(raw, fmt).date()  # noqa: DTZ007 -- a date only
        except ValueError:
            continue
    return None


def _profile_context(
    request: HttpRequest, viewer: User, officer: Officer, events: list[Any] | None = None
) -> dict[str, Any]:
    perms = viewer_perms_for(viewer, officer)
    as_of = _as_of(request)
    today = timezone.localdate()
    situation = situation_on(officer=officer, on=as_of, events=events) if as_of else None
    photo = None
    if Perm.SEE_BIOMETRIC in perms:
        photo = (
            officer.photos.filter(uploaded_at__date__lte=as_of or today).first()
            if as_of
            else officer.photos.first()
        )
    return {
        "officer": officer,
        "perms": perms,
        "as_of": as_of,
        "as_of_error": bool(request.GET.get("as_of")) and as_of is None,
        "situation": situation,
        "photo": photo,
        "today": today,
        "can_edit": Perm.PERSONNEL_EDIT in perms,
        "can_see_nina": Perm.SEE_IDENTITY in perms,
        "can_see_health": Perm.SEE_HEALTH in perms,
        "can_see_discipline": Perm.SEE_DISCIPLINE in perms,
        "can_audit": Perm.AUDIT_VIEW in perms,
        "event_slugs": [
            (slug, str(EventKind(kind).label))
            for slug, kind in f.EVENT_SLUGS.items()
            if kind != EventKind.SANCTION or Perm.SEE_DISCIPLINE in perms
        ],
    }


@login_required
@require_GET
def officer_profile(request: HttpRequest, matricule: str) -> HttpResponse:
    viewer = _signed_in(request)
    officer = officer_get(viewer=viewer, matricule=matricule)
    context = _profile_context(request, viewer, officer)
    record_access_log(
        viewer=viewer,
        officers=[officer],
        channel=Channel.SCREEN,
        classes=shown_classes("record", context["perms"]),
    )
    context.update(
        {
            "tab": "identity",
            "children": list(officer.children.all()),
            "education": list(officer.education.all()),
            "languages": list(officer.languages.select_related("language")),
            "duplicates": list(duplicates_by_nina(viewer=viewer, officer=officer)),
        }
    )
    return render(request, "personnel/officer_profile.html", context)


@login_required
@require_GET
def officer_career(request: HttpRequest, matricule: str) -> HttpResponse:
    viewer = _signed_in(request)
    officer = officer_get(viewer=viewer, matricule=matricule)
    perms = viewer_perms_for(viewer, officer)
    show_all = Perm.AUDIT_VIEW in perms and request.GET.get("tout") == "1"
    events = officer_events(
        officer=officer,
        include_superseded=show_all,
        as_of=_as_of(request),
        with_discipline=Perm.SEE_DISCIPLINE in perms,
    )
    # The timeline already loaded serves the "as on a date" replay too.
    context = _profile_context(request, viewer, officer, events=events)
    context.update({"tab": "career", "show_all": show_all, "events": events})
    record_access_log(
        viewer=viewer,
        officers=[officer],
        channel=Channel.SCREEN,
        classes=shown_classes("career", perms & {Perm.SEE_DISCIPLINE}),
    )
    return render(request, "personnel/officer_career.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def officer_documents(request: HttpRequest, matricule: str) -> HttpResponse:
    viewer = _signed_in(request)
    officer = officer_get(viewer=viewer, matricule=matricule, for_edit=request.method == "POST")
    context = _profile_context(request, viewer, officer)
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
            _add_errors(form, error)
        else:
            messages.success(request, _("Document ajouté au dossier."))
            return redirect("personnel:officer_documents", matricule=officer.matricule)
    documents = officer.documents.select_related("doc_type")
    hidden = _hidden_sensitivities(context["perms"])
    if hidden:
        documents = documents.exclude(doc_type__sensitivity__in=hidden)
    context.update({"tab": "documents", "documents": list(documents), "form": form})
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
    viewer = _signed_in(request)
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
    viewer = _signed_in(request)
    officer = officer_get(viewer=viewer, matricule=matricule)
    if Perm.SEE_BIOMETRIC not in viewer_perms_for(viewer, officer):
        raise Http404
    photo = OfficerPhoto.objects.filter(officer=officer, pk=pk).first()
    if photo is None:
        raise Http404
    field = photo.thumbnail if request.GET.get("mini") else photo.image
    response = FileResponse(field.open("rb"), content_type="image/jpeg")
    response["Cache-Control"] = "private, max-age=86400"
    return response


@login_required
@require_http_methods(["GET", "POST"])
def photo_upload(request: HttpRequest, matricule: str) -> HttpResponse:
    viewer = _signed_in(request)
    officer = officer_get(viewer=viewer, matricule=matricule, for_edit=True)
    form = f.PhotoForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        try:
            photo_add(
                officer=officer, data=form.cleaned_data["photo"].read(), crop=form.crop(), by=viewer
            )
        except ValidationError as error:
            _add_errors(form, error, default_field="photo")
        else:
            messages.success(request, _("Nouvelle photo enregistrée."))
            return redirect("personnel:officer_profile", matricule=officer.matricule)
    context = _profile_context(request, viewer, officer)
    context.update({"form": form, "history": list(officer.photos.all()[:12])})
    return render(request, "personnel/photo_upload.html", context)


def _add_errors(form: Any, error: ValidationError, default_field: str | None = None) -> None:
    if hasattr(error, "error_dict"):
        for field, errors in error.message_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(default_field, error.messages)


@login_required
@require_http_methods(["GET", "POST"])
def officer_edit(request: HttpRequest, matricule: str) -> HttpResponse:
    viewer = _signed_in(request)
    officer = officer_get(viewer=viewer, matricule=matricule, for_edit=True)
    perms = viewer_perms_for(viewer, officer)
    form = f.OfficerForm(
        request.POST or None,
        instance=officer,
        show_nina=Perm.SEE_IDENTITY in perms,
        show_health=Perm.SEE_HEALTH in perms,
    )
    conflict = False
    if request.method == "POST" and form.is_valid():
        data = {k: v for k, v in form.cleaned_data.items() if k != "version"}
        try:
            officer_update(
                officer=officer, data=data, expected_version=form.cleaned_data["version"], by=viewer
            )
        except ConflictError as error:
            conflict = True
            form.add_error(None, str(error))
        except ValidationError as error:
            _add_errors(form, error)
        else:
            messages.success(request, _("Dossier enregistré."))
            return redirect("personnel:officer_profile", matricule=officer.matricule)
    return render(
        request,
        "personnel/officer_form.html",
        {"form": form, "officer": officer, "conflict": conflict},
        status=409 if conflict else 200,
    )


@login_required
@require_http_methods(["GET", "POST"])
def officer_create_view(request: HttpRequest) -> HttpResponse:
    viewer = _viewer(request, Perm.PERSONNEL_EDIT)
    grant = viewer.grants_with(Perm.PERSONNEL_EDIT)[0]
    units = Unit.objects.filter(
        unit_scope_q(viewer, Perm.PERSONNEL_EDIT), is_active=True, agency_id=grant.agency_id
    ).order_by("path")
    form = f.OfficerCreateForm(request.POST or None, units=units, agency_id=grant.agency_id)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        identity = {k: data.get(k) for k in form._meta.fields if k in data}  # type: ignore[union-attr]
        try:
            officer = officer_create(
                agency=grant.agency,
                identity=identity,
                unit=data["unit"],
                grade=data["grade"],
                entry_date=data["entry_date"],
                function=data.get("function") or "",
                act=Act(
                    kind=data.get("act_kind") or "",
                    number=data.get("act_number") or "",
                    date=data.get("act_date"),
                    signatory=data.get("act_signatory"),
                ),
                by=viewer,
            )
        except ValidationError as error:
            _add_errors(form, error)
        else:
            messages.success(
                request, _("Dossier créé : matricule %(m)s.") % {"m": officer.matricule}
            )
            return redirect("personnel:officer_profile", matricule=officer.matricule)
    return render(request, "personnel/officer_create.html", {"form": form})


@login_required
@require_http_methods(["GET", "POST"])
def event_create(request: HttpRequest, matricule: str, kind: str) -> HttpResponse:
    return _event_form(request, matricule, kind=kind, correct_pk=None)


@login_required
@require_http_methods(["GET", "POST"])
def event_correct(request: HttpRequest, matricule: str, pk: int) -> HttpResponse:
    return _event_form(request, matricule, kind=None, correct_pk=pk)


def _event_form(
    request: HttpRequest, matricule: str, *, kind: str | None, correct_pk: int | None
) -> HttpResponse:
    viewer = _signed_in(request)
    officer = officer_get(viewer=viewer, matricule=matricule, for_edit=True)
    perms = viewer_perms_for(viewer, officer)
    original = None
    initial: dict[str, Any] = {}
    if correct_pk is not None:
        original = officer.events.filter(pk=correct_pk, is_superseded=False).first()
        if original is None:
            raise Http404
        event_kind = EventKind(original.kind)
        initial = {
            "effective_date": original.effective_date,
            "unit": original.unit_id,
            "grade": original.grade_id,
            "status": original.status,
            "function": original.function,
            "detail": original.detail,
            "end_date": original.end_date,
            "exceptional": original.exceptional,
            "justification": original.justification,
            "act_kind": original.act_kind,
            "act_number": original.act_number,
            "act_date": original.act_date,
            "act_signatory": original.act_signatory_id,
        }
    else:
        if kind not in f.EVENT_SLUGS:
            raise Http404
        event_kind = f.EVENT_SLUGS[kind]
    if event_kind == EventKind.SANCTION and Perm.SEE_DISCIPLINE not in perms:
        raise PermissionDenied
    form_class = f.EVENT_FORMS[event_kind]
    form = form_class(request.POST or None, officer=officer, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        fields = form.event_fields()
        try:
            event_record(
                officer=officer,
                kind=event_kind,
                by=viewer,
                supersedes=original,
                act=Act(
                    kind=data.get("act_kind") or "",
                    number=data.get("act_number") or "",
                    date=data.get("act_date"),
                    signatory=data.get("act_signatory"),
                ),
                **fields,
            )
        except ValidationError as error:
            _add_errors(form, error)
        else:
            messages.success(
                request,
                _("Correction enregistrée ; l'ancienne version reste visible des inspecteurs.")
                if original
                else _("Événement enregistré."),
            )
            return redirect("personnel:officer_career", matricule=officer.matricule)
    context = _profile_context(request, viewer, officer)
    context.update(
        {
            "form": form,
            "kind_label": EventKind(event_kind).label,
            "original": original,
            "cancel": reverse("personnel:officer_career", args=[officer.matricule]),
        }
    )
    return render(request, "personnel/event_form.html", context)


@login_required
@require_GET
def establishment_view(request: HttpRequest) -> HttpResponse:
    viewer = _viewer(request)
    units = scoped_units(viewer)
    code = request.GET.get("unit", "")
    root = next((u for u in units if u.code == code), None) if code else None
    if root is None and units:
        root = units[0]
    rows = establishment_strength(viewer=viewer, root=root, on=timezone.localdate())
    totals = {"authorised": sum(r.authorised for r in rows), "actual": sum(r.actual for r in rows)}
    return render(
        request,
        "personnel/establishment.html",
        {
            "rows": rows,
            "units": units,
            "root": root,
            "totals": totals,
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def record_line_add_view(request: HttpRequest, matricule: str, what: str) -> HttpResponse:
    """Add a child, a diploma or a language to the record."""
    if what not in f.LINE_SLUGS:
        raise Http404
    kind = f.LINE_SLUGS[what]
    viewer = _signed_in(request)
    officer = officer_get(viewer=viewer, matricule=matricule, for_edit=True)
    form = f.LINE_FORMS[kind](request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            record_line_add(officer=officer, kind=kind, data=form.cleaned_data, by=viewer)
        except ValidationError as error:
            _add_errors(form, error)
        else:
            messages.success(request, _("Ajouté au dossier."))
            return redirect("personnel:officer_profile", matricule=officer.matricule)
    context = _profile_context(request, viewer, officer)
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
    viewer = _signed_in(request)
    officer = officer_get(viewer=viewer, matricule=matricule, for_edit=True)
    line = getattr(officer, RECORD_LINES[kind]).filter(pk=pk).first()
    if line is None:
        raise Http404
    if request.method == "POST":
        record_line_remove(officer=officer, kind=kind, pk=pk, by=viewer)
        messages.success(request, _("Retiré du dossier : %(line)s.") % {"line": line})
        return redirect("personnel:officer_profile", matricule=officer.matricule)
    context = _profile_context(request, viewer, officer)
    context.update(
        {"line": line, "cancel": reverse("personnel:officer_profile", args=[officer.matricule])}
    )
    return render(request, "personnel/line_remove.html", context)
