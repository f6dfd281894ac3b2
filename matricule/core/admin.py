"""The Django admin (/technique/) is read-only: a technician may look, never write.

Every change goes through the application's screens, hence through the services that
keep unit paths consistent and write the audit trail. (A unit saved here used to get an
empty path, which is a prefix of every path: scopes silently widened.)
"""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.http import HttpRequest

from matricule.core import models as m


class ReadOnlyMixin:
    """No add, change or delete, whoever asks (superusers included)."""

    def has_add_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False


class ReadOnlyAdmin(ReadOnlyMixin, admin.ModelAdmin[Any]):
    pass


def make_admin_read_only(site: admin.AdminSite) -> None:
    """Turn every admin registered on `site` (ours and third-party ones) read-only.

    Called once every app's admin module is loaded (web is the last app): the admin of a
    library such as django-otp or django-axes cannot then write around our services.
    """
    for model, model_admin in list(site._registry.items()):
        if isinstance(model_admin, ReadOnlyMixin):
            continue
        cls = type(model_admin)
        read_only = type(f"ReadOnly{cls.__name__}", (ReadOnlyMixin, cls), {})
        site.unregister(model)
        site.register(model, read_only)


class ReadOnlyInline(ReadOnlyMixin, admin.TabularInline[Any, Any]):
    extra = 0


@admin.register(m.Unit)
class UnitAdmin(ReadOnlyAdmin):
    list_display = ["code", "name", "agency", "unit_type", "region", "is_active"]
    list_filter = ["agency", "unit_type", "region"]
    search_fields = ["code", "name"]


@admin.register(m.AuditEntry)
class AuditEntryAdmin(ReadOnlyAdmin):
    list_display = ["seq", "created_at", "actor_label", "action", "object_repr"]
    search_fields = ["action", "object_repr", "actor_label"]


for model in [
    m.Agency,
    m.Region,
    m.UnitType,
    m.Corps,
    m.GradeBand,
    m.StatuteVersion,
    m.Grade,
    m.GradeMapping,
    m.Establishment,
    m.SkillCategory,
    m.Skill,
    m.Language,
    m.DocumentType,
    m.Signatory,
]:
    admin.site.register(model, ReadOnlyAdmin)
