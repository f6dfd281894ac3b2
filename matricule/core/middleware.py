"""Request-wide rules of the core: French first, and no NUL character in any input."""

from __future__ import annotations

import time
from collections.abc import Callable

from django.conf import settings
from django.http import (
    HttpRequest,
    HttpResponse,
    HttpResponseBadRequest,
    JsonResponse,
    QueryDict,
)
from django.middleware.locale import LocaleMiddleware
from django.utils.translation import gettext as _


class FrenchFirstLocaleMiddleware(LocaleMiddleware):
    """Ignore the browser's Accept-Language; only the language switch (cookie) counts.

    Many browsers in the field are set to English; the service's working language is
    French, so a browser setting must not change it.
    """

    def process_request(self, request: HttpRequest) -> None:
        request.META.pop("HTTP_ACCEPT_LANGUAGE", None)
        super().process_request(request)


class RejectNulMiddleware:
    """Answer 400 to a request whose address, query or form fields hold a NUL character.

    PostgreSQL cannot store U+0000 in text, so such a value would otherwise fail deep in
    the database (a 500) on one engine and not the other; no legitimate input has one.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if _has_nul(request):
            message = _("Le caractère nul (U+0000) est interdit dans une requête.")
            if request.path.startswith("/api/"):
                return JsonResponse({"detail": message}, status=400)
            return HttpResponseBadRequest(message, content_type="text/plain; charset=utf-8")
        return self.get_response(request)


def _has_nul(request: HttpRequest) -> bool:
    if "\x00" in request.path or "%00" in request.META.get("QUERY_STRING", ""):
        return True
    if any("\x00" in key or "\x00" in value for key, value in _pairs(request.GET)):
        return True
    content_type = request.META.get("CONTENT_TYPE", "")
    if request.method == "POST" and content_type.startswith(
        ("application/x-www-form-urlencoded", "multipart/form-data")
    ):
        try:
            form = request.POST
        except Exception:  # a malformed body is for the view to refuse, not this check
            return False
        return any("\x00" in key or "\x00" in value for key, value in _pairs(form))
    return False


def _pairs(data: QueryDict) -> list[tuple[str, str]]:
    return [(key, value) for key, values in data.lists() for value in values]


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
