"""Import screens: upload, list, report with live progress, the mapping step, the rejected
rows as a workbook, the real import after a trial, and the restart of a failed import."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from matricule.accounts.models import User
from matricule.personnel.importing.columns import COLUMNS, EVENT_COLUMNS
from matricule.personnel.importing.forms import ImportConfirmForm, ImportForm, RemapForm
from matricule.personnel.importing.rejects import rejects_workbook
from matricule.personnel.importing.report import job_summary
from matricule.personnel.importing.selectors import (
    import_access,
    import_created_officers,
    import_job_get,
    import_jobs,
    import_reader,
)
from matricule.personnel.importing.services import (
    import_job_stale,
    import_jobs_recover,
    import_remap,
    import_rerun,
    import_restart,
    import_start,
)
from matricule.personnel.importing.values import MAPPED_FIELDS, value_map_csv
from matricule.personnel.models import ImportJob

PAGE_SIZE = 50
REPORT_PAGE_SIZE = 200
CREATED_PAGE_SIZE = 50
FINISHED = (ImportJob.State.DONE, ImportJob.State.FAILED)
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _viewer(request: HttpRequest) -> User:
    user = request.user
    if not isinstance(user, User):
        raise PermissionDenied
    import_reader(viewer=user)
    return user


def _job(request: HttpRequest, pk: int) -> ImportJob:
    job = import_job_get(viewer=_viewer(request), pk=pk)
    if import_job_stale(job):
        # Its worker is gone: say so now rather than show « en cours » for ever.
        import_jobs_recover(job=job)
        job.refresh_from_db()
    return job


def _committable(job: ImportJob) -> bool:
    return (
        job.mode == ImportJob.Mode.DRY_RUN
        and job.state == ImportJob.State.DONE
        and bool(job.created_count or job.updated_count)
    )


@login_required
@require_GET
def import_list(request: HttpRequest) -> HttpResponse:
    viewer = _viewer(request)
    page = Paginator(import_jobs(viewer=viewer), PAGE_SIZE).get_page(request.GET.get("page"))
    can_import = bool(viewer.grants_with("personnel.import"))
    return render(request, "personnel/import_list.html", {"page": page, "can_import": can_import})


@login_required
@require_http_methods(["GET", "POST"])
def import_new(request: HttpRequest) -> HttpResponse:
    viewer = _viewer(request)
    agency = import_access(viewer=viewer)
    form = ImportForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        # Stored and queued only: the worker parses the file, never this request.
        job = import_start(
            agency=agency,
            handle=upload.file,
            filename=upload.name,
            mode=form.cleaned_data["mode"],
            mapping=form.cleaned_data["mapping"],
            kind=form.cleaned_data["kind"],
            source=form.cleaned_data["source"],
            options=form.options(),
            by=viewer,
            in_background=True,
        )
        return redirect("personnel:import_detail", pk=job.pk)
    return render(
        request,
        "personnel/import_new.html",
        {
            "form": form,
            "agency": agency,
            "columns": COLUMNS.items(),
            "event_columns": EVENT_COLUMNS.items(),
        },
    )


@login_required
@require_GET
def import_detail(request: HttpRequest, pk: int) -> HttpResponse:
    job = _job(request, pk)
    report = Paginator(job.report, REPORT_PAGE_SIZE).get_page(request.GET.get("page"))
    created = None
    if job.mode != ImportJob.Mode.DRY_RUN and job.created_count and not job.is_history:
        created = Paginator(import_created_officers(job=job), CREATED_PAGE_SIZE).get_page(
            request.GET.get("created")
        )
    values = [(name, job.values.get(name, [])) for name in MAPPED_FIELDS if job.values.get(name)]
    return render(
        request,
        "personnel/import_detail.html",
        {
            "job": job,
            "summary": job_summary(job),
            "finished": job.state in FINISHED,
            "committable": _committable(job),
            "page": report,
            "created": created,
            "values": values,
            "restartable": job.state == ImportJob.State.FAILED,
        },
    )


@login_required
@require_GET
def import_progress(request: HttpRequest, pk: int) -> HttpResponse:
    job = _job(request, pk)
    finished = job.state in FINISHED
    response = render(
        request,
        "personnel/_import_progress.html",
        {"job": job, "summary": job_summary(job), "finished": finished},
    )
    if finished and request.headers.get("HX-Request"):
        response["HX-Refresh"] = "true"  # reload once so the report appears under the bar
    return response


@login_required
@require_http_methods(["GET", "POST"])
def import_confirm(request: HttpRequest, pk: int) -> HttpResponse:
    job = _job(request, pk)
    viewer = _viewer(request)
    if not _committable(job):
        messages.error(
            request,
            _(
                "Seul un essai terminé, avec au moins une ligne valide, peut être importé "
                "pour de bon."
            ),
        )
        return redirect("personnel:import_detail", pk=job.pk)
    # With errors in the trial, "all or nothing" would write nothing: suggest the valid rows.
    suggested = ImportJob.Mode.VALID_ROWS if job.error_count else ImportJob.Mode.ATOMIC
    form = ImportConfirmForm(request.POST or None, initial={"mode": suggested})
    if request.method == "POST" and form.is_valid():
        try:
            new = import_rerun(job=job, mode=form.cleaned_data["mode"], by=viewer)
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(
                request, _("Import lancé à partir de l'essai n° %(n)d.") % {"n": job.pk}
            )
            return redirect("personnel:import_detail", pk=new.pk)
    return render(
        request,
        "personnel/import_confirm.html",
        {"job": job, "form": form, "summary": job_summary(job)},
    )


@login_required
@require_http_methods(["GET", "POST"])
def import_values(request: HttpRequest, pk: int) -> HttpResponse:
    """The mapping step: each legacy value with its count, how it reads, and a code to give."""
    job = _job(request, pk)
    viewer = _viewer(request)
    form = RemapForm(request.POST or None, job=job)
    if request.method == "POST" and form.is_valid():
        try:
            new = import_remap(job=job, options=form.options(), by=viewer)
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(
                request,
                _("Correspondances enregistrées : nouvel essai du fichier lancé."),
            )
            return redirect("personnel:import_detail", pk=new.pk)
    return render(request, "personnel/import_values.html", {"job": job, "form": form})


@login_required
@require_GET
def import_values_file(request: HttpRequest, pk: int) -> HttpResponse:
    """The values found in the file and their codes, as the `field,value,code` CSV."""
    job = _job(request, pk)
    rows = [
        (name, line["value"], line["code"] or line.get("suggestion", ""))
        for name in MAPPED_FIELDS
        for line in job.values.get(name, [])
    ]
    response = HttpResponse(value_map_csv(rows), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="correspondances-{job.pk}.csv"'
    return response


@login_required
@require_GET
def import_rejects(request: HttpRequest, pk: int) -> HttpResponse:
    """The rows in error, as a workbook to correct and import again."""
    job = _job(request, pk)
    if job.state not in FINISHED:
        return redirect("personnel:import_detail", pk=job.pk)
    response = HttpResponse(rejects_workbook(job=job), content_type=XLSX)
    response["Content-Disposition"] = f'attachment; filename="lignes-a-corriger-{job.pk}.xlsx"'
    return response


@login_required
@require_POST
def import_restart_view(request: HttpRequest, pk: int) -> HttpResponse:
    job = _job(request, pk)
    viewer = _viewer(request)
    import_access(viewer=viewer)
    try:
        new = import_restart(job=job, by=viewer)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return redirect("personnel:import_detail", pk=job.pk)
    messages.success(request, _("Import relancé (n° %(n)d).") % {"n": new.pk})
    return redirect("personnel:import_detail", pk=new.pk)
