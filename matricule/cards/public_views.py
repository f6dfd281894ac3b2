"""Public card checks: the page a card's QR opens (/v/<token>) and the offline verifier
(/verify/). No login; nothing about the person checking is recorded."""

from __future__ import annotations

import hashlib
import logging
import time
from typing import TypeVar

import cbor2
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.http import FileResponse, Http404, HttpRequest, HttpResponse, JsonResponse
from django.http.response import HttpResponseBase
from django.shortcuts import render
from django.templatetags.static import static
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET

from matricule.cards.keys import current_key, public_keys, signing_key
from matricule.cards.models import VerificationResult
from matricule.cards.selectors import card_check, revocation_entries, verifier_names
from matricule.cards.services import verification_log
from matricule.cards.tokens import MAX_TOKEN_CHARS, b64url_encode, sign_payload
from matricule.core.ratelimit import over_limit
from matricule.personnel.models import OfficerPhoto

logger = logging.getLogger(__name__)

# Files the service worker keeps so the verifier works with no network.
VERIFY_ASSETS = (
    "favicon.svg",
    "css/matricule.css",
    "js/cards/cbor.js",
    "js/cards/verify.js",
    "js/vendor/jsQR-1.4.0.js",
)


R = TypeVar("R", bound=HttpResponseBase)


def _rate_limited(request: HttpRequest) -> bool:
    return over_limit(
        request,
        scope="cards-check",
        limit=settings.MATRICULE_VERIFY_RATE_PER_MINUTE,
        window_seconds=60,
    )


def _private(response: R) -> R:
    # The token is in the address: keep it out of caches, search engines and referrers.
    response["Cache-Control"] = "no-store"
    response["X-Robots-Tag"] = "noindex, nofollow"
    response["Referrer-Policy"] = "no-referrer"
    return response


NOT_ISSUED_VERDICT = gettext_lazy("NON REMISE")

VERDICT_CLASS = {
    VerificationResult.VALID: "valid",
    VerificationResult.REVOKED: "revoked",
    VerificationResult.EXPIRED: "expired",
    VerificationResult.INVALID: "invalid",
}


@require_GET
def card_check_view(request: HttpRequest, token: str) -> HttpResponse:
    if _rate_limited(request):
        response = render(request, "cards/check_limited.html", status=429)
        response["Retry-After"] = "60"
        return _private(response)
    # card_check refuses an over-long token before decoding anything.
    outcome = card_check(token=token)
    verification_log(card=outcome.card, result=outcome.result)
    verdict = VerificationResult(outcome.result).label
    verdict_class = VERDICT_CLASS[VerificationResult(outcome.result)]
    if outcome.reason == "not_issued":
        # Genuine but printed and never handed over: say so, not "may be forged".
        verdict, verdict_class = NOT_ISSUED_VERDICT, "pending"
    context = {
        "outcome": outcome,
        "verdict": verdict,
        "verdict_class": verdict_class,
        "token": token,
        "checked_at": timezone.localtime(),
    }
    return _private(render(request, "cards/check.html", context))


@require_GET
def card_check_photo(request: HttpRequest, token: str) -> FileResponse:
    """The holder's photo, only for a genuine card (valid, revoked or expired)."""
    if _rate_limited(request) or len(token) > MAX_TOKEN_CHARS:
        raise Http404
    outcome = card_check(token=token)
    if not outcome.shows_holder or outcome.photo_id is None:
        raise Http404
    photo = OfficerPhoto.objects.filter(pk=outcome.photo_id).first()
    if photo is None:
        raise Http404
    response = FileResponse(photo.image.open("rb"), content_type="image/jpeg")
    return _private(response)


