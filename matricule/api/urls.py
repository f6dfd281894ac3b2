"""The REST API under /api/v1/ (OpenAPI document at /api/v1/openapi.json).

Every refusal answers JSON with a French `detail` (and `errors` by field when there
are several): the API is fuzzed from its OpenAPI document and must never answer 500
to a bad input.
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from typing import Any

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import DataError
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.utils.translation import gettext as _
from ninja import NinjaAPI
from ninja.errors import AuthenticationError, HttpError
from ninja.errors import ValidationError as SchemaError

from matricule.api.auth import TokenAuth
from matricule.api.deployments import router as deployments_router
from matricule.api.evaluations import router as evaluations_router
from matricule.api.me import router as me_router
from matricule.api.officers import router as officers_router
from matricule.api.promotions import router as promotions_router
from matricule.api.recruitment import router as recruitment_router
from matricule.api.reference import router as reference_router
from matricule.api.reports import router as reports_router
from matricule.api.schemas import nul_message, unencodable_message, validation_messages


def docs_access(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    """The document and its pages: public unless MATRICULE_API_DOCS_PUBLIC is off.

    Production turns it off: the document then answers only to a valid token or a signed-in
    session, so that a stranger cannot read the map of every operation.
    """

    @functools.wraps(view)
    def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if not settings.MATRICULE_API_DOCS_PUBLIC:
            user = getattr(request, "user", None)
            signed_in = user is not None and user.is_authenticated
            if not signed_in and TokenAuth()(request) is None:
                return JsonResponse(
                    {
                        "detail": _(
                            "La documentation de l'API est réservée aux utilisateurs "
                            "authentifiés : en-tête « Authorization: Bearer <jeton> » ou session."
                        )
                    },
                    status=401,
                    headers={"WWW-Authenticate": "Bearer"},
                )
        return view(request, *args, **kwargs)

    return wrapped


api = NinjaAPI(
    title="Matricule API",
    version="1",
    description="API du système de gestion du personnel Matricule. "
    "Authentification : en-tête `Authorization: Bearer <jeton>`. "
    'Les listes se paginent avec `?limit=&offset=` et répondent `{"items": [...], '
    '"count": N}`. Les erreurs répondent `{"detail": "…", "errors": {champ: [...]}}`.',
    auth=TokenAuth(),
    urls_namespace="api",
    docs_decorator=docs_access,
)
api.add_router("/", reference_router)
api.add_router("/", officers_router)
api.add_router("/", recruitment_router)
api.add_router("/", me_router)
api.add_router("/", deployments_router)
api.add_router("/", evaluations_router)
api.add_router("/", promotions_router)
api.add_router("/", reports_router)


def _answer(
    request: HttpRequest, status: int, detail: str, errors: dict[str, list[str]] | None = None
) -> HttpResponse:
    body: dict[str, Any] = {"detail": detail}
    if errors:
        body["errors"] = errors
    return api.create_response(request, body, status=status)


@api.exception_handler(SchemaError)
def schema_error(request: HttpRequest, exc: SchemaError) -> HttpResponse:
    errors: dict[str, list[str]] = {}
    # Characters no database stores (U+0000, lone surrogates) make a bad request, not a
    # parameter the document rules out: 400 with the reason.
    refused = ""
    for error in exc.errors:
        errors.setdefault(_error_field(error.get("loc", ())), []).append(_schema_message(error))
        reason = str((error.get("ctx") or {}).get("error", ""))
        if reason in (nul_message(), unencodable_message()):
            refused = reason
    if refused:
        return _answer(request, 400, refused, errors)
    return _answer(request, 422, _("Paramètres invalides."), errors)


@api.exception_handler(ValidationError)
def validation_error(request: HttpRequest, exc: ValidationError) -> HttpResponse:
    return _answer(request, 400, _("Données invalides"), validation_messages(exc))


@api.exception_handler(HttpError)
def http_error(request: HttpRequest, exc: HttpError) -> HttpResponse:
    if isinstance(exc, AuthenticationError):
        detail = _(
            "Authentification requise : en-tête « Authorization: Bearer <jeton> » "
            "avec un jeton valide."
        )
    elif str(exc).startswith("Cannot parse request body"):
        detail = _("Corps de la requête illisible : un objet JSON est attendu.")
    elif exc.status_code == 403 and str(exc) == "Forbidden":
        detail = _("Accès refusé.")
    else:
        detail = str(exc)
    return _answer(request, exc.status_code, detail)


@api.exception_handler(PermissionDenied)
def permission_denied(request: HttpRequest, exc: PermissionDenied) -> HttpResponse:
    return _answer(request, 403, _("Accès refusé."))


@api.exception_handler(Http404)
def not_found(request: HttpRequest, exc: Http404) -> HttpResponse:
    return _answer(request, 404, _("Ressource introuvable."))


@api.exception_handler(OverflowError)
def overflow(request: HttpRequest, exc: OverflowError) -> HttpResponse:
    # A number too large for the database driver (SQLite raises OverflowError).
    return _answer(request, 400, _("Valeur numérique trop grande."))


@api.exception_handler(DataError)
def data_error(request: HttpRequest, exc: DataError) -> HttpResponse:
    # A value the database refuses (out of range, bad encoding): the input's fault.
    return _answer(request, 400, _("Valeur refusée par la base de données : hors limites."))


def _error_field(loc: Any) -> str:
    """'limit' for ('query', 'limit'); 'act.number' for ('body', 'payload', 'act', 'number')."""
    parts = [str(p) for p in loc]
    if parts and parts[0] == "body":
        parts = parts[2:] if len(parts) > 2 else ["body"]
    elif parts:
        parts = parts[1:] or parts
    return ".".join(parts) or "__all__"


def _schema_message(error: dict[str, Any]) -> str:
    kind = str(error.get("type", ""))
    ctx = error.get("ctx") or {}
    if kind == "missing":
        return _("Ce champ est obligatoire.")
    if kind.startswith("date") or kind.startswith("datetime"):
        return _("Date invalide : format AAAA-MM-JJ attendu (ex. 2024-11-21).")
    if kind.startswith("int") or kind.startswith("float"):
        return _("Nombre entier attendu.")
    if kind.startswith("bool"):
        return _("Valeur booléenne attendue : true ou false.")
    if kind == "greater_than_equal":
        return _("La valeur doit être supérieure ou égale à %(n)s.") % {"n": ctx.get("ge")}
    if kind == "greater_than":
        return _("La valeur doit être supérieure à %(n)s.") % {"n": ctx.get("gt")}
    if kind == "less_than_equal":
        return _("La valeur doit être inférieure ou égale à %(n)s.") % {"n": ctx.get("le")}
    if kind == "less_than":
        return _("La valeur doit être inférieure à %(n)s.") % {"n": ctx.get("lt")}
    if kind == "string_too_long":
        return _("Texte trop long : %(n)s caractères au plus.") % {"n": ctx.get("max_length")}
    if kind == "string_too_short":
        return _("Texte trop court : %(n)s caractères au moins.") % {"n": ctx.get("min_length")}
    if kind in ("enum", "literal_error"):
        return _("Valeur inconnue ; valeurs possibles : %(v)s.") % {
            "v": str(ctx.get("expected", "")).replace("' or '", "', '")
        }
    if kind.startswith("string") or kind == "str_type":
        return _("Texte attendu.")
    if kind in ("model_type", "model_attributes_type", "dict_type"):
        return _("Objet JSON attendu.")
    if kind == "value_error" and ctx.get("error"):
        return str(ctx["error"]).removeprefix("Value error, ")
    return _("Valeur invalide.")
