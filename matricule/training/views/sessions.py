"""Training screens: catalogue and sessions (nominations, attendance, results, closing)."""

from __future__ import annotations

import datetime
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db import transaction
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from matricule.accounts.access import (
    AgencyChoiceNeeded,
    acting_agency,
    agency_choice_page,
    require_perm,
)
from matricule.accounts.models import User
from matricule.accounts.roles import Perm
from matricule.accounts.scopes import agency_ids_with
from matricule.core.confirm import Confirmation, confirm_page, is_confirmed
from matricule.core.forms import add_service_errors, flash_service_errors
from matricule.training import forms as f
from matricule.training import services as s
from matricule.training.models import (
    SEATED,
    Certificate,
    Enrolment,
    EnrolmentState,
    SessionStatus,
)
from matricule.training.selectors import (
    nominee_get,
    seated_count,
    session_close_preview,
    session_get,
    session_list,
    visible_enrolments,
)

PAGE_SIZE = 50

# Buttons named by what they do, not by the state they lead to.
STATUS_BUTTONS: dict[str, Any] = {
    SessionStatus.OPEN: gettext_lazy("Ouvrir les inscriptions"),
    SessionStatus.RUNNING: gettext_lazy("Commencer la session"),
    SessionStatus.PLANNED: gettext_lazy("Fermer les inscriptions"),
    SessionStatus.CANCELLED: gettext_lazy("Annuler la session"),
    SessionStatus.CLOSED: gettext_lazy("Clôturer la session"),
}


# --- Sessions --------------------------------------------------------------------------


