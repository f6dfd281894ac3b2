"""One-time form tokens: a double click or a page sent again writes once.

Every form that writes carries a hidden token (`{% once_field %}`, from the `once`
template library) and its view is decorated with `@submit_once` (under the login
decorator). The token is signed and names the user; nothing is stored when the form is
shown. On POST the token's use is recorded in the same transaction as the view's write,
before it: a second POST with the same token waits for the first to commit (unique
index on PostgreSQL, write lock on SQLite), then finds it used and is sent to the first
one's result with a message, without writing anything. A POST that did not succeed (the
form comes back with its errors) frees the token for the corrected form.

The view keeps to the usual shape: success is a redirect (Post/Redirect/Get), whose
address is kept as the result shown to a repeated submission; a view that answers a
success with a page instead marks the response `once_done = True`. A POST without a token (a
script, not one of our pages) runs as before; a forged, foreign or expired one (30 days)
is refused with a message.
"""

from __future__ import annotations

import functools
import secrets
from collections.abc import Callable
from typing import Any

from django.contrib import messages
from django.core import signing
from django.db import IntegrityError, transaction
from django.http import HttpRequest, HttpResponseRedirect
from django.http.response import HttpResponseBase
from django.shortcuts import redirect
from django.utils.translation import gettext as _

from matricule.core.models import FormSubmission

FIELD = "_once"
SALT = "matricule.core.once"

View = Callable[..., HttpResponseBase]


def once_token(user: Any) -> str:
    """A new token for one form shown to `user`."""
    return signing.dumps({"n": secrets.token_urlsafe(18), "u": user.pk}, salt=SALT)


def _nonce(request: HttpRequest, raw: str) -> str | None:
    try:
        data = signing.loads(raw, salt=SALT, max_age=FormSubmission.KEEP)
    except signing.BadSignature:
        return None
    if not isinstance(data, dict) or data.get("u") != request.user.pk:
        return None
    nonce = data.get("n")
    return nonce if isinstance(nonce, str) and nonce else None


def submit_once(view: View) -> View:
    """Make a form view write at most once per token (see the module docstring)."""

    @functools.wraps(view)
    def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
        if request.method != "POST" or FIELD not in request.POST:
            return view(request, *args, **kwargs)
        nonce = _nonce(request, request.POST[FIELD])
        if nonce is None:
            messages.error(
                request,
                _(
                    "Ce formulaire n'est plus valable (trop ancien ou d'une autre session) : "
                    "rien n'a été enregistré. Vérifiez la page et envoyez-la de nouveau."
                ),
            )
            return redirect(request.get_full_path())
        user_id = request.user.pk
        assert user_id is not None  # login_required wraps every form view
        with transaction.atomic():
            try:
                with transaction.atomic():
                    used = FormSubmission.objects.create(nonce=nonce, user_id=user_id)
            except IntegrityError:
                used = None
            if used is not None:
                response = view(request, *args, **kwargs)
                if isinstance(response, HttpResponseRedirect):
                    used.result_url = response["Location"][:500]
                    used.save(update_fields=["result_url"])
                elif getattr(response, "once_done", False):
                    # Done, shown as a page rather than a redirect (e.g. the officer left the
                    # clerk's scope): the token stays used.
                    used.save()
                else:
                    used.delete()  # not done: the corrected form may use it
                return response
        earlier = FormSubmission.objects.filter(nonce=nonce).first()
        messages.info(
            request,
            _(
                "Ce formulaire avait déjà été envoyé et enregistré : voici le résultat. "
                "Rien n'a été enregistré une seconde fois."
            ),
        )
        return redirect(earlier.result_url if earlier and earlier.result_url else "/")

    return wrapper
