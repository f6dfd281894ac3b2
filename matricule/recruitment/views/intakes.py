"""Intake screens: list, creation, edition, configuration (quotas, centres, stages)."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db.models import Count, Q
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from matricule.core.confirm import Confirmation, confirm_page, is_confirmed
from matricule.core.forms import add_service_errors, flash_service_errors
from matricule.recruitment import forms as f
from matricule.recruitment import selectors as sel
from matricule.recruitment import services
from matricule.recruitment.models import (
    IntakeStatus,
    Outcome,
    StageKind,
)
from matricule.recruitment.pdf import LISTS
from matricule.recruitment.selectors import (
    can_manage,
    intake_list,
    managed_agencies,
    stage_get,
)
from matricule.recruitment.services.ranking import tie_break_text
from matricule.recruitment.views.common import (
    PAGE_SIZE,
    intake_for,
    recruitment_viewer,
)

# --- Intakes ----------------------------------------------------------------------------


@login_required
@require_GET
def intake_list_view(request: HttpRequest) -> HttpResponse:
    viewer = recruitment_viewer(request)
    intakes = intake_list(viewer=viewer).annotate(n_candidates=Count("candidates", distinct=True))
    page = Paginator(intakes, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "recruitment/intake_list.html",
        {"page": page, "can_create": bool(managed_agencies(viewer))},
    )


@login_required
@require_http_methods(["GET", "POST"])
def intake_create_view(request: HttpRequest) -> HttpResponse:
    viewer = recruitment_viewer(request)
    agencies = managed_agencies(viewer)
    if not agencies:
        raise PermissionDenied
    form = f.IntakeForm(request.POST or None, agency_ids=agencies)
    if request.method == "POST" and form.is_valid():
        corps = form.cleaned_data["corps"]
        try:
            intake = services.intake_create(agency=corps.agency, data=form.cleaned_data, by=viewer)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("Concours créé. Définissez ses épreuves et ses centres."))
            return redirect("recruitment:intake_detail", pk=intake.pk)
    return render(request, "recruitment/intake_form.html", {"form": form, "intake": None})


@login_required
@require_http_methods(["GET", "POST"])
def intake_edit_view(request: HttpRequest, pk: int) -> HttpResponse:
    viewer, intake = intake_for(request, pk, edit=True)
    form = f.IntakeForm(request.POST or None, instance=intake, agency_ids={intake.agency_id})
    if request.method == "POST" and form.is_valid():
        try:
            services.intake_update(intake=intake, data=form.cleaned_data, by=viewer)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("Concours modifié ; la recevabilité a été revérifiée."))
            return redirect("recruitment:intake_detail", pk=intake.pk)
    return render(request, "recruitment/intake_form.html", {"form": form, "intake": intake})


@login_required
@require_GET
def intake_detail(request: HttpRequest, pk: int) -> HttpResponse:
    viewer, intake = intake_for(request, pk)
    stages = list(
        intake.stages.annotate(
            n_results=Count("results"),
            n_passed=Count("results", filter=Q(results__passed=True)),
        ).prefetch_related("subjects", "events__scoring")
    )
    counts = intake.candidates.aggregate(
        total=Count("id"),
        eligible=Count("id", filter=Q(eligible=True)),
        withdrawn=Count("id", filter=Q(withdrawn_on__isnull=False)),
        eliminated=Count("id", filter=Q(eliminated_stage__isnull=False)),
        women=Count("id", filter=Q(sex="F")),
    )
    ranking = intake.ranking.aggregate(
        admitted=Count("id", filter=Q(outcome=Outcome.ADMITTED)),
        waiting=Count("id", filter=Q(outcome=Outcome.WAITING)),
    )
    context = {
        "intake": intake,
        "stages": stages,
        "quotas": list(intake.quotas.select_related("region")),
        "centres": list(intake.centres.select_related("region")),
        "counts": counts,
        "ranking": ranking,
        "cohort": sel.cohort_of(intake),
        "can_manage": can_manage(viewer, intake),
        "tie_break": tie_break_text(intake),
        "quota_form": f.QuotaForm(prefix="repartition"),
        "centre_form": f.CentreForm(prefix="centre"),
        "stage_form": f.StageForm(prefix="epreuve", initial={"order": len(stages) + 1}),
        "lists": LISTS,
    }
    return render(request, "recruitment/intake_detail.html", context)


@login_required
@require_POST
def intake_advance_view(request: HttpRequest, pk: int) -> HttpResponse:
    viewer, intake = intake_for(request, pk, edit=True)
    if intake.status == IntakeStatus.OPEN and not is_confirmed(request):
        today = timezone.localdate()
        early = today < intake.applications_close
        count = intake.candidates.count()
        return confirm_page(
            request,
            Confirmation(
                title=_("Clôturer les candidatures"),
                question=_("Clôturer les candidatures du concours « %(t)s » ?")
                % {"t": intake.title},
                button=_("Clôturer les candidatures"),
                consequences=[
                    _("Plus aucun candidat ne peut être inscrit (%(n)d inscrits à ce jour).")
                    % {"n": count},
                    _("Les épreuves commencent : les résultats pourront être saisis."),
                ],
                warnings=[
                    _(
                        "La date de clôture publiée est le %(d)s : clôturer avant prive de "
                        "candidature ceux qui comptaient sur les jours restants."
                    )
                    % {"d": f"{intake.applications_close:%d/%m/%Y}"}
                ]
                if early
                else [],
                cancel_url=reverse("recruitment:intake_detail", args=[intake.pk]),
            ),
        )
    try:
        intake = services.intake_advance(intake=intake, by=viewer)
    except ValidationError as error:
        flash_service_errors(request, error)
    else:
        messages.success(
            request, _("État du concours : %(s)s.") % {"s": intake.get_status_display()}
        )
    return redirect("recruitment:intake_detail", pk=intake.pk)


CONFIG_FORMS = {"repartition": f.QuotaForm, "centre": f.CentreForm, "epreuve": f.StageForm}
# What the confirmation says, by kind of item added or removed.
CONFIG_LABELS = {
    "repartition": (
        gettext_lazy("Répartition des postes ajoutée."),
        gettext_lazy("Répartition retirée."),
    ),
    "centre": (gettext_lazy("Centre d'examen ajouté."), gettext_lazy("Centre d'examen retiré.")),
    "epreuve": (gettext_lazy("Épreuve ajoutée."), gettext_lazy("Épreuve retirée.")),
    "matiere": (gettext_lazy("Matière ajoutée."), gettext_lazy("Matière retirée.")),
    "bareme": (gettext_lazy("Barème ajouté."), gettext_lazy("Barème retiré.")),
}


@login_required
@require_POST
def config_add(request: HttpRequest, pk: int, what: str) -> HttpResponse:
    """Add a quota, an exam centre or a stage from the intake page."""
    viewer, intake = intake_for(request, pk, edit=True)
    if what not in CONFIG_FORMS:
        raise Http404
    form = CONFIG_FORMS[what](request.POST, prefix=what)
    if not form.is_valid():
        for field, errors in form.errors.items():
            label = form.fields[field].label if field in form.fields else ""
            for error in errors:
                messages.error(request, f"{label} : {error}" if label else str(error))
        return redirect("recruitment:intake_detail", pk=intake.pk)
    data = form.cleaned_data
    try:
        if what == "repartition":
            services.quota_add(
                intake=intake,
                region=data["region"],
                sex=data["sex"],
                posts=data["posts"],
                by=viewer,
            )
        elif what == "centre":
            services.centre_add(
                intake=intake,
                code=data["code"],
                name=data["name"],
                region=data["region"],
                by=viewer,
            )
        else:
            services.stage_add(
                intake=intake,
                kind=data["kind"],
                order=data["order"],
                pass_mark=data["pass_mark"],
                counts_in_ranking=data["counts_in_ranking"],
                weight=data["weight"],
                by=viewer,
            )
    except ValidationError as error:
        flash_service_errors(request, error)
    else:
        messages.success(request, CONFIG_LABELS[what][0])
    return redirect("recruitment:intake_detail", pk=intake.pk)


@login_required
@require_POST
def config_remove(request: HttpRequest, pk: int, what: str, item: int) -> HttpResponse:
    viewer, intake = intake_for(request, pk, edit=True)
    obj = sel.config_item(intake=intake, what=what, pk=item)
    try:
        services.config_remove(obj=obj, intake=intake, by=viewer)
    except ValidationError as error:
        flash_service_errors(request, error)
    else:
        messages.success(request, CONFIG_LABELS.get(what, CONFIG_LABELS["centre"])[1])
    return redirect("recruitment:intake_detail", pk=intake.pk)


@login_required
@require_http_methods(["GET", "POST"])
def stage_config(request: HttpRequest, pk: int, stage_pk: int) -> HttpResponse:
    """Subjects of a written exam, or events and scoring tables of a physical test."""
    viewer, intake = intake_for(request, pk)
    stage = stage_get(intake=intake, pk=stage_pk)
    if stage.kind not in (StageKind.WRITTEN, StageKind.PHYSICAL):
        raise Http404
    form_class = f.SubjectForm if stage.kind == StageKind.WRITTEN else f.EventForm
    form = form_class(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            if stage.kind == StageKind.WRITTEN:
                services.subject_add(
                    stage=stage,
                    code=data["code"],
                    name=data["name"],
                    coefficient=data["coefficient"],
                    by=viewer,
                )
            else:
                services.event_add(
                    stage=stage,
                    code=data["code"],
                    name=data["name"],
                    unit=data["unit"],
                    higher_is_better=data["higher_is_better"],
                    scoring=[*data["scoring_m"], *data["scoring_f"]],
                    by=viewer,
                )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            added = CONFIG_LABELS["matiere" if stage.kind == StageKind.WRITTEN else "bareme"][0]
            messages.success(request, added)
            return redirect("recruitment:stage_config", pk=intake.pk, stage_pk=stage.pk)
    context = {
        "intake": intake,
        "stage": stage,
        "form": form,
        "subjects": list(stage.subjects.all()),
        "events": list(stage.events.prefetch_related("scoring")),
        "can_manage": can_manage(viewer, intake),
    }
    return render(request, "recruitment/stage_config.html", context)