@login_required
@require_GET
def session_index(request: HttpRequest) -> HttpResponse:
    viewer = require_perm(request, Perm.TRAINING_MANAGE, Perm.TRAINING_NOMINATE)
    status = request.GET.get("status", "")
    if status not in SessionStatus.values:
        status = ""
    qs = session_list(viewer=viewer, status=status)
    page = Paginator(qs, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "training/session_list.html",
        {
            "page": page,
            "status": status,
            "statuses": SessionStatus.choices,
            "can_manage": viewer.has_perm_anywhere(Perm.TRAINING_MANAGE),
            "query": f"status={status}" if status else "",
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def session_create_view(request: HttpRequest) -> HttpResponse:
    viewer = require_perm(request, Perm.TRAINING_MANAGE)
    try:
        agency = acting_agency(viewer, Perm.TRAINING_MANAGE, requested=request.GET.get("agency"))
    except AgencyChoiceNeeded as choice:
        return agency_choice_page(request, choice)
    form = f.SessionForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            session = s.session_create(
                agency=agency,
                course=data["course"],
                start_date=data["start_date"],
                end_date=data["end_date"],
                venue=data["venue"],
                capacity=data["capacity"],
                partner=data["partner"],
                by=viewer,
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("Session créée."))
            return redirect("training:session_detail", pk=session.pk)
    return render(request, "training/session_form.html", {"form": form})


@login_required
@require_GET
def session_detail(request: HttpRequest, pk: int) -> HttpResponse:
    viewer = require_perm(request, Perm.TRAINING_MANAGE, Perm.TRAINING_NOMINATE)
    session = session_get(viewer=viewer, pk=pk)
    manage = session.agency_id in agency_ids_with(viewer, Perm.TRAINING_MANAGE)
    enrolments = visible_enrolments(viewer=viewer, session=session)
    certificates = {
        c.enrolment_id: c for c in Certificate.objects.filter(enrolment__session=session)
    }
    for enrolment in enrolments:
        enrolment.cert = certificates.get(enrolment.pk)  # type: ignore[attr-defined]
    days = [session.start_date + datetime.timedelta(days=i) for i in range(min(session.days, 60))]
    return render(
        request,
        "training/session_detail.html",
        {
            "session": session,
            "manage": manage,
            "enrolments": enrolments,
            "seated": seated_count(session),
            "trainers": list(session.trainers.select_related("officer")),
            "days": days,
            "nominate_form": f.NominateForm(prefix="n"),
            "trainer_form": f.TrainerForm(prefix="t"),
            "open": session.status in (SessionStatus.PLANNED, SessionStatus.OPEN),
            "finished": session.status in (SessionStatus.CLOSED, SessionStatus.CANCELLED),
            "today": timezone.localdate(),
            "next_statuses": [
                (value, STATUS_BUTTONS[value])
                for value in SessionStatus.values
                if value in s.sessions.ALLOWED_STATUS.get(SessionStatus(session.status), ())
            ],
            "can_close": session.end_date <= timezone.localdate(),
        },
    )


@login_required
@require_POST
def session_status_view(request: HttpRequest, pk: int) -> HttpResponse:
    viewer = require_perm(request, Perm.TRAINING_MANAGE)
    session = session_get(viewer=viewer, pk=pk, for_manage=True)
    status = request.POST.get("status", "")
    if status == SessionStatus.CANCELLED and not is_confirmed(request):
        seated = seated_count(session)
        return confirm_page(
            request,
            Confirmation(
                title=_("Annuler la session"),
                question=_("Annuler la session « %(c)s » du %(a)s au %(b)s ?")
                % {
                    "c": session.course.title_fr,
                    "a": f"{session.start_date:%d/%m/%Y}",
                    "b": f"{session.end_date:%d/%m/%Y}",
                },
                button=_("Annuler la session"),
                consequences=[
                    _("%(n)d stagiaire(s) inscrit(s) ne suivront pas cette session.")
                    % {"n": seated},
                    _("Aucun certificat ne sera délivré et aucune compétence accordée."),
                    _("La session ne peut plus être rouverte : programmez-en une nouvelle."),
                ],
                hidden={"status": status},
                cancel_url=reverse("training:session_detail", args=[session.pk]),
            ),
        )
    try:
        s.session_status_set(session=session, status=status, by=viewer)
    except ValidationError as error:
        flash_service_errors(request, error)
    else:
        messages.success(request, _("État de la session mis à jour."))
    return redirect("training:session_detail", pk=session.pk)


@login_required
@require_POST
def trainer_add_view(request: HttpRequest, pk: int) -> HttpResponse:
    viewer = require_perm(request, Perm.TRAINING_MANAGE)
    session = session_get(viewer=viewer, pk=pk, for_manage=True)
    form = f.TrainerForm(request.POST, prefix="t")
    if form.is_valid():
        data = form.cleaned_data
        officer = None
        if data["matricule"]:
            officer = nominee_get(viewer=viewer, matricule=data["matricule"])
            if officer is None or officer.agency_id != session.agency_id:
                messages.error(
                    request, _("Agent introuvable : « %(m)s ».") % {"m": data["matricule"]}
                )
                return redirect("training:session_detail", pk=session.pk)
        try:
            s.session_trainer_add(
                session=session,
                officer=officer,
                external_name=data["external_name"],
                role=data["role"],
                by=viewer,
            )
        except ValidationError as error:
            flash_service_errors(request, error)
        else:
            messages.success(request, _("Formateur ajouté."))
    else:
        messages.error(request, _("Formulaire incomplet."))
    return redirect("training:session_detail", pk=session.pk)


@login_required
@require_POST
def nominate_view(request: HttpRequest, pk: int) -> HttpResponse:
    viewer = require_perm(request, Perm.TRAINING_MANAGE, Perm.TRAINING_NOMINATE)
    session = session_get(viewer=viewer, pk=pk)
    form = f.NominateForm(request.POST, prefix="n")
    if not form.is_valid():
        messages.error(request, _("Indiquez le matricule de l'agent."))
        return redirect("training:session_detail", pk=session.pk)
    officer = nominee_get(viewer=viewer, matricule=form.cleaned_data["matricule"])
    try:
        if officer is None:
            raise PermissionDenied
        enrolment = s.enrolment_nominate(session=session, officer=officer, by=viewer)
    except PermissionDenied:
        messages.error(
            request,
            _("Agent introuvable dans votre périmètre : « %(m)s ».")
            % {"m": form.cleaned_data["matricule"]},
        )
    except ValidationError as error:
        flash_service_errors(request, error)
    else:
        if enrolment.state == EnrolmentState.WAITING:
            messages.warning(
                request,
                _("Session complète : %(n)s est placé sur la liste d'attente.")
                % {"n": enrolment.officer.full_name},
            )
        else:
            messages.success(request, _("%(n)s est proposé.") % {"n": enrolment.officer.full_name})
    return redirect("training:session_detail", pk=session.pk)


def _enrolment_for(viewer: User, session_pk: int, pk: int, *, manage: bool) -> Enrolment:
    session = session_get(viewer=viewer, pk=session_pk, for_manage=manage)
    enrolment = next(
        (e for e in visible_enrolments(viewer=viewer, session=session) if e.pk == pk), None
    )
    if enrolment is None:
        raise Http404
    return enrolment


@login_required
@require_POST
def enrolment_action_view(
    request: HttpRequest, pk: int, enrolment_pk: int, action: str
) -> HttpResponse:
    """Confirm (training officer) or withdraw (training officer or the nominating unit head)."""
    if action not in ("confirmer", "retirer"):
        raise Http404
    viewer = require_perm(request, Perm.TRAINING_MANAGE, Perm.TRAINING_NOMINATE)
    enrolment = _enrolment_for(viewer, pk, enrolment_pk, manage=action == "confirmer")
    try:
        if action == "confirmer":
            s.enrolment_confirm(enrolment=enrolment, by=viewer)
            messages.success(request, _("Inscription confirmée."))
        else:
            promoted = s.enrolment_withdraw(enrolment=enrolment, by=viewer)
            messages.success(request, _("Agent retiré de la session."))
            if promoted is not None:
                messages.info(
                    request,
                    _("%(n)s passe de la liste d'attente aux inscrits.")
                    % {"n": promoted.officer.full_name},
                )
    except ValidationError as error:
        flash_service_errors(request, error)
    return redirect("training:session_detail", pk=pk)


@login_required
@require_http_methods(["GET", "POST"])
def attendance_view(request: HttpRequest, pk: int, day: str) -> HttpResponse:
    viewer = require_perm(request, Perm.TRAINING_MANAGE)
    session = session_get(viewer=viewer, pk=pk, for_manage=True)
    try:
        date = datetime.date.fromisoformat(day)
    except ValueError:
        raise Http404 from None
    if not session.start_date <= date <= session.end_date:
        raise Http404
    enrolments = [
        e for e in visible_enrolments(viewer=viewer, session=session) if e.state in SEATED
    ]
    if request.method == "POST":
        present = {int(v) for v in request.POST.getlist("present") if v.isdigit()}
        try:
            s.attendance_record(session=session, day=date, present=present, by=viewer)
        except ValidationError as error:
            flash_service_errors(request, error)
        else:
            messages.success(
                request, _("Présences du %(d)s enregistrées.") % {"d": f"{date:%d/%m/%Y}"}
            )
            return redirect("training:session_detail", pk=session.pk)
    marks = {
        e.pk: next((a.present for a in e.attendance.all() if a.day == date), None)
        for e in enrolments
    }
    return render(
        request,
        "training/attendance_form.html",
        {"session": session, "day": date, "rows": [(e, marks[e.pk]) for e in enrolments]},
    )


@login_required
@require_http_methods(["GET", "POST"])
def results_view(request: HttpRequest, pk: int) -> HttpResponse:
    viewer = require_perm(request, Perm.TRAINING_MANAGE)
    session = session_get(viewer=viewer, pk=pk, for_manage=True)
    enrolments = [
        e for e in visible_enrolments(viewer=viewer, session=session) if e.state in SEATED
    ]
    forms_ = [
        (
            e,
            f.ResultForm(
                request.POST or None,
                prefix=f"e{e.pk}",
                initial={"result": e.result, "score": e.score},
            ),
        )
        for e in enrolments
    ]
    if request.method == "POST" and all(form.is_valid() for _e, form in forms_):
        problems = 0
        # All rows or none: a refused row must not leave the others half saved.
        with transaction.atomic():
            for enrolment, form in forms_:
                result = form.cleaned_data["result"]
                if not result:
                    continue
                try:
                    s.result_record(
                        enrolment=enrolment,
                        result=result,
                        score=form.cleaned_data["score"],
                        by=viewer,
                    )
                except ValidationError as error:
                    problems += 1
                    add_service_errors(form, error)
            if problems:
                transaction.set_rollback(True)
        if problems:
            messages.error(request, _("Des résultats sont refusés : rien n'a été enregistré."))
        else:
            messages.success(request, _("Résultats enregistrés."))
            return redirect("training:session_detail", pk=session.pk)
    return render(request, "training/results_form.html", {"session": session, "rows": forms_})


@login_required
@require_POST
def session_close_view(request: HttpRequest, pk: int) -> HttpResponse:
    viewer = require_perm(request, Perm.TRAINING_MANAGE)
    session = session_get(viewer=viewer, pk=pk, for_manage=True)
    preview = session_close_preview(session=session)
    form = f.CloseAcknowledgeForm(
        request.POST if is_confirmed(request) else None, required=bool(preview.warnings)
    )
    if not (is_confirmed(request) and form.is_valid()):
        return confirm_page(
            request,
            Confirmation(
                title=_("Clôturer la session"),
                question=_("Clôturer la session « %(c)s » ?") % {"c": session.course.title_fr},
                button=_("Clôturer la session"),
                consequences=preview.consequences,
                warnings=preview.warnings,
                form=form,
                danger=bool(preview.warnings),
                cancel_url=reverse("training:session_detail", args=[session.pk]),
            ),
        )
    try:
        summary = s.session_close(session=session, by=viewer)
    except ValidationError as error:
        flash_service_errors(request, error)
    else:
        messages.success(
            request,
            _("Session clôturée : %(c)s certificat(s) délivré(s), %(k)s compétence(s) accordée(s).")
            % {"c": len(summary.certificates), "k": summary.skills},
        )
    return redirect("training:session_detail", pk=session.pk)
