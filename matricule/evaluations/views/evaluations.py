"""The evaluation itself: inbox, the sheet with each step's form, the officer's own, PDF."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from matricule.accounts.access import require_perm, signed_in
from matricule.accounts.models import User
from matricule.accounts.roles import Perm
from matricule.core.audit import audit_record
from matricule.core.forms import add_service_errors
from matricule.core.once import submit_once
from matricule.evaluations import forms as f
from matricule.evaluations import services as s
from matricule.evaluations.access import actions_for
from matricule.evaluations.models import Evaluation, Step
from matricule.evaluations.models.forms import plain
from matricule.evaluations.selectors import (
    evaluation_get,
    hr_queue,
    inbox,
    my_evaluations,
    next_in_inbox,
    overdue,
    rater_calibration,
)
from matricule.personnel.access import record_access_log
from matricule.personnel.models import Channel, Officer
from matricule.personnel.services import ConflictError

MARK_CLASS = ["evaluation"]


def log_read(viewer: User, evaluation: Evaluation, channel: str = Channel.SCREEN) -> None:
    """The mark is sensitive: every reader but the officer leaves a row (personnel.access)."""
    record_access_log(
        viewer=viewer, officers=[evaluation.officer], channel=channel, classes=MARK_CLASS
    )


@login_required
@require_GET
def inbox_view(request: HttpRequest) -> HttpResponse:
    """A rater's inbox: to rate, to review, overdue first; rate in a row from the first."""
    viewer = signed_in(request)
    rows = list(inbox(viewer=viewer))
    today = timezone.localdate()
    for e in rows:
        e.is_overdue = overdue(e, today)  # type: ignore[attr-defined]
        e.waiting = e.status == Step.SELF and e.cycle.self_deadline >= today  # type: ignore[attr-defined]
    first = next((e for e in rows if not e.waiting), None)  # type: ignore[attr-defined]
    return render(
        request,
        "evaluations/inbox.html",
        {"rows": rows, "first": first, "section": "inbox", "today": today},
    )


def _detail_context(
    request: HttpRequest, viewer: User, evaluation: Evaluation, **forms: Any
) -> dict[str, Any]:
    actions = actions_for(viewer, evaluation)
    criteria = list(evaluation.form.criteria.all())
    scores = {sc.criterion_id: sc for sc in evaluation.scores.all()}
    version = {"version": evaluation.version}
    context: dict[str, Any] = {
        "e": evaluation,
        "actions": actions,
        "rows": [(c, scores.get(c.pk)) for c in criteria],
        "due": evaluation.due_date(),
        "overdue": overdue(evaluation),
        "is_officer": viewer.officer_id == evaluation.officer_id,
        "section": "inbox",
    }
    if actions.self_assess:
        context["self_form"] = forms.get("self_form") or f.SelfAssessmentForm(initial=version)
    if actions.rate:
        initial: dict[str, Any] = {**version, "rating_comment": evaluation.rating_comment}
        for c, sc in context["rows"]:
            if sc is not None:
                initial[f"score_{c.pk}"] = sc.score
                initial[f"comment_{c.pk}"] = sc.comment
        context["rate_form"] = forms.get("rate_form") or f.RatingForm(
            initial=initial, evaluation=evaluation, criteria=criteria
        )
    if actions.review:
        context["review_form"] = forms.get("review_form") or f.ReviewForm(initial=version)
        if evaluation.evaluator_id:
            context["calibration"] = rater_calibration(
                cycle=evaluation.cycle, rater_id=evaluation.evaluator_id
            )
    if actions.appeal:
        context["appeal_form"] = forms.get("appeal_form") or f.AppealForm(initial=version)
    if actions.decide:
        context["decide_form"] = forms.get("decide_form") or f.AppealDecisionForm(initial=version)
    if actions.reassign:
        context["reassign_form"] = forms.get("reassign_form") or f.ReassignForm()
    if actions.skip_self or actions.acknowledge:
        context["version"] = evaluation.version
    return context


@login_required
@require_GET
def evaluation_detail_view(request: HttpRequest, pk: int) -> HttpResponse:
    viewer = signed_in(request)
    evaluation = evaluation_get(viewer=viewer, pk=pk)
    log_read(viewer, evaluation)
    return render(
        request, "evaluations/evaluation_detail.html", _detail_context(request, viewer, evaluation)
    )


def _refused(
    request: HttpRequest,
    viewer: User,
    evaluation: Evaluation,
    name: str,
    form: Any,
    error: Exception,
) -> HttpResponse:
    status = 409 if isinstance(error, ConflictError) else 400
    if isinstance(error, ConflictError):
        form.add_error(None, str(error))
    elif isinstance(error, ValidationError) and (hasattr(error, "error_dict") or error.messages):
        add_service_errors(form, error)
    fresh = evaluation_get(viewer=viewer, pk=evaluation.pk)
    return render(
        request,
        "evaluations/evaluation_detail.html",
        _detail_context(request, viewer, fresh, **{name: form}),
        status=status,
    )


