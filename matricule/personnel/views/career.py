"""The career tab and the forms that record or correct a career event."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from matricule.accounts.access import signed_in
from matricule.accounts.roles import Perm
from matricule.accounts.scopes import unit_scope_q
from matricule.core.confirm import Confirmation, confirm_page, is_confirmed, posted_values
from matricule.core.forms import add_service_errors
from matricule.core.models import Unit
from matricule.core.once import submit_once
from matricule.personnel import forms as f
from matricule.personnel.access import record_access_log
from matricule.personnel.models import CareerEvent, Channel, EventKind, Officer, Status
from matricule.personnel.profile import as_of_param, profile_context
from matricule.personnel.selectors import (
    disciplinary_cases_visible,
    discipline_since,
    officer_base,
    officer_events,
    officer_get,
    officer_read,
    viewer_perms_for,
)
from matricule.personnel.services import Act, event_record


@login_required
@require_GET
def officer_career(request: HttpRequest, matricule: str) -> HttpResponse:
    viewer = signed_in(request)
    officer = officer_read(
        viewer=viewer, matricule=matricule, shows="career", sensitive=("discipline",)
    )
    perms = viewer_perms_for(viewer, officer)
    show_all = Perm.AUDIT_VIEW in perms and request.GET.get("tout") == "1"
    since = discipline_since(viewer=viewer, officer=officer)
    events = officer_events(
        officer=officer,
        include_superseded=show_all,
        as_of=as_of_param(request),
        with_discipline=Perm.SEE_DISCIPLINE in perms,
        discipline_from=since,
    )
    # The timeline already loaded serves the "as on a date" replay too.
    context = profile_context(request, viewer=viewer, officer=officer, tab="career", events=events)
    context.update({"show_all": show_all, "events": events})
    context["show_cases"] = Perm.SEE_DISCIPLINE in perms
    if context["show_cases"]:
        # Read with the sanctions: the discipline class is already logged for this view.
        context["cases"] = list(
            disciplinary_cases_visible(viewer=viewer, officer=officer, since=since)
        )
    return render(request, "personnel/officer_career.html", context)


@login_required
@require_http_methods(["GET", "POST"])
@submit_once
def event_create(request: HttpRequest, matricule: str, kind: str) -> HttpResponse:
    return _event_form(request, matricule, kind=kind, correct_pk=None)


@login_required
@require_http_methods(["GET", "POST"])
@submit_once
def event_correct(request: HttpRequest, matricule: str, pk: int) -> HttpResponse:
    return _event_form(request, matricule, kind=None, correct_pk=pk)


def _event_form(
    request: HttpRequest, matricule: str, *, kind: str | None, correct_pk: int | None
) -> HttpResponse:
    viewer = signed_in(request)
    officer = officer_get(viewer=viewer, matricule=matricule, for_edit=True)
    perms = viewer_perms_for(viewer, officer)
    original = None
    initial: dict[str, Any] = {}
    if correct_pk is not None:
        original = officer.events.filter(pk=correct_pk, is_superseded=False).first()
        if original is None:
            raise Http404
        if original.kind == EventKind.SANCTION:
            since = discipline_since(viewer=viewer, officer=officer)
            if since is not None and original.effective_date < since:
                raise Http404  # a sanction from before the secondment: the home agency's
        event_kind = EventKind(original.kind)
        initial = {
            "effective_date": original.effective_date,
            "unit": original.unit_id,
            "grade": original.grade_id,
            "status": original.status,
            "function": original.function,
            "command_role": original.command_role,
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
    if original is not None and request.method == "GET":
        # The form shows the event corrected, a sanction's detail included.
        record_access_log(
            viewer=viewer,
            officers=[officer],
            channel=Channel.SCREEN,
            classes=["career", *(["discipline"] if event_kind == EventKind.SANCTION else [])],
        )
    form_class = f.EVENT_FORMS[event_kind]
    form = form_class(
        request.POST or None,
        officer=officer,
        initial=initial,
        editable_units=Unit.objects.filter(unit_scope_q(viewer, Perm.PERSONNEL_EDIT)),
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        fields = form.event_fields()
        if event_kind == EventKind.EXIT and not is_confirmed(request):
            return _exit_confirmation(request, officer, data, original=original)
        try:
            event = event_record(
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
            add_service_errors(form, error)
        else:
            if not officer_base(viewer=viewer).filter(pk=officer.pk).exists():
                # The save moved the officer out of the clerk's scope: say what was recorded
                # rather than opening a record they can no longer see (a 404).
                recorded = render(
                    request,
                    "personnel/event_recorded.html",
                    {"officer": officer, "event": event, "corrected": original is not None},
                )
                recorded.once_done = True  # type: ignore[attr-defined]  # see core.once
                return recorded
            messages.success(
                request,
                _("Correction enregistrée ; l'ancienne version reste visible des inspecteurs.")
                if original
                else _("Événement enregistré."),
            )
            return redirect("personnel:officer_career", matricule=officer.matricule)
    context = profile_context(request, viewer=viewer, officer=officer, tab="career")
    context.update(
        {
            "form": form,
            "kind_label": EventKind(event_kind).label,
            "original": original,
            "cancel": reverse("personnel:officer_career", args=[officer.matricule]),
        }
    )
    return render(request, "personnel/event_form.html", context)


def _exit_confirmation(
    request: HttpRequest, officer: Officer, data: dict[str, Any], *, original: CareerEvent | None
) -> HttpResponse:
    """What recording an exit (retirement, death…) does, before it is done."""
    reason = Status(data["status"]).label
    name = f"{officer.family_name.upper()} {officer.given_names}"
    consequences = [
        _("La position de l'agent devient « %(s)s » à compter du %(d)s.")
        % {"s": reason, "d": f"{data['effective_date']:%d/%m/%Y}"},
        _("Sa carte professionnelle en cours est révoquée ; une carte en préparation est annulée."),
        _("Son compte de connexion, s'il en a un, est désactivé."),
        _("Aucun événement ne pourra être daté après cette sortie."),
    ]
    if data["status"] == Status.DECEASED:
        consequences.append(_("Le dossier affichera « Décédé » en tête de chaque page."))
    return confirm_page(
        request,
        Confirmation(
            title=_("Confirmer la sortie du service"),
            question=_("Enregistrer la sortie du service de %(name)s (%(m)s) ?")
            % {"name": name, "m": officer.matricule},
            button=_("Enregistrer la sortie du service"),
            consequences=consequences,
            undo=_(
                "Une erreur se corrige ensuite par « Corriger » sur l'événement de sortie "
                "(l'ancienne version reste visible des inspecteurs) ; la carte révoquée ne "
                "redevient pas valide."
            ),
            facts=[
                (_("Motif"), reason),
                (_("Date d'effet"), f"{data['effective_date']:%d/%m/%Y}"),
                (_("Acte"), data.get("act_number") or "—"),
            ],
            hidden=posted_values(request),
            cancel_url=reverse("personnel:officer_career", args=[officer.matricule]),
        ),
    )
