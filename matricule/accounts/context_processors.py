"""Navigation built from the user's permissions, so each role sees only its own menus."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from matricule.accounts.roles import Perm

# (label, url name, permission or None for everyone signed in)
# Shown to users whose account belongs to an officer (their own record), whatever the role.
OWN_RECORD = "own-record"

NAV_ITEMS: list[tuple[Any, str, str | None]] = [
    (_("Accueil"), "web:home", None),
    (_("Mon dossier"), "corrections:my_record", OWN_RECORD),
    (_("Mes formations"), "training:my_training", OWN_RECORD),
    (_("Agents"), "personnel:officer_list", Perm.PERSONNEL_VIEW),
    (_("Concours"), "recruitment:intake_list", Perm.RECRUITMENT_VIEW),
    (_("Formation"), "training:session_list", Perm.TRAINING_NOMINATE),
    (_("Compétences"), "training:skill_search", Perm.PERSONNEL_VIEW),
    (_("Rapports"), "reports:dashboard", Perm.PERSONNEL_VIEW),
    (_("Référentiels"), "web:reference_index", Perm.REFERENCE_MANAGE),
    (_("Corrections"), "corrections:queue", Perm.CORRECTIONS_PROCESS),
    (_("Piste d'audit"), "web:audit_list", Perm.AUDIT_VIEW),
    (_("Cartes"), "cards:card_list", Perm.CARDS_MANAGE),
    (_("Ma carte"), "cards:my_card", OWN_RECORD),
    (_("Mes missions"), "deployments:my_missions", OWN_RECORD),
    (_("Mon avancement"), "promotions:my_promotion", OWN_RECORD),
    (_("Avancement"), "promotions:campaign_list", Perm.PROMOTION_DECIDE),
    (_("Avancement"), "promotions:campaign_list", Perm.REFERENCE_MANAGE),
    (_("Avancement"), "promotions:campaign_list", Perm.AUDIT_VIEW),
    (_("Opérations"), "deployments:operation_list", Perm.DEPLOYMENT_VIEW),
    (_("Missions du personnel"), "deployments:staff_missions", Perm.DEPLOYMENT_STAFF),
    (_("Mes évaluations"), "evaluations:my_evaluations", OWN_RECORD),
    (_("Notation"), "evaluations:inbox", Perm.EVALUATION_RATE),
    (_("Campagnes de notation"), "evaluations:cycle_list", Perm.EVALUATION_VIEW),
    (_("Consultations"), "corrections:accesses", Perm.AUDIT_VIEW),
    (_("Comptes des agents"), "officer_accounts", Perm.PERSONNEL_EDIT),
    (_("Administration"), "web:admin_index", Perm.USERS_MANAGE),
]


def navigation(request: HttpRequest) -> dict[str, Any]:
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {"nav_items": [], "unread_notifications": 0}
    items: list[dict[str, Any]] = []
    for label, url_name, perm in NAV_ITEMS:
        allowed = (
            perm is None
            or (perm == OWN_RECORD and user.officer_id is not None)
            or (perm != OWN_RECORD and user.has_perm_anywhere(perm))
        )
        if allowed:
            url = reverse(url_name)
            if any(item["url"] == url for item in items):
                continue  # one entry reached through several permissions
            items.append(
                {
                    "label": label,
                    "url": url,
                    "active": request.path == url or (url != "/" and request.path.startswith(url)),
                }
            )
    return {"nav_items": items, "unread_notifications": user.unread_notifications}
