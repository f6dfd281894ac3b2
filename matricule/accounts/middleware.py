"""Request-wide security policy: audit IP, forced password change, two-factor, CSP."""

from __future__ import annotations

from collections.abc import Callable

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.http import urlencode

from matricule.core.audit import current_ip
from matricule.core.net import client_ip

# Paths a user may reach before finishing their password change or second factor.
_OPEN_PREFIXES = ("/static/", "/healthz", "/i18n/", "/api/", "/v/", "/verify/")

CONTENT_SECURITY_POLICY = (
    "default-src 'self'; img-src 'self' data: blob:; style-src 'self'; script-src 'self'; "
    "connect-src 'self'; font-src 'self'; object-src 'none'; base-uri 'self'; "
    "form-action 'self'; frame-ancestors 'none'"
)


class SecurityPolicyMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        token = current_ip.set(client_ip(request))
        try:
            response = self._gate(request) or self.get_response(request)
        finally:
            current_ip.reset(token)
        response.headers.setdefault("Content-Security-Policy", CONTENT_SECURITY_POLICY)
        return response

    def _gate(self, request: HttpRequest) -> HttpResponse | None:
        user = request.user
        if not user.is_authenticated or request.path.startswith(_OPEN_PREFIXES):
            return None
        exempt = {
            reverse("accounts:logout"),
            reverse("accounts:password_change"),
            reverse("accounts:otp_setup"),
            reverse("accounts:otp_verify"),
        }
        if request.path in exempt:
            return None
        if getattr(user, "must_change_password", False):
            return redirect("accounts:password_change")
        if (
            settings.MATRICULE_REQUIRE_2FA and user.needs_two_factor and not user.is_verified()  # type: ignore[attr-defined]  # set by OTPMiddleware
        ):
            # Come back to the page asked for once the code is entered.
            return redirect(
                f"{reverse('accounts:otp_verify')}?{urlencode({'next': request.get_full_path()})}"
            )
        return None
