"""Audit labels of accounts, grants, tokens and the second factor."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.utils.translation import gettext as _g
from django.utils.translation import gettext_lazy as _

from matricule.core.audit_labels import AuditVocabulary

if TYPE_CHECKING:
    from matricule.core.models import AuditEntry


def _describe(entry: AuditEntry) -> str | None:
    if entry.object_type == "accounts.rolegrant":
        data = entry.after if isinstance(entry.after, dict) else {}
        data = {**(entry.before if isinstance(entry.before, dict) else {}), **data}
        user = data.get("username") or ""
        return _g("Rôle %(grant)s%(user)s") % {
            "grant": entry.object_repr,
            "user": f" — {user}" if user else "",
        }
    if entry.object_type == "accounts.user":
        return _g("Compte %(name)s") % {"name": entry.object_repr}
    if entry.object_type == "accounts.apitoken":
        return _g("Jeton d'API %(name)s") % {"name": entry.object_repr}
    return None


ACCOUNTS_VOCABULARY = AuditVocabulary(
    actions={
        "account.create": _("Compte créé"),
        "account.disable": _("Compte désactivé"),
        "account.enable": _("Compte réactivé"),
        "account.password_reset": _("Mot de passe réinitialisé (provisoire)"),
        "account.unlock": _("Compte débloqué après verrouillage"),
        "accounts.create_for_unit": _("Comptes d'agents ouverts pour une unité"),
        "role.grant": _("Rôle attribué"),
        "role.change": _("Périmètre d'un rôle modifié"),
        "role.revoke": _("Rôle retiré"),
        "token.issue": _("Jeton d'API émis"),
        "token.revoke": _("Jeton d'API révoqué"),
        "otp.enable": _("Double authentification activée"),
        "otp.reset": _("Double authentification réinitialisée"),
        "password.change": _("Mot de passe changé"),
    },
    fields={
        "devices": _("Appareils oubliés"),
        "user": _("Utilisateur"),
        "username": _("Identifiant"),
        "prefix": _("Début du jeton"),
        "revoked_at": _("Révoqué le"),
        "is_active": _("Actif"),
        "roles": _("Rôles"),
        "unit_code": _("Unité"),
        "created": _("Comptes créés"),
        "failures": _("Échecs de connexion effacés"),
        "email": _("Courriel"),
    },
    describe=_describe,
)


# Which field each of the app's database constraints speaks about (core.constraints).
CONSTRAINT_FIELDS = {
    "rolegrant_unique_agency": "role",
    "rolegrant_unique_unit": "unit",
}
