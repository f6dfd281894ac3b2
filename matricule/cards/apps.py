from __future__ import annotations

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CardsConfig(AppConfig):
    name = "matricule.cards"
    label = "cards"
    verbose_name = _("Cartes professionnelles")

    def ready(self) -> None:
        from django.utils.translation import gettext_lazy as _

        from matricule.accounts.roles import Perm
        from matricule.cards.services import cards_revoke_for_exit
        from matricule.personnel import hooks

        def revoke_cards(context: hooks.ExitContext) -> None:
            cards_revoke_for_exit(
                officer=context.officer, on=context.event.effective_date, by=context.by
            )

        hooks.exit_handlers.register("cards.revoke", revoke_cards)

        from matricule.cards.vocabulary import CARDS_VOCABULARY
        from matricule.core.audit_labels import audit_vocabularies

        audit_vocabularies.register("cards", CARDS_VOCABULARY)

        from matricule.cards.vocabulary import CONSTRAINT_FIELDS
        from matricule.core.constraints import constraint_fields

        constraint_fields.update(CONSTRAINT_FIELDS)

        from matricule.accounts.hooks import home_tasks
        from matricule.cards.home import card_tasks

        home_tasks.register("cards.production", card_tasks)
        hooks.profile_tabs.register(
            "cards.card",
            hooks.ProfileTab(
                "card",
                _("Carte"),
                "cards:officer_cards",
                40,
                visible=lambda perms: Perm.CARDS_MANAGE in perms,
            ),
        )
