"""HR opens self-service accounts for a unit's officers and prints their one-time passwords."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods
from weasyprint import HTML

from matricule.accounts.access import require_perm
from matricule.accounts.roles import Perm
from matricule.accounts.scopes import unit_scope_q
from matricule.core.models import Unit
from matricule.personnel.services import officer_accounts_create


@login_required
@require_http_methods(["GET", "POST"])
def officer_accounts(request: HttpRequest) -> HttpResponse:
    user = require_perm(request, Perm.PERSONNEL_EDIT)
    units = Unit.objects.filter(unit_scope_q(user, Perm.PERSONNEL_EDIT), is_active=True)
    error = ""
    if request.method == "POST":
        unit = units.filter(pk=request.POST.get("unit") or 0).first()
        if unit is None:
            error = _("Choisissez une unité de votre périmètre.")
        else:
            created = officer_accounts_create(unit=unit, by=user)
            if not created:
                messages.info(
                    request, _("Tous les agents en service de cette unité ont déjà un compte.")
                )
                return redirect("officer_accounts")
            html = render_to_string(
                "accounts/account_sheet.html",
                {
                    "unit": unit,
                    "rows": created,
                    "printed_at": timezone.localtime(),
                    "login_url": request.build_absolute_uri(reverse("accounts:login")),
                },
            )
            response = HttpResponse(HTML(string=html).write_pdf(), content_type="application/pdf")
            response["Content-Disposition"] = (
                f'attachment; filename="comptes-{unit.code}-{timezone.localdate():%Y%m%d}.pdf"'
            )
            return response
    return render(
        request, "accounts/officer_accounts.html", {"units": units.order_by("path"), "error": error}
    )
