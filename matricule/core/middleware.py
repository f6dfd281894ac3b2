"""French first: the interface language is French unless the user chose English."""

from __future__ import annotations

import time
from collections.abc import Callable

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.middleware.locale import LocaleMiddleware


class FrenchFirstLocaleMiddleware(LocaleMiddleware):
    """Ignore the browser's Accept-Language; only the language switch (cookie) counts.

    Many browsers in the field are set to English; the service's working language is
    French, so a browser setting must not change it.
    """

    def process_request(self, request: HttpRequest) -> None:
        request.META.pop("HTTP_ACCEPT_LANGUAGE", None)
        super().process_request(request)


class SessionRefreshMiddleware:
    """Keep idle expiry without rewriting the session row on every request.

    With SESSION_SAVE_EVERY_REQUEST each page view was an UPDATE (on SQLite, a write lock
    per read). Here an unchanged session is saved — which moves its expiry — only once
    its last refresh is SESSION_REFRESH_SECONDS old: idle users are still signed out
    after SESSION_COOKIE_AGE, give or take that interval.
    """

    KEY = "_refreshed_at"

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        session = getattr(request, "session", None)
        if session is None or session.modified or session.is_empty():
            return response
        now = int(time.time())
        last = session.get(self.KEY)
        if not isinstance(last, int) or now - last >= settings.SESSION_REFRESH_SECONDS:
            session[self.KEY] = now  # marks it modified: SessionMiddleware saves it
        return response
