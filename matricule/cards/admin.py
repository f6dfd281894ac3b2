"""Cards in the read-only technicians' admin."""

from __future__ import annotations

from django.contrib import admin

from matricule.cards.models import Card, CardKey, CardTemplate
from matricule.core.admin import ReadOnlyAdmin


@admin.register(CardTemplate)
class CardTemplateAdmin(ReadOnlyAdmin):
    """Designs are edited on the reference screens (/referentiels/modeles-carte/)."""

    list_display = ["agency", "title", "issuing_authority", "primary_colour", "accent_colour"]


@admin.register(CardKey)
class CardKeyAdmin(ReadOnlyAdmin):
    list_display = ["kid", "algorithm", "created_at", "retired_at"]
    exclude = ["public_key"]


@admin.register(Card)
class CardAdmin(ReadOnlyAdmin):
    list_display = ["number", "officer", "status", "issued_on", "expires_on"]
    list_filter = ["status", "agency"]
    search_fields = ["number", "officer__matricule"]
    exclude = ["token"]
    raw_id_fields = ["officer"]
