"""`Idempotency-Key` on API writes: the same request sent twice writes once.

A client that cannot tell whether its POST arrived (a cut link, a timeout) sends it again
with the same `Idempotency-Key` header and gets the first answer back, marked
`Idempotent-Replayed: true`, without a second write. The same key with another request
(method, path or body) is refused with 422. Keys belong to the token's user and are kept
24 hours.

How it holds under concurrency: the key row is inserted in the same transaction as the
write, before it. A second request with the same key waits on the unique index
(PostgreSQL) or on the write lock (SQLite) until the first commits, then finds the row
and replays its answer; if the first failed (5xx, crash) nothing of it stays, key
included, and the second runs normally.

The whole API goes through `idempotent_urls(api.urls)` in matricule/urls.py: no endpoint
has anything to do.
"""

from __future__ import annotations

import functools
import hashlib
import json
from collections.abc import Callable
from typing import Any

from django.db import DatabaseError, IntegrityError, transaction
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.http.response import HttpResponseBase
from django.urls import URLPattern, URLResolver
from django.utils import timezone
from django.utils.translation import gettext as _

from matricule.accounts.models import User
from matricule.api.auth import token_lookup
from matricule.core.models import IdempotencyKey

HEADER = "Idempotency-Key"
REPLAYED = "Idempotent-Replayed"
KEEP = IdempotencyKey.KEEP
WRITES = {"POST", "PUT", "PATCH", "DELETE"}

View = Callable[..., HttpResponseBase]


class _Rollback(Exception):
    def __init__(self, response: HttpResponseBase) -> None:
        self.response = response


def _refusal(status: int, detail: str) -> JsonResponse:
    return JsonResponse({"detail": detail}, status=status)


def _bearer_user(request: HttpRequest) -> User | None:
    scheme, _sep, raw = request.headers.get("Authorization", "").partition(" ")
    if scheme.lower() != "bearer" or not raw.strip():
        return None
    found = token_lookup(raw.strip())
    return found.user if found is not None else None


def _body_hash(request: HttpRequest) -> str:
    """The request's content; multipart parts are compared by value, not by boundary."""
    digest = hashlib.sha256(request.method.encode() if request.method else b"")
    if request.content_type == "multipart/form-data":
        # Parsed (files streamed, not read into request.body, which is capped at
        # DATA_UPLOAD_MAX_MEMORY_SIZE); ninja then reads the same parsed parts.
        fields = sorted((k, v) for k in request.POST for v in request.POST.getlist(k))
        files = []
        for name in sorted(request.FILES):
            for upload in request.FILES.getlist(name):
                upload.seek(0)
                files.append((name, upload.name, hashlib.sha256(upload.read()).hexdigest()))
                upload.seek(0)
        digest.update(json.dumps([fields, files]).encode())
    else:
        digest.update(request.body)  # kept in memory: ninja parses it again from there
    return digest.hexdigest()


def _replay(record: IdempotencyKey) -> HttpResponse:
    response = HttpResponse(
        bytes(record.response_body),
        status=record.status,
        content_type=record.content_type or "application/json",
    )
    response[REPLAYED] = "true"
    return response


def idempotent(view: View) -> View:
    """Wrap one API view (see the module docstring)."""

    @functools.wraps(view)
    def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
        key = request.headers.get(HEADER)
        if key is None or request.method not in WRITES:
            return view(request, *args, **kwargs)
        if not 1 <= len(key) <= 255 or not key.isprintable() or not key.isascii():
            return _refusal(
                400, _("En-tête Idempotency-Key invalide : de 1 à 255 caractères visibles.")
            )
        user = _bearer_user(request)
        if user is None:
            return view(request, *args, **kwargs)  # the API answers 401 itself
        method, path, body_hash = request.method, request.path[:500], _body_hash(request)
        IdempotencyKey.objects.filter(
            user=user, key=key, created_at__lt=timezone.now() - KEEP
        ).delete()
        try:
            with transaction.atomic():
                try:
                    with transaction.atomic():
                        record = IdempotencyKey.objects.create(
                            user=user,
                            key=key,
                            method=method,
                            path=path,
                            body_hash=body_hash,
                            status=0,
                            response_body=b"",
                        )
                except IntegrityError:
                    record = None
                if record is not None:
                    response = view(request, *args, **kwargs)
                    if response.status_code >= 500 or response.streaming:
                        raise _Rollback(response)
                    record.status = response.status_code
                    record.content_type = response.get("Content-Type", "")[:100]
                    record.response_body = response.content  # type: ignore[attr-defined]
                    try:
                        record.save(update_fields=["status", "content_type", "response_body"])
                    except DatabaseError:
                        # The view left the transaction unusable: give its answer, keep
                        # nothing (a retry runs again).
                        raise _Rollback(response) from None
                    return response
        except _Rollback as rollback:
            return rollback.response
        # Someone else holds (held) this key: their answer, if it is the same request.
        earlier = IdempotencyKey.objects.filter(user=user, key=key).first()
        if earlier is None:  # expired and purged in between: run it
            return wrapper(request, *args, **kwargs)
        if (earlier.method, earlier.path, earlier.body_hash) != (method, path, body_hash):
            return _refusal(
                422,
                _(
                    "Cette clé d'idempotence a déjà servi pour une autre requête : "
                    "utilisez une nouvelle clé pour une nouvelle opération."
                ),
            )
        return _replay(earlier)

    return wrapper


def idempotent_urls(urls: tuple[list[Any], str, str]) -> tuple[list[Any], str, str]:
    """The API's URL patterns, every view wrapped by `idempotent`."""
    patterns, app_name, namespace = urls
    return [_wrap(p) for p in patterns], app_name, namespace


def _wrap(pattern: Any) -> Any:
    if isinstance(pattern, URLPattern):
        return URLPattern(
            pattern.pattern, idempotent(pattern.callback), pattern.default_args, pattern.name
        )
    if isinstance(pattern, URLResolver):
        pattern.url_patterns[:] = [_wrap(p) for p in pattern.url_patterns]
    return pattern
