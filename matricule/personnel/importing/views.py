"""Import screens: upload, list, report with live progress, and the real import after a trial."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from matricule.accounts.models import User
from matricule.core.models import Agency
from matricule.personnel.importing.columns import COLUMNS
from matricule.personnel.importing.forms import ImportConfirmForm, ImportForm
from matricule.personnel.importing.report import job_summary
from matricule.personnel.importing.selectors import import_access, import_job_get, import_jobs
from matricule.personnel.importing.services import import_rerun, import_start
from matricule.personnel.models import ImportJob

PAGE_SIZE = 50
REPORT_PAGE_SIZE = 200
FINISHED = (ImportJob.State.DONE, ImportJob.State.FAILED)


def _importer(request: HttpRequest) -> tuple[User, Agency]:
    user = request.user
    if not isinstance(user, User):
        raise PermissionDenied
    return user, import_access(viewer=user)


def _committable(job: ImportJob) -> bool:
    return job.mode == ImportJob.Mode.DRY_RUN and job.state == ImportJob.State.DONE


@login_required
@require_GET
def import_list(request: HttpRequest) -> HttpResponse:
    viewer, agency = _importer(request)
    page = Paginator(import_jobs(viewer=viewer), PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "personnel/import_list.html", {"page": page, "agency": agency})


@login_required
@require_http_methods(["GET", "POST"])
def import_new(request: HttpRequest) -> HttpResponse:
    viewer, agency = _importer(request)
    form = ImportForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        job = import_start(
            agency=agency,
            data=form.content,
            filename=form.cleaned_data["file"].name,
            mode=form.cleaned_data["mode"],
            mapping=form.cleaned_data["mapping"],
            by=viewer,
        )
        return redirect("personnel:import_detail", pk=job.pk)
    return render(
        request,
        "personnel/import_new.html",
        {"form": form, "agency": agency, "columns": COLUMNS.items()},
    )


@login_required
@require_GET
def import_detail(request: HttpRequest, pk: int) -> HttpResponse:
    viewer, _agency = _importer(request)
    job = import_job_get(viewer=viewer, pk=pk)
    report = Paginator(job.report, REPORT_PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "personnel/import_detail.html",
        {
            "job": job,
            "summary": job_summary(job),
            "finished": job.state in FINISHED,
            "committable": _committable(job),
            "page": report,
        },
    )


@login_required
@require_GET
def import_progress(request: HttpRequest, pk: int) -> HttpResponse:
    viewer, _agency = _importer(request)
    job = import_job_get(viewer=viewer, pk=pk)
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
    viewer, _agency = _importer(request)
    job = import_job_get(viewer=viewer, pk=pk)
    if not _committable(job):
        messages.error(request, _("Seul un essai terminé peut être importé pour de bon."))
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
