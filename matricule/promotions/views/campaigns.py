"""Campaigns: list, creation, detail (runs, vacancies, board), lists, diff, publication."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from matricule.accounts.access import AgencyChoiceNeeded, acting_agency, agency_choice_page
from matricule.accounts.models import User
from matricule.accounts.roles import Perm
from matricule.core.confirm import Confirmation, confirm_page, is_confirmed
from matricule.core.forms import add_service_errors, flash_service_errors
from matricule.core.once import submit_once
from matricule.personnel.access import export_access_log
from matricule.personnel.models import Channel, Officer
from matricule.promotions import forms as f
from matricule.promotions.models import CampaignStatus, EligibilityRun, Vacancy
from matricule.promotions.selectors.access import MANAGE, campaign_get, can_manage, sits_on
from matricule.promotions.selectors.campaigns import (
    campaign_list,
    current_run,
    decisions_of,
    eligibility_list,
    phrased,
    run_diff,
    vacancies,
    with_labels,
)
from matricule.promotions.services import exports
from matricule.promotions.services.boards import board_create
from matricule.promotions.services.publication import campaign_effect, campaign_publish
from matricule.promotions.services.runs import campaign_create, eligibility_run, exam_score_set
from matricule.promotions.services.vacancies import vacancies_propose, vacancy_fix
from matricule.promotions.views.common import manager, reader

PAGE_SIZE = 50


@login_required
@require_GET
def campaign_list_view(request: HttpRequest) -> HttpResponse:
    viewer = reader(request)
    return render(
        request,
        "promotions/campaign_list.html",
        {
            "campaigns": campaign_list(viewer=viewer),
            "can_manage": viewer.has_perm_anywhere(MANAGE),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
@submit_once
def campaign_create_view(request: HttpRequest) -> HttpResponse:
    viewer = manager(request)
    try:
        agency = acting_agency(
            viewer, MANAGE, requested=request.GET.get("agency") or request.POST.get("agency")
        )
    except AgencyChoiceNeeded as choice:
        return agency_choice_page(request, choice)
    form = f.CampaignForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            campaign = campaign_create(agency=agency, by=viewer, **form.cleaned_data)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            return redirect("promotions:campaign_detail", pk=campaign.pk)
    return render(request, "promotions/campaign_form.html", {"form": form, "agency": agency})


@login_required
@require_GET
def campaign_detail_view(request: HttpRequest, pk: int) -> HttpResponse:
    viewer = reader(request)
    campaign = campaign_get(viewer=viewer, pk=pk)
    manage = can_manage(viewer, campaign.agency_id)
    board = getattr(campaign, "board", None)
    people: list[tuple[str, str]] = []
    if manage and board is None:
        people = [
            (str(u.pk), u.get_full_name() or u.get_username())
            for u in User.objects.filter(
                is_active=True,
                role_grants__role="promotion_board",
                role_grants__agency_id=campaign.agency_id,
            )
            .distinct()
            .order_by("username")
        ]
    return render(
        request,
        "promotions/campaign_detail.html",
        {
            "campaign": campaign,
            "runs": list(campaign.runs.order_by("-version")),
            "vacancies": vacancies(campaign),
            "board": board,
            "members": list(board.members.select_related("user")) if board else [],
            "manage": manage,
            "member": sits_on(viewer, campaign),
            "open": campaign.status in (CampaignStatus.DRAFT, CampaignStatus.BOARD),
            "board_form": f.BoardForm(people=people) if people else None,
            "rerun_form": f.RerunForm(),
            "exam_form": f.ExamScoreForm(),
            "today": timezone.localdate(),
            "card_reprints": decisions_of(campaign).filter(card_reprint=True).count(),
        },
    )


@login_required
@require_POST
@submit_once
def run_view(request: HttpRequest, pk: int) -> HttpResponse:
    viewer = manager(request)
    campaign = campaign_get(viewer=viewer, pk=pk, for_edit=True)
    try:
        run = eligibility_run(campaign=campaign, by=viewer, reason=request.POST.get("reason", ""))
    except ValidationError as error:
        flash_service_errors(request, error)
    else:
        messages.success(
            request,
            _("Éligibilité calculée (version %(v)d) : %(n)d agents examinés, %(e)d éligibles.")
            % {"v": run.version, "n": run.officers, "e": run.eligible},
        )
    return redirect("promotions:campaign_detail", pk=campaign.pk)


@login_required
@require_POST
@submit_once
def exam_score_view(request: HttpRequest, pk: int) -> HttpResponse:
    viewer = manager(request)
    campaign = campaign_get(viewer=viewer, pk=pk, for_edit=True)
    form = f.ExamScoreForm(request.POST)
    if form.is_valid():
        officer = Officer.objects.filter(
            agency_id=campaign.agency_id, matricule=form.cleaned_data["matricule"].strip()
        ).first()
        if officer is None:
            messages.error(request, _("Aucun agent de l'agence n'a ce matricule."))
        else:
            try:
                exam_score_set(
                    campaign=campaign, officer=officer, score=form.cleaned_data["score"], by=viewer
                )
            except ValidationError as error:
                flash_service_errors(request, error)
            else:
                messages.success(request, _("Note d'examen enregistrée."))
    else:
        messages.error(request, _("Indiquez un matricule et une note entre 0 et 20."))
    return redirect("promotions:campaign_detail", pk=campaign.pk)


@login_required
@require_GET
def eligibility_view(request: HttpRequest, pk: int) -> HttpResponse:
    viewer = reader(request)
    campaign = campaign_get(viewer=viewer, pk=pk)
    if not (
        can_manage(viewer, campaign.agency_id)
        or sits_on(viewer, campaign)
        or viewer.has_perm_anywhere(Perm.AUDIT_VIEW)
    ):
        raise Http404
    wanted = request.GET.get("eligible", "")
    qs = eligibility_list(
        viewer=viewer,
        campaign=campaign,
        eligible={"1": True, "0": False}.get(wanted),
    ).select_related("target_grade")
    page = Paginator(qs, PAGE_SIZE).get_page(request.GET.get("page"))
    rows = [{"row": e, "criteria": with_labels(e.criteria)} for e in phrased(page)]
    export_access_log(
        viewer=viewer,
        agency_id=campaign.agency_id,
        officer_ids=[e.officer_id for e in page],
        channel=Channel.SCREEN,
        classes=["career", "discipline"],
    )
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "promotions/eligibility.html",
        {
            "campaign": campaign,
            "page": page,
            "rows": rows,
            "eligible": wanted,
            "query": query.urlencode(),
            "run": current_run(campaign),
        },
    )


@login_required
@require_GET
def diff_view(request: HttpRequest, pk: int, version: int) -> HttpResponse:
    viewer = reader(request)
    campaign = campaign_get(viewer=viewer, pk=pk)
    run = EligibilityRun.objects.filter(campaign=campaign, version=version).first()
    if run is None:
        raise Http404
    return render(
        request,
        "promotions/diff.html",
        {"campaign": campaign, "run": run, "lines": run_diff(viewer=viewer, run=run)},
    )


@login_required
@require_POST
@submit_once
def vacancies_propose_view(request: HttpRequest, pk: int) -> HttpResponse:
    viewer = manager(request)
    campaign = campaign_get(viewer=viewer, pk=pk, for_edit=True)
    try:
        vacancies_propose(campaign=campaign, by=viewer)
    except ValidationError as error:
        flash_service_errors(request, error)
    else:
        messages.success(request, _("Postes proposés d'après le tableau des effectifs."))
    return redirect("promotions:campaign_detail", pk=campaign.pk)


@login_required
@require_POST
@submit_once
def vacancy_fix_view(request: HttpRequest, pk: int, vacancy_pk: int) -> HttpResponse:
    viewer = manager(request)
    campaign = campaign_get(viewer=viewer, pk=pk, for_edit=True)
    vacancy = Vacancy.objects.filter(campaign=campaign, pk=vacancy_pk).first()
    if vacancy is None:
        raise Http404
    form = f.VacancyForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Indiquez le nombre de postes et son motif."))
    else:
        try:
            vacancy_fix(vacancy=vacancy, by=viewer, **form.cleaned_data)
        except ValidationError as error:
            flash_service_errors(request, error)
        else:
            messages.success(request, _("Nombre de postes fixé."))
    return redirect("promotions:campaign_detail", pk=campaign.pk)


@login_required
@require_POST
@submit_once
def board_create_view(request: HttpRequest, pk: int) -> HttpResponse:
    viewer = manager(request)
    campaign = campaign_get(viewer=viewer, pk=pk, for_edit=True)
    people = [
        (str(u.pk), u.get_username())
        for u in User.objects.filter(
            role_grants__agency_id=campaign.agency_id, is_active=True
        ).distinct()
    ]
    form = f.BoardForm(request.POST, people=people)
    if not form.is_valid():
        messages.error(request, _("Choisissez le président et les membres."))
    else:
        data = form.cleaned_data
        users = {u.pk: u for u in User.objects.filter(pk__in=[data["chair"], *data["members"]])}
        try:
            board_create(
                campaign=campaign,
                name=data["name"],
                chair=users[int(data["chair"])],
                members=[users[int(m)] for m in data["members"]],
                sitting_date=data.get("sitting_date"),
                by=viewer,
            )
        except ValidationError as error:
            flash_service_errors(request, error)
        else:
            messages.success(request, _("Commission constituée."))
    return redirect("promotions:campaign_detail", pk=campaign.pk)


@login_required
@require_POST
def publish_view(request: HttpRequest, pk: int) -> HttpResponse:
    viewer = manager(request)
    campaign = campaign_get(viewer=viewer, pk=pk, for_edit=True)
    board = getattr(campaign, "board", None)
    if not is_confirmed(request):
        return confirm_page(
            request,
            Confirmation(
                title=_("Publier le tableau d'avancement"),
                question=_("Publier « %(name)s » ?") % {"name": campaign.name},
                button=_("Publier le tableau"),
                consequences=[
                    _(
                        "Les décisions de la commission deviennent définitives ; "
                        "les agents sont avertis."
                    ),
                    _("Le délai de recours de %(n)d jours commence.") % {"n": campaign.appeal_days},
                ],
                warnings=[]
                if board is not None and board.audit_acknowledged_at
                else [
                    _(
                        "Le président n'a pas encore pris acte de l'audit d'équité : "
                        "la publication sera refusée."
                    )
                ],
                cancel_url=reverse("promotions:campaign_detail", args=[campaign.pk]),
            ),
        )
    try:
        campaign_publish(campaign=campaign, by=viewer)
    except ValidationError as error:
        flash_service_errors(request, error)
    else:
        messages.success(request, _("Tableau d'avancement publié."))
    return redirect("promotions:campaign_detail", pk=campaign.pk)


@login_required
@require_POST
def effect_view(request: HttpRequest, pk: int) -> HttpResponse:
    viewer = manager(request)
    campaign = campaign_get(viewer=viewer, pk=pk, for_edit=True)
    if not is_confirmed(request):
        return confirm_page(
            request,
            Confirmation(
                title=_("Prononcer les avancements"),
                question=_("Inscrire les avancements de « %(name)s » aux carrières ?")
                % {"name": campaign.name},
                button=_("Prononcer les avancements"),
                consequences=[
                    _(
                        "Chaque promotion devient un changement de grade daté du %(date)s, "
                        "avec son acte."
                    )
                    % {"date": f"{campaign.effective_date:%d/%m/%Y}"},
                    _("Les cartes qui portent le grade sont signalées à réimprimer."),
                ],
                cancel_url=reverse("promotions:campaign_detail", args=[campaign.pk]),
            ),
        )
    try:
        done = campaign_effect(campaign=campaign, by=viewer)
    except ValidationError as error:
        flash_service_errors(request, error)
    else:
        messages.success(request, _("%(n)d avancements inscrits aux carrières.") % {"n": done})
    return redirect("promotions:campaign_detail", pk=campaign.pk)


def _published_reader(request: HttpRequest, pk: int) -> tuple[User, object]:
    viewer = reader(request)
    campaign = campaign_get(viewer=viewer, pk=pk)
    if campaign.status not in (CampaignStatus.PUBLISHED, CampaignStatus.EFFECTED):
        raise PermissionDenied
    return viewer, campaign


@login_required
@require_GET
def tableau_pdf_view(request: HttpRequest, pk: int) -> HttpResponse:
    viewer, campaign = _published_reader(request, pk)
    pdf = exports.tableau_pdf(campaign=campaign, by=viewer)  # type: ignore[arg-type]
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="tableau-avancement-{pk}.pdf"'
    return response


@login_required
@require_GET
def tableau_xlsx_view(request: HttpRequest, pk: int) -> HttpResponse:
    viewer, campaign = _published_reader(request, pk)
    data = exports.tableau_xlsx(campaign=campaign, by=viewer)  # type: ignore[arg-type]
    response = HttpResponse(
        data, content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    )
    response["Content-Disposition"] = f'attachment; filename="tableau-avancement-{pk}.xlsx"'
    return response
