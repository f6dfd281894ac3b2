"""An officer's own promotion page: every criterion, every component, the rank, the lacks."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from matricule.accounts.access import signed_in
from matricule.core.forms import flash_service_errors
from matricule.core.once import submit_once
from matricule.corrections.selectors import own_officer
from matricule.promotions.engine import TIE_BREAKS
from matricule.promotions.forms import AppealForm
from matricule.promotions.selectors.campaigns import my_promotion
from matricule.promotions.services.appeals import appeal_file


@login_required
@require_GET
def my_promotion_view(request: HttpRequest) -> HttpResponse:
    officer = own_officer(viewer=signed_in(request))
    mine = my_promotion(officer=officer, today=timezone.localdate())
    return render(
        request,
        "promotions/my_promotion.html",
        {
            "officer": officer,
            "mine": mine,
            "tie_breaks": [t() for t in TIE_BREAKS],
            "appeal_form": AppealForm() if mine.can_appeal else None,
        },
    )


@login_required
@require_POST
@submit_once
def my_appeal_view(request: HttpRequest) -> HttpResponse:
    user = signed_in(request)
    officer = own_officer(viewer=user)
    mine = my_promotion(officer=officer, today=timezone.localdate())
    if mine.campaign is None or not mine.can_appeal:
        raise PermissionDenied
    form = AppealForm(request.POST, request.FILES)
    if not form.is_valid():
        messages.error(request, _("Indiquez le motif et joignez la pièce en PDF."))
        return redirect("promotions:my_promotion")
    try:
        appeal_file(
            campaign=mine.campaign,
            officer=officer,
            reason=form.cleaned_data["reason"],
            scan=form.cleaned_data["scan"].read(),
            by=user,
        )
    except ValidationError as error:
        flash_service_errors(request, error)
    else:
        messages.success(request, _("Votre recours est déposé ; vous serez averti de la décision."))
    return redirect("promotions:my_promotion")