def _verifier_texts() -> dict[str, object]:
    """The verifier script's messages, translated on the server (the script has none)."""
    return {
        "verdicts": {
            "pending": str(NOT_ISSUED_VERDICT),
            "valid": str(VerificationResult.VALID.label),
            "revoked": str(VerificationResult.REVOKED.label),
            "expired": str(VerificationResult.EXPIRED.label),
            "invalid": str(VerificationResult.INVALID.label),
        },
        "reason_valid": _(
            "Signature authentique ; la carte n'est pas dans la liste des cartes retirées."
        ),
        "reason_valid_nolist": _(
            "Signature authentique, mais la liste des cartes retirées n'est pas disponible : "
            "la révocation n'a pas pu être vérifiée."
        ),
        "reason_revoked": _(
            "Cette carte figure dans la liste des cartes retirées "
            "(perdue, volée, révoquée ou restituée)."
        ),
        "reason_pending": _(
            "Carte non encore remise à son titulaire : elle a été imprimée mais ne doit pas "
            "encore être portée. Ce n'est pas, en soi, le signe d'une fausse carte."
        ),
        "reason_expired": _("La date de validité de cette carte est dépassée."),
        "reason_invalid": _(
            "Signature absente ou fausse : ce code ne vient pas d'une carte authentique."
        ),
        "claim_name": _("Nom et prénom(s)"),
        "claim_matricule": _("Matricule"),
        "claim_grade": _("Grade"),
        "claim_unit": _("Unité"),
        "claim_agency": _("Agence"),
        "claim_number": _("Carte n°"),
        "claim_issued": _("Délivrée le"),
        "claim_expires": _("Expire le"),
        "list_age": _("Liste des cartes retirées du %(date)s (%(age)s) : %(n)s carte(s)."),
        "list_missing": _(
            "Liste des cartes retirées indisponible : ouvrez cette page avec du réseau."
        ),
        "age_minutes": _("il y a %(n)s min"),
        "age_hours": _("il y a %(n)s h"),
        "age_days": _("il y a %(n)s jours"),
        "keys_missing": _(
            "Clés de vérification indisponibles : ouvrez cette page une fois avec du réseau."
        ),
        "online": _("Connecté : clés et liste à jour."),
        "offline": _("Hors ligne : vérification avec les données gardées sur cet appareil."),
        "sw_ready": _("Prête à fonctionner sans réseau."),
        "sw_unavailable": _("Ce navigateur ne peut pas garder la page pour un usage sans réseau."),
        "scan_running": _("Visez le code QR de la carte…"),
        "scan_unavailable": _("Caméra indisponible : collez le lien du code QR ci-dessous."),
    }


@require_GET
def verify_page(request: HttpRequest) -> HttpResponse:
    prefix = reverse("verify:check", args=["x"])[:-1]
    response = render(
        request, "cards/verify.html", {"texts": _verifier_texts(), "check_prefix": prefix}
    )
    response["Cache-Control"] = "no-cache"
    return response


@require_GET
def verify_service_worker(request: HttpRequest) -> HttpResponse:
    assets = [static(path) for path in VERIFY_ASSETS]
    response = render(
        request,
        "cards/verify_sw.js",
        {
            "assets": assets,
            "version": hashlib.sha256("|".join(assets).encode()).hexdigest()[:12],
            "check_prefix": reverse("verify:check", args=["x"])[:-1],
        },
        content_type="text/javascript; charset=utf-8",
    )
    response["Cache-Control"] = "no-cache"
    # Scope "/" so that a card's QR (/v/<token>) opened with no network is answered by the
    # verifier kept on the phone; every other address is left to the network.
    response["Service-Worker-Allowed"] = "/"
    return response


@require_GET
def verify_names(request: HttpRequest) -> JsonResponse:
    """Names of units, grades and agencies by code, so the offline verdict reads in words.

    Public reference data only (what a card prints anyway); no officer is named here.
    """
    response = JsonResponse(verifier_names())
    response["Cache-Control"] = "no-cache"
    return response


@require_GET
def verify_keys(request: HttpRequest) -> JsonResponse:
    """Every public key ever used, so cards signed by a retired key still verify offline."""
    keys = [
        {
            "kid": key.kid,
            "alg": key.algorithm,
            "crv": "Ed25519",
            "x": b64url_encode(bytes(key.public_key)),
            "created": key.created_at.isoformat(),
            "retired": key.retired_at.isoformat() if key.retired_at else None,
        }
        for key in public_keys()
    ]
    response = JsonResponse({"keys": keys})
    response["Cache-Control"] = "no-cache"
    return response


@require_GET
def verify_revoked(request: HttpRequest) -> HttpResponse:
    """The revocation list, a COSE_Sign1 message signed by the current card key.

    Payload: {1: issued (seconds since 1970), 2: [withdrawn card numbers],
    3: [printed cards not yet handed over]}.
    """
    if _rate_limited(request):
        return HttpResponse(status=429)
    if current_key() is None:
        # No card was ever signed: nothing to revoke, and a public page must not make keys.
        return HttpResponse(status=503)
    revoked, pending = revocation_entries()
    payload = cbor2.dumps({1: int(time.time()), 2: revoked, 3: pending})
    try:
        kid, key = signing_key()
    except ImproperlyConfigured:
        logger.exception("Liste de révocation : clé privée de signature indisponible")
        return HttpResponse(status=503)
    response = HttpResponse(
        sign_payload(payload, kid=kid, key=key), content_type="application/cbor"
    )
    response["Cache-Control"] = "no-cache"
    return response
