"""Navigation built from the user's permissions, so each role sees only its own menus."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from matricule.accounts.roles import Perm

# (label, url name, permission or None for everyone signed in)
NAV_ITEMS: list[tuple[Any, str, str | None]] = [
    (_("Accueil"), "core:home", None),
    (_("Agents"), "personnel:officer_list", Perm.PERSONNEL_VIEW),
    (_("Référentiels"), "core:reference_index", Perm.REFERENCE_MANAGE),
    (_("Piste d'audit"), "core:audit_list", Perm.AUDIT_VIEW),
]


def navigation(request: HttpRequest) -> dict[str, Any]:
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {"nav_items": []}
    items = []
    for label, url_name, perm in NAV_ITEMS:
        if perm is None or user.has_perm_anywhere(perm):
            url = reverse(url_name)
            items.append(
                {
                    "label": label,
                    "url": url,
                    "active": request.path == url or (url != "/" and request.path.startswith(url)),
                }
            )
    return {"nav_items": items}
