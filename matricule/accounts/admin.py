"""Accounts in the read-only technicians' admin; users and grants change on the screens."""

from __future__ import annotations

from django.contrib import admin
from django.contrib.auth.admin import UserAdmin

from matricule.accounts.models import ApiToken, RoleGrant, User
from matricule.core.admin import ReadOnlyAdmin, ReadOnlyInline


class RoleGrantInline(ReadOnlyInline):
    model = RoleGrant


@admin.register(User)
class MatriculeUserAdmin(UserAdmin[User]):
    inlines = [RoleGrantInline]
    list_display = ["username", "first_name", "last_name", "is_active", "last_login"]
    fieldsets = (
        *UserAdmin.fieldsets,
        ("Matricule", {"fields": ["officer", "must_change_password"]}),
    )  # type: ignore[misc]


@admin.register(ApiToken)
class ApiTokenAdmin(ReadOnlyAdmin):
    list_display = ["prefix", "user", "name", "created_at", "last_used_at", "revoked_at"]
    exclude = ["key_hash"]
    search_fields = ["user__username", "prefix"]
