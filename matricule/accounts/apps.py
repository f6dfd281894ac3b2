from __future__ import annotations

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AccountsConfig(AppConfig):
    """Users, role grants on scopes, API tokens, second factor and notifications."""

    name = "matricule.accounts"
    label = "accounts"
    verbose_name = _("Comptes")

    def ready(self) -> None:
        from matricule.accounts.vocabulary import ACCOUNTS_VOCABULARY, CONSTRAINT_FIELDS
        from matricule.core.audit_labels import audit_vocabularies
        from matricule.core.constraints import constraint_fields

        audit_vocabularies.register("accounts", ACCOUNTS_VOCABULARY)
        constraint_fields.update(CONSTRAINT_FIELDS)
