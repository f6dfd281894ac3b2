"""Technicians' admin for reference data; HR directors use /referentiels/."""

from __future__ import annotations

from django.contrib import admin

from matricule.core import models as m


@admin.register(m.Unit)
class UnitAdmin(admin.ModelAdmin[m.Unit]):
    list_display = ["code", "name", "agency", "unit_type", "region", "is_active"]
    list_filter = ["agency", "unit_type", "region"]
    search_fields = ["code", "name"]
    readonly_fields = ["path", "depth"]


@admin.register(m.AuditEntry)
class AuditEntryAdmin(admin.ModelAdmin[m.AuditEntry]):
    """Read-only: the trail is changed only by services."""

    list_display = ["seq", "created_at", "actor_label", "action", "object_repr"]
    search_fields = ["action", "object_repr", "actor_label"]

    def has_add_permission(self, request: object) -> bool:
        return False

    def has_change_permission(self, request: object, obj: object = None) -> bool:
        return False

    def has_delete_permission(self, request: object, obj: object = None) -> bool:
        return False


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
    admin.site.register(model)