def _after(
    request: HttpRequest, viewer: User, evaluation: Evaluation, message: str
) -> HttpResponse:
    messages.success(request, message)
    return redirect("evaluations:detail", pk=evaluation.pk)


@login_required
@require_POST
@submit_once
def self_assess_view(request: HttpRequest, pk: int) -> HttpResponse:
    viewer = signed_in(request)
    evaluation = evaluation_get(viewer=viewer, pk=pk, for_edit=True)
    form = f.SelfAssessmentForm(request.POST)
    if form.is_valid():
        try:
            s.evaluation_self_assess(
                evaluation=evaluation,
                version=form.cleaned_data["version"],
                comment=form.cleaned_data["comment"],
                by=viewer,
            )
        except (ValidationError, ConflictError) as error:
            return _refused(request, viewer, evaluation, "self_form", form, error)
        return _after(request, viewer, evaluation, _("Auto-évaluation remise à votre supérieur."))
    return _refused(request, viewer, evaluation, "self_form", form, ValidationError([]))


@login_required
@require_POST
@submit_once
def rate_view(request: HttpRequest, pk: int) -> HttpResponse:
    """Rate, then go straight to the next evaluation of the inbox."""
    viewer = signed_in(request)
    evaluation = evaluation_get(viewer=viewer, pk=pk, for_edit=True)
    criteria = list(evaluation.form.criteria.all())
    form = f.RatingForm(request.POST, evaluation=evaluation, criteria=criteria)
    if form.is_valid():
        try:
            done = s.evaluation_rate(
                evaluation=evaluation,
                version=form.cleaned_data["version"],
                scores=form.scores(),
                comment=form.cleaned_data["rating_comment"],
                by=viewer,
            )
        except (ValidationError, ConflictError) as error:
            return _refused(request, viewer, evaluation, "rate_form", form, error)
        messages.success(
            request,
            _("%(name)s : note %(mark)s/20 enregistrée.")
            % {"name": evaluation.officer.full_name, "mark": plain(done.rating_mark or Decimal(0))},
        )
        following = next_in_inbox(viewer=viewer, after=done)
        if following is not None:
            return redirect("evaluations:detail", pk=following.pk)
        return redirect("evaluations:inbox")
    return _refused(request, viewer, evaluation, "rate_form", form, ValidationError([]))


@login_required
@require_POST
@submit_once
def skip_self_view(request: HttpRequest, pk: int) -> HttpResponse:
    viewer = signed_in(request)
    evaluation = evaluation_get(viewer=viewer, pk=pk, for_edit=True)
    form = f.VersionedForm(request.POST)
    if form.is_valid():
        try:
            s.evaluation_self_skip(
                evaluation=evaluation, version=form.cleaned_data["version"], by=viewer
            )
        except (ValidationError, ConflictError) as error:
            messages.error(request, " ".join(getattr(error, "messages", [str(error)])))
        else:
            messages.success(request, _("Auto-évaluation passée : l'évaluation peut être notée."))
    return redirect("evaluations:detail", pk=evaluation.pk)


@login_required
@require_POST
@submit_once
def review_view(request: HttpRequest, pk: int) -> HttpResponse:
    viewer = signed_in(request)
    evaluation = evaluation_get(viewer=viewer, pk=pk, for_edit=True)
    form = f.ReviewForm(request.POST)
    if form.is_valid():
        try:
            s.evaluation_review(
                evaluation=evaluation,
                version=form.cleaned_data["version"],
                decision=form.cleaned_data["decision"],
                mark=form.cleaned_data["mark"],
                justification=form.cleaned_data["justification"],
                by=viewer,
            )
        except (ValidationError, ConflictError) as error:
            return _refused(request, viewer, evaluation, "review_form", form, error)
        following = next_in_inbox(viewer=viewer, after=evaluation)
        messages.success(request, _("Revue enregistrée ; l'agent en est informé."))
        if following is not None:
            return redirect("evaluations:detail", pk=following.pk)
        return redirect("evaluations:inbox")
    return _refused(request, viewer, evaluation, "review_form", form, ValidationError([]))


@login_required
@require_POST
@submit_once
def acknowledge_view(request: HttpRequest, pk: int) -> HttpResponse:
    viewer = signed_in(request)
    evaluation = evaluation_get(viewer=viewer, pk=pk, for_edit=True)
    form = f.VersionedForm(request.POST)
    if form.is_valid():
        try:
            s.evaluation_acknowledge(
                evaluation=evaluation, version=form.cleaned_data["version"], by=viewer
            )
        except (ValidationError, ConflictError) as error:
            messages.error(request, " ".join(getattr(error, "messages", [str(error)])))
        else:
            messages.success(request, _("Vous avez pris connaissance de votre évaluation."))
    return redirect("evaluations:detail", pk=evaluation.pk)


