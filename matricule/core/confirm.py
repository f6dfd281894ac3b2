"""One confirmation pattern for what cannot be undone.

A screen whose action is irreversible (closing a training session, publishing results,
declaring a card lost, recording an exit…) answers in two steps, with no JavaScript:

1. its button is a GET link (or a form without `confirme`) to the action's address, which
   answers with `confirm_page`: what will happen, its consequences, whether it can be
   undone, and a POST form repeating the chosen values;
2. the POST carrying `confirme=oui` (see `is_confirmed`) does it.

The summary is always built on the server from the object's current state, so a stale
page cannot confirm something other than what it shows. htmx requests get the same summary
as a fragment (`core/_confirm.html`) that a page may show in place.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

if TYPE_CHECKING:
    from django import forms
    from django_stubs_ext import StrOrPromise

CONFIRM_FIELD = "confirme"
CONFIRM_VALUE = "oui"


@dataclass
class Confirmation:
    """What the confirmation page shows and posts back."""

    title: StrOrPromise
    question: StrOrPromise
    button: StrOrPromise
    cancel_url: str
    consequences: Sequence[StrOrPromise] = ()
    # Problems the user should know before going on (no attendance recorded, no photo…).
    warnings: Sequence[StrOrPromise] = ()
    # How to undo it, or "" when it cannot be undone.
    undo: StrOrPromise = ""
    # Values posted back with the confirmation (the choices made on the previous page).
    hidden: Mapping[str, Any] = field(default_factory=dict)
    # Fields to fill on the confirmation itself (a reason, an explicit acknowledgement).
    form: forms.BaseForm | None = None
    action_url: str = ""
    danger: bool = True
    facts: Sequence[tuple[StrOrPromise, Any]] = ()


def is_confirmed(request: HttpRequest) -> bool:
    """Whether this request is the POST of a confirmation page."""
    return request.method == "POST" and request.POST.get(CONFIRM_FIELD) == CONFIRM_VALUE


def hidden_items(values: Mapping[str, Any]) -> list[tuple[str, str]]:
    """Flatten posted values (lists included) for the hidden fields of the page."""
    items: list[tuple[str, str]] = []
    for key, value in values.items():
        if key in (CONFIRM_FIELD, "csrfmiddlewaretoken"):
            continue
        if isinstance(value, list | tuple):
            items.extend((key, "" if v is None else str(v)) for v in value)
        else:
            items.append((key, "" if value is None else str(value)))
    return items


def posted_values(request: HttpRequest) -> dict[str, list[str]]:
    """The POST of the previous step, to repeat on the confirmation page."""
    return {key: request.POST.getlist(key) for key in request.POST}


def confirm_page(
    request: HttpRequest, confirmation: Confirmation, *, status: int = 200
) -> HttpResponse:
    context = {
        "c": confirmation,
        "hidden": hidden_items(confirmation.hidden),
        "confirm_field": CONFIRM_FIELD,
        "confirm_value": CONFIRM_VALUE,
        "action_url": confirmation.action_url or request.get_full_path(),
    }
    template = "core/_confirm.html" if getattr(request, "htmx", False) else "core/confirm.html"
    return render(request, template, context, status=status)
