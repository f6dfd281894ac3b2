"""French first: the interface language is French unless the user chose English."""

from __future__ import annotations

from django.http import HttpRequest
from django.middleware.locale import LocaleMiddleware


class FrenchFirstLocaleMiddleware(LocaleMiddleware):
    """Ignore the browser's Accept-Language; only the language switch (cookie) counts.

    Many browsers in the field are set to English; the service's working language is
    French, so a browser setting must not change it.
    """

    def process_request(self, request: HttpRequest) -> None:
        request.META.pop("HTTP_ACCEPT_LANGUAGE", None)
        super().process_request(request)
