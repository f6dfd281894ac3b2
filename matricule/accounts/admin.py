"""Technicians' admin for accounts (HR staff use the application's own screens)."""

from __future__ import annotations

from django.contrib import admin
from django.contrib.auth.admin import UserAdmin

from matricule.accounts.models import ApiToken, RoleGrant, User


class RoleGrantInline(admin.TabularInline[RoleGrant, User]):
    model = RoleGrant
    extra = 0
    autocomplete_fields = ["unit"]


@admin.register(User)
class MatriculeUserAdmin(UserAdmin):
    inlines = [RoleGrantInline]
    raw_id_fields = ["officer"]
    list_display = ["username", "first_name", "last_name", "is_active", "last_login"]
    fieldsets = (
        *UserAdmin.fieldsets,
        ("Matricule", {"fields": ["officer", "must_change_password"]}),
    )  # type: ignore[misc]


@admin.register(ApiToken)
class ApiTokenAdmin(admin.ModelAdmin[ApiToken]):
    list_display = ["prefix", "user", "name", "created_at", "last_used_at", "revoked_at"]
    readonly_fields = ["prefix", "key_hash", "created_at", "last_used_at"]
    search_fields = ["user__username", "prefix"]
