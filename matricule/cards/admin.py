"""Technicians' admin: card designs per agency (audited), keys and cards read-only."""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.db import transaction
from django.http import HttpRequest

from matricule.cards.models import Card, CardKey, CardTemplate
from matricule.core.audit import audit_record, model_snapshot


@admin.register(CardTemplate)
class CardTemplateAdmin(admin.ModelAdmin[CardTemplate]):
    list_display = ["agency", "title", "issuing_authority", "primary_colour", "accent_colour"]

    def save_model(self, request: HttpRequest, obj: CardTemplate, form: Any, change: bool) -> None:
        before = model_snapshot(CardTemplate.objects.get(pk=obj.pk)) if change and obj.pk else None
        with transaction.atomic():
            super().save_model(request, obj, form, change)
            audit_record(
                by=request.user,  # type: ignore[arg-type]
                action="card_template.change" if change else "card_template.create",
                obj=obj,
                before=before,
                after=model_snapshot(obj),
            )


class ReadOnlyAdmin(admin.ModelAdmin[Any]):
    """Changed only by the services (badge office screens and commands)."""

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False


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
