"""Login, logout, password change and the second factor."""

from __future__ import annotations

import base64

import segno
from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.contrib.auth.forms import PasswordChangeForm
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse, reverse_lazy
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods
from django_otp import login as otp_login
from django_otp.plugins.otp_totp.models import TOTPDevice

from matricule.accounts.forms import OtpTokenForm
from matricule.accounts.services import password_changed, totp_device_confirm, totp_device_pending


class LoginView(auth_views.LoginView):
    template_name = "accounts/login.html"
    redirect_authenticated_user = True


class PasswordChangeView(auth_views.PasswordChangeView):
    template_name = "accounts/password_change.html"
    form_class = PasswordChangeForm
    success_url = reverse_lazy("core:home")

    def form_valid(self, form: PasswordChangeForm) -> HttpResponse:
        response = super().form_valid(form)
        password_changed(user=self.request.user)  # type: ignore[arg-type]
        messages.success(self.request, _("Votre mot de passe a été changé."))
        return response


def _safe_next(request: HttpRequest) -> str:
    target = request.GET.get("next", "")
    if target and url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return target
    return reverse("core:home")


@login_required
@require_http_methods(["GET", "POST"])
def otp_verify(request: HttpRequest) -> HttpResponse:
    user = request.user
    devices = list(TOTPDevice.objects.filter(user=user, confirmed=True))
    if not devices:
        return redirect(f"{reverse('accounts:otp_setup')}?{request.GET.urlencode()}")
    form = OtpTokenForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        token = form.cleaned_data["token"].strip()
        for device in devices:
            if device.verify_token(token):
                otp_login(request, device)
                return redirect(_safe_next(request))
        form.add_error("token", _("Code incorrect ou expiré. Réessayez avec le code actuel."))
    return render(request, "accounts/otp_verify.html", {"form": form})


@login_required
@require_http_methods(["GET", "POST"])
def otp_setup(request: HttpRequest) -> HttpResponse:
    user = request.user
    if TOTPDevice.objects.filter(user=user, confirmed=True).exists():
        return redirect("accounts:otp_verify")
    device = totp_device_pending(user=user)  # type: ignore[arg-type]
    form = OtpTokenForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        if totp_device_confirm(device=device, token=form.cleaned_data["token"].strip(), by=user):  # type: ignore[arg-type]
            otp_login(request, device)
            messages.success(request, _("La double authentification est activée."))
            return redirect(_safe_next(request))
        form.add_error("token", _("Code incorrect. Vérifiez l'heure du téléphone et réessayez."))
    qr_svg = segno.make(device.config_url, error="m").svg_inline(scale=4, omitsize=False)
    return render(
        request,
        "accounts/otp_setup.html",
        {"form": form, "qr_svg": qr_svg, "secret": base64.b32encode(device.bin_key).decode()},
    )


@login_required
@require_http_methods(["GET", "POST"])
def officer_accounts(request: HttpRequest) -> HttpResponse:
    """HR opens accounts for a unit's officers and prints their one-time passwords."""
    from django.template.loader import render_to_string
    from django.utils import timezone
    from weasyprint import HTML

    from matricule.accounts.models import User
    from matricule.accounts.roles import Perm
    from matricule.accounts.scopes import unit_scope_q
    from matricule.accounts.services import officer_accounts_create
    from matricule.core.models import Unit

    user = request.user
    if not isinstance(user, User) or not user.has_perm_anywhere(Perm.PERSONNEL_EDIT):
        raise PermissionDenied
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
                return redirect("accounts:officer_accounts")
            html = render_to_string(
                "accounts/account_sheet.html",
                {
                    "unit": unit,
                    "rows": created,
                    "printed_at": timezone.localtime(),
                    "login_url": request.build_absolute_uri(reverse("accounts:login")),
                },
            )
            pdf = HTML(string=html).write_pdf()
            response = HttpResponse(pdf, content_type="application/pdf")
            response["Content-Disposition"] = (
                f'attachment; filename="comptes-{unit.code}-{timezone.localdate():%Y%m%d}.pdf"'
            )
            return response
    return render(
        request, "accounts/officer_accounts.html", {"units": units.order_by("path"), "error": error}
    )