@login_required
@require_POST
@submit_once
def appeal_view(request: HttpRequest, pk: int) -> HttpResponse:
    viewer = signed_in(request)
    evaluation = evaluation_get(viewer=viewer, pk=pk, for_edit=True)
    form = f.AppealForm(request.POST)
    if form.is_valid():
        try:
            s.evaluation_appeal(
                evaluation=evaluation,
                version=form.cleaned_data["version"],
                reason=form.cleaned_data["reason"],
                by=viewer,
            )
        except (ValidationError, ConflictError) as error:
            return _refused(request, viewer, evaluation, "appeal_form", form, error)
        return _after(
            request, viewer, evaluation, _("Votre recours est transmis aux ressources humaines.")
        )
    return _refused(request, viewer, evaluation, "appeal_form", form, ValidationError([]))


@login_required
@require_POST
@submit_once
def decide_view(request: HttpRequest, pk: int) -> HttpResponse:
    viewer = signed_in(request)
    evaluation = evaluation_get(viewer=viewer, pk=pk, for_edit=True)
    form = f.AppealDecisionForm(request.POST)
    if form.is_valid():
        try:
            s.evaluation_appeal_decide(
                evaluation=evaluation,
                version=form.cleaned_data["version"],
                decision=form.cleaned_data["decision"],
                mark=form.cleaned_data["mark"],
                reasons=form.cleaned_data["reasons"],
                by=viewer,
            )
        except (ValidationError, ConflictError) as error:
            return _refused(request, viewer, evaluation, "decide_form", form, error)
        return _after(
            request, viewer, evaluation, _("Décision enregistrée ; l'agent en est informé.")
        )
    return _refused(request, viewer, evaluation, "decide_form", form, ValidationError([]))


def _officer_by_matricule(field: str, value: str) -> Officer | None:
    if not value.strip():
        return None
    officer = Officer.objects.filter(matricule=value.strip().upper()).first()
    if officer is None:
        raise ValidationError({field: _("Aucun agent n'a ce matricule.")})
    return officer


@login_required
@require_POST
@submit_once
def reassign_view(request: HttpRequest, pk: int) -> HttpResponse:
    viewer = require_perm(request, Perm.EVALUATION_MANAGE)
    evaluation = evaluation_get(viewer=viewer, pk=pk, for_edit=True)
    form = f.ReassignForm(request.POST)
    if form.is_valid():
        try:
            s.evaluation_reassign(
                evaluation=evaluation,
                evaluator=_officer_by_matricule("evaluator", form.cleaned_data["evaluator"]),
                reviewer=_officer_by_matricule("reviewer", form.cleaned_data["reviewer"]),
                reason=form.cleaned_data["reason"],
                by=viewer,
            )
        except (ValidationError, ConflictError) as error:
            return _refused(request, viewer, evaluation, "reassign_form", form, error)
        return _after(request, viewer, evaluation, _("Désignation enregistrée."))
    return _refused(request, viewer, evaluation, "reassign_form", form, ValidationError([]))


@login_required
@require_GET
def my_evaluations_view(request: HttpRequest) -> HttpResponse:
    """« Mes évaluations » in the officer's own space (/moi/evaluations/)."""
    viewer = signed_in(request)
    return render(
        request,
        "evaluations/my_evaluations.html",
        {"rows": my_evaluations(viewer=viewer), "tab": "evaluations"},
    )


@login_required
@require_GET
def hr_queue_view(request: HttpRequest) -> HttpResponse:
    """« Évaluateur à désigner »: evaluations waiting for HR to name a rater."""
    viewer = require_perm(request, Perm.EVALUATION_MANAGE)
    page = Paginator(hr_queue(viewer=viewer), 50).get_page(request.GET.get("page"))
    return render(request, "evaluations/hr_queue.html", {"page": page, "section": "queue"})


@login_required
@require_GET
def sheet_pdf_view(request: HttpRequest, pk: int) -> HttpResponse:
    """The evaluation sheet (fiche de notation) as a French PDF with signature blocks."""
    from weasyprint import HTML

    viewer = signed_in(request)
    evaluation = evaluation_get(viewer=viewer, pk=pk)
    log_read(viewer, evaluation, Channel.PDF)
    audit_record(
        by=viewer,
        action="evaluation.sheet.print",
        obj=evaluation,
        subject_officer_id=evaluation.officer_id,
    )
    criteria = list(evaluation.form.criteria.all())
    scores = {sc.criterion_id: sc for sc in evaluation.scores.all()}
    html = render_to_string(
        "evaluations/sheet_pdf.html",
        {
            "e": evaluation,
            "rows": [(c, scores.get(c.pk)) for c in criteria],
            "printed_at": timezone.localtime(),
        },
        request=request,
    )
    pdf = HTML(string=html, base_url=request.build_absolute_uri("/")).write_pdf()
    response = HttpResponse(pdf, content_type="application/pdf")
    name = f"fiche-notation-{evaluation.cycle.year}-{evaluation.officer.matricule}.pdf"
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response
