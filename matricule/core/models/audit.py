"""The hash-chained audit trail: one row per change, written in the same transaction."""

from __future__ import annotations

import hashlib
import json
from typing import Any

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

GENESIS_HASH = "0" * 64


class AuditHead(models.Model):
    """Single row holding the last sequence number and hash; locked to serialise appends."""

    id = models.PositiveSmallIntegerField(primary_key=True, default=1)
    seq = models.BigIntegerField(default=0)
    hash = models.CharField(max_length=64, default=GENESIS_HASH)

    class Meta:
        verbose_name = _("tête de la piste d'audit")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(id=1),
                name="audithead_singleton",
                violation_error_message=_("La tête de la piste d'audit est unique."),
            )
        ]

    def __str__(self) -> str:
        return f"#{self.seq} {self.hash[:12]}"


class AuditEntry(models.Model):
    """One change. `seq`, `prev_hash` and `hash` are empty until the entry is sealed."""

    # Position in the chain, given at sealing (after commit), in insertion order.
    seq = models.BigIntegerField(_("numéro"), unique=True, null=True, blank=True)
    created_at = models.DateTimeField(_("date"), db_index=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("auteur"),
    )
    actor_label = models.CharField(_("auteur (libellé)"), max_length=150)
    subject_officer_id = models.BigIntegerField(
        _("agent concerné"), null=True, blank=True, db_index=True
    )
    action = models.CharField(_("action"), max_length=60, db_index=True)
    object_type = models.CharField(_("type d'objet"), max_length=60)
    object_id = models.CharField(_("identifiant"), max_length=60, blank=True)
    object_repr = models.CharField(_("objet"), max_length=255, blank=True)
    before = models.JSONField(_("avant"), null=True, blank=True)
    after = models.JSONField(_("après"), null=True, blank=True)
    ip = models.GenericIPAddressField(_("adresse IP"), null=True, blank=True)
    # HMAC of the content with key `key_id`, made when the entry is written.
    key_id = models.CharField(max_length=24, blank=True, default="")
    mac = models.CharField(max_length=64, blank=True, default="")
    # HMAC of (previous hash + seq + content) with key `seal_key_id`, made at sealing.
    seal_key_id = models.CharField(max_length=24, blank=True, default="")
    prev_hash = models.CharField(max_length=64, blank=True, default="")
    hash = models.CharField(max_length=64, blank=True, default="")

    class Meta:
        verbose_name = _("entrée d'audit")
        verbose_name_plural = _("piste d'audit")
        ordering = ["-id"]
        indexes = [
            models.Index(fields=["actor", "created_at"], name="audit_actor_date"),
            models.Index(
                fields=["id"], condition=models.Q(seq__isnull=True), name="audit_unsealed"
            ),
        ]

    def __str__(self) -> str:
        return f"#{self.seq or '…'} {self.action} {self.object_repr}"

    def compute_hash(self) -> str:
        """The plain SHA-256 link of entries sealed before the chain was keyed."""
        return compute_entry_hash(self.canonical_fields(), self.prev_hash)

    def content_fields(self) -> dict[str, Any]:
        fields = self.canonical_fields()
        del fields["seq"]
        return fields

    def content_payload(self) -> str:
        return _canonical_json(self.content_fields())

    def chain_payload(self) -> str:
        return self.prev_hash + _canonical_json(self.canonical_fields())

    def canonical_fields(self) -> dict[str, Any]:
        return {
            "seq": self.seq,
            "created_at": self.created_at.isoformat(),
            "actor_id": self.actor_id,
            "actor_label": self.actor_label,
            "subject_officer_id": self.subject_officer_id,
            "action": self.action,
            "object_type": self.object_type,
            "object_id": self.object_id,
            "object_repr": self.object_repr,
            "before": self.before,
            "after": self.after,
            "ip": self.ip,
        }


def _canonical_json(fields: dict[str, Any]) -> str:
    # sort_keys and fixed separators make the digest independent of dict order and backend.
    return json.dumps(
        fields, sort_keys=True, separators=(",", ":"), ensure_ascii=False, default=str
    )


def compute_entry_hash(fields: dict[str, Any], prev_hash: str) -> str:
    return hashlib.sha256((prev_hash + _canonical_json(fields)).encode()).hexdigest()
