"""Results per stage (screen and XLSX import), ranking, publication and PDF lists."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from matricule.core.confirm import Confirmation, confirm_page, is_confirmed
from matricule.core.forms import add_service_errors, flash_service_errors
from matricule.recruitment import forms as f
from matricule.recruitment import selectors as sel
from matricule.recruitment import services
from matricule.recruitment.models import Outcome
from matricule.recruitment.pdf import LISTS, results_pdf
from matricule.recruitment.rules import StageSpec
from matricule.recruitment.selectors import (
    can_manage,
    candidate_get,
    stage_get,
)
from matricule.recruitment.services.imports import (
    ImportRefused,
    results_import,
    template_workbook,
)
from matricule.recruitment.services.ranking import intake_rank, tie_break_text
from matricule.recruitment.views.common import (
    PAGE_SIZE,
    intake_for,
)

# --- Stage results ----------------------------------------------------------------------


@login_required
@require_GET
def stage_results(request: HttpRequest, pk: int, stage_pk: int) -> HttpResponse:
    viewer, intake = intake_for(request, pk)
    stage = stage_get(intake=intake, pk=stage_pk)
    filter_ = request.GET.get("filtre", "")
    results = sel.stage_results(stage=stage, failed_only=filter_ == "echec")
    page = Paginator(results, PAGE_SIZE).get_page(request.GET.get("page"))
    summary = sel.stage_summary(stage)
    query = request.GET.copy()
    query.pop("page", None)
    context = {
        "intake": intake,
        "stage": stage,
        "page": page,
        "summary": summary,
        "query": query.urlencode(),
        "import_form": f.ImportForm(),
        "can_manage": can_manage(viewer, intake),
        "codes": StageSpec.load(stage).input_codes,
        "filtre": filter_,
    }
    return render(request, "recruitment/stage_results.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def result_entry(request: HttpRequest, pk: int, stage_pk: int) -> HttpResponse:
    """Enter or correct one candidate's result (the candidate is chosen by number)."""
    viewer, intake = intake_for(request, pk, edit=True)
    stage = stage_get(intake=intake, pk=stage_pk)
    number = (request.GET.get("candidat") or request.POST.get("candidat") or "").strip().upper()
    candidate = candidate_get(intake=intake, number=number) if number else None
    spec = StageSpec.load(stage)
    existing = sel.result_get(candidate=candidate, stage=stage)
    initial: dict[str, Any] = {}
    if existing is not None:
        initial = {"absent": existing.absent, "remark": existing.note}
        if existing.mark is not None:
            initial["note"] = existing.mark
        if existing.fit is not None:
            initial["avis"] = "apte" if existing.fit else "inapte"
        detail = existing.detail or {}
        initial.update(detail.get("matieres", {}))
        initial.update(detail.get("performances", {}))
    form = f.ResultForm(
        request.POST if request.method == "POST" else None, spec=spec, initial=initial
    )
    if request.method == "POST" and candidate is not None and form.is_valid():
        data = form.cleaned_data
        values = {code: data.get(code) for code in spec.input_codes}
        try:
            result = services.result_record(
                candidate=candidate,
                stage=stage,
                absent=data["absent"],
                values=values,
                note=data.get("remark", ""),
                by=viewer,
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            if result.passed:
                messages.success(request, _("Résultat enregistré : épreuve réussie."))
            else:
                messages.warning(request, _("Résultat enregistré : le candidat est éliminé."))
            return redirect(
                "recruitment:candidate_detail", pk=intake.pk, number=candidate.application_number
            )
    context = {
        "intake": intake,
        "stage": stage,
        "candidate": candidate,
        "form": form,
        "existing": existing,
        "number": number,
    }
    return render(request, "recruitment/result_form.html", context)


@login_required
@require_POST
def stage_import(request: HttpRequest, pk: int, stage_pk: int) -> HttpResponse:
    viewer, intake = intake_for(request, pk, edit=True)
    stage = stage_get(intake=intake, pk=stage_pk)
    form = f.ImportForm(request.POST, request.FILES)
    problems: list[str] = []
    if not form.is_valid():
        problems = [_("Choisissez un fichier Excel (.xlsx).")]
    else:
        upload = form.cleaned_data["file"]
        try:
            report = results_import(
                stage=stage, data=upload.read(), filename=upload.name, by=viewer
            )
        except ImportRefused as refused:
            problems = refused.problems
        else:
            messages.success(
                request,
                _(
                    "%(rows)s résultats importés (%(new)s nouveaux, %(fixed)s corrigés) ; "
                    "%(out)s candidats éliminés à cette épreuve."
                )
                % {
                    "rows": report.rows,
                    "new": report.created,
                    "fixed": report.corrected,
                    "out": report.eliminated,
                },
            )
            return redirect("recruitment:stage_results", pk=intake.pk, stage_pk=stage.pk)
    context = {
        "intake": intake,
        "stage": stage,
        "problems": problems[:200],
        "more": len(problems) - 200,
    }
    return render(request, "recruitment/import_refused.html", context, status=400)


@login_required
@require_GET
def stage_template(request: HttpRequest, pk: int, stage_pk: int) -> HttpResponse:
    intake = intake_for(request, pk)[1]
    stage = stage_get(intake=intake, pk=stage_pk)
    response = HttpResponse(
        template_workbook(stage=stage),
        content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    )
    response["Content-Disposition"] = (
        f'attachment; filename="resultats-{intake.pk}-{stage.kind}.xlsx"'
    )
    return response


# --- Ranking and publication ------------------------------------------------------------


@login_required
@require_POST
def intake_rank_view(request: HttpRequest, pk: int) -> HttpResponse:
    viewer, intake = intake_for(request, pk, edit=True)
    try:
        ranked = intake_rank(intake=intake, by=viewer)
    except ValidationError as error:
        flash_service_errors(request, error)
        return redirect("recruitment:intake_detail", pk=intake.pk)
    admitted = sum(1 for r in ranked if r.outcome == Outcome.ADMITTED)
    messages.success(
        request,
        _("Classement établi : %(n)s classés, %(a)s admis, %(w)s sur liste d'attente.")
        % {"n": len(ranked), "a": admitted, "w": len(ranked) - admitted},
    )
    return redirect("recruitment:ranking", pk=intake.pk)


@login_required
@require_GET
def ranking_view(request: HttpRequest, pk: int) -> HttpResponse:
    viewer, intake = intake_for(request, pk)
    outcome = request.GET.get("liste", "")
    entries = sel.ranking_entries(intake=intake, outcome=outcome)
    page = Paginator(entries, PAGE_SIZE).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    context = {
        "intake": intake,
        "page": page,
        "liste": outcome,
        "query": query.urlencode(),
        "tie_break": tie_break_text(intake),
        "quotas": list(intake.quotas.select_related("region")),
        "can_manage": can_manage(viewer, intake),
        "lists": LISTS,
        "centres": list(intake.centres.all()),
    }
    return render(request, "recruitment/ranking.html", context)


@login_required
@require_POST
def intake_publish_view(request: HttpRequest, pk: int) -> HttpResponse:
    viewer, intake = intake_for(request, pk, edit=True)
    if not is_confirmed(request):
        admitted = intake.ranking.filter(outcome=Outcome.ADMITTED).count()
        waiting = intake.ranking.filter(outcome=Outcome.WAITING).count()
        return confirm_page(
            request,
            Confirmation(
                title=_("Publier les résultats"),
                question=_("Publier les résultats du concours « %(t)s » ?") % {"t": intake.title},
                button=_("Publier les résultats"),
                consequences=[
                    _(
                        "%(a)d admis et %(w)d sur liste d'attente : chaque candidat peut "
                        "voir son résultat en ligne."
                    )
                    % {"a": admitted, "w": waiting},
                    _(
                        "Les listes PDF deviennent officielles et la promotion d'école peut "
                        "être formée."
                    ),
                ],
                undo=_(
                    "Tant que la promotion n'est pas formée, la publication peut être retirée "
                    "(avec un motif, inscrit dans la piste d'audit) ; les candidats l'auront "
                    "peut-être déjà vue."
                ),
                cancel_url=reverse("recruitment:ranking", args=[intake.pk]),
            ),
        )
    try:
        services.intake_publish(intake=intake, by=viewer)
    except ValidationError as error:
        flash_service_errors(request, error)
    else:
        messages.success(request, _("Résultats publiés : les candidats peuvent les consulter."))
    return redirect("recruitment:ranking", pk=intake.pk)


@login_required
@require_POST
def intake_unpublish_view(request: HttpRequest, pk: int) -> HttpResponse:
    viewer, intake = intake_for(request, pk, edit=True)
    form = f.ReasonForm(request.POST if is_confirmed(request) else None)
    if is_confirmed(request) and form.is_valid():
        try:
            services.intake_unpublish(intake=intake, by=viewer, reason=form.cleaned_data["reason"])
        except ValidationError as error:
            flash_service_errors(request, error)
        else:
            messages.success(
                request, _("Publication retirée : les résultats ne sont plus en ligne.")
            )
        return redirect("recruitment:ranking", pk=intake.pk)
    return confirm_page(
        request,
        Confirmation(
            title=_("Retirer la publication des résultats"),
            question=_("Retirer les résultats publiés du concours « %(t)s » ?")
            % {"t": intake.title},
            button=_("Retirer la publication"),
            consequences=[
                _("Les candidats ne voient plus leur résultat en ligne."),
                _("Le classement est gardé : corrigez-le puis publiez de nouveau."),
            ],
            form=form,
            cancel_url=reverse("recruitment:ranking", args=[intake.pk]),
        ),
    )


@login_required
@require_GET
def results_pdf_view(request: HttpRequest, pk: int, kind: str) -> HttpResponse:
    intake = intake_for(request, pk)[1]
    if kind not in LISTS:
        raise Http404
    if not intake.ranking.exists():
        raise Http404
    centre = None
    raw = request.GET.get("centre", "")
    if raw:
        centre = sel.centre_get(intake=intake, raw=raw)
    pdf = results_pdf(intake=intake, kind=kind, centre=centre)
    suffix = f"-{centre.code}" if centre else ""
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="concours-{intake.pk}-{kind}{suffix}.pdf"'
    return response
