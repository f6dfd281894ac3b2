"""Audit labels of ID cards (registered by CardsConfig.ready)."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from matricule.core.audit_labels import AuditVocabulary

CARDS_VOCABULARY = AuditVocabulary(
    actions={
        "card.request": _("Carte demandée"),
        "card.request_batch": _("Cartes demandées pour une unité"),
        "card.print": _("Carte imprimée"),
        "card.reprint": _("Carte réimprimée"),
        "card.hand_over": _("Carte remise au titulaire"),
        "card.activate": _("Carte activée"),
        "card.lost": _("Carte déclarée perdue"),
        "card.stolen": _("Carte déclarée volée"),
        "card.revoked": _("Carte révoquée"),
        "card.returned": _("Carte restituée"),
        "card.expired": _("Carte expirée"),
        "card.expire_batch": _("Cartes expirées (traitement périodique)"),
        "card.missing_export": _("Liste des agents sans carte exportée"),
        "card_key.rotate": _("Nouvelle clé de signature des cartes"),
        "demo.seed_cards": _("Démonstration : cartes générées"),
    },
    fields={
        "handed_to": _("Remise à"),
        "number": _("Numéro"),
        "kid": _("Clé"),
        "previous": _("Clé précédente"),
        "cards": _("Cartes"),
        "detail": _("Précision"),
    },
)


# Which field each of the app's database constraints speaks about (core.constraints).
CONSTRAINT_FIELDS = {
    "card_expires_after_issue": "expires_on",
    "card_one_pending_per_officer": "officer",
    "card_one_valid_per_officer": "officer",
    "card_printed_has_token": "",
    "cardkey_one_current": "",
}
