"""The request-wide policy records the connection's address for the audit trail."""

from __future__ import annotations

from django.test import RequestFactory


def test_the_audit_address_is_the_connection_without_a_trusted_proxy(settings):
    from django.contrib.auth.models import AnonymousUser
    from django.http import HttpResponse

    from matricule.accounts.middleware import SecurityPolicyMiddleware
    from matricule.core.audit import current_ip

    settings.MATRICULE_TRUSTED_PROXIES = []
    seen = []

    def view(request):
        seen.append(current_ip.get())  # what every audit entry of this request records
        return HttpResponse()

    request = RequestFactory().get("/", REMOTE_ADDR="198.51.100.20", HTTP_X_REAL_IP="10.66.66.66")
    request.user = AnonymousUser()
    SecurityPolicyMiddleware(view)(request)
    assert seen == ["198.51.100.20"]
