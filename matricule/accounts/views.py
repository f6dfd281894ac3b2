"""Login, logout, password change and the second factor."""

from __future__ import annotations

import base64

import segno
from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.contrib.auth.forms import PasswordChangeForm
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse, reverse_lazy
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods
from django_otp import login as otp_login
from django_otp.plugins.otp_totp.models import TOTPDevice

from matricule.accounts.access import signed_in
from matricule.accounts.forms import OtpTokenForm
from matricule.accounts.services import (
    notifications_mark_read,
    password_changed,
    totp_device_confirm,
    totp_device_pending,
)


class LoginView(auth_views.LoginView):
    template_name = "accounts/login.html"
    redirect_authenticated_user = True


class PasswordChangeView(auth_views.PasswordChangeView):
    template_name = "accounts/password_change.html"
    form_class = PasswordChangeForm
    success_url = reverse_lazy("web:home")

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
    return reverse("web:home")


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
@require_GET
def notifications(request: HttpRequest) -> HttpResponse:
    user = signed_in(request)
    items = list(user.notifications.all()[:100])
    notifications_mark_read(user=user)
    return render(request, "accounts/notifications.html", {"items": items})
