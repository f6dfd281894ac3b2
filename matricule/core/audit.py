"""Writing and verifying the audit trail.

Every service calls `audit_record` inside its own transaction, so a change and
its audit row are committed together or not at all.
"""

from __future__ import annotations

import contextvars
import json
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from django.contrib.auth.base_user import AbstractBaseUser
from django.db import transaction
from django.db.models import Model
from django.utils import timezone

from matricule.core.models import AuditEntry, AuditHead
from matricule.core.models.audit import GENESIS_HASH

# Core sits below accounts: any Django user will do (the project's is accounts.User).
User = AbstractBaseUser

# Set by middleware for the duration of a request; services never see HTTP objects.
current_ip: contextvars.ContextVar[str | None] = contextvars.ContextVar("current_ip", default=None)

SYSTEM_LABEL = "système"


def to_json(value: Any) -> Any:
    """Normalise to plain JSON so the hash is the same before and after a database round trip."""
    if value is None:
        return None
    return json.loads(json.dumps(value, default=str, ensure_ascii=False))


def model_snapshot(instance: Model, fields: list[str] | None = None) -> dict[str, Any]:
    """Concrete field values of a model instance, for the before/after of an audit entry."""
    data: dict[str, Any] = {}
    for field in instance._meta.concrete_fields:
        if fields is not None and field.name not in fields:
            continue
        data[field.attname] = getattr(instance, field.attname)
    return to_json(data)


def audit_record(
    *,
    by: User | None,
    action: str,
    obj: Model | None = None,
    object_type: str = "",
    object_id: str = "",
    object_repr: str = "",
    before: Any = None,
    after: Any = None,
    subject_officer_id: int | None = None,
) -> AuditEntry:
    """Append one entry to the chain. Must be called inside the caller's transaction."""
    if obj is not None:
        object_type = object_type or obj._meta.label_lower
        object_id = object_id or str(obj.pk)
        object_repr = object_repr or str(obj)[:255]
    with transaction.atomic():
        head, _created = AuditHead.objects.select_for_update().get_or_create(
            id=1, defaults={"seq": 0, "hash": GENESIS_HASH}
        )
        entry = AuditEntry(
            seq=head.seq + 1,
            created_at=timezone.now(),
            actor_id=by.pk if by is not None else None,
            actor_label=(by.get_username() if by is not None else SYSTEM_LABEL)[:150],
            subject_officer_id=subject_officer_id,
            action=action,
            object_type=object_type,
            object_id=object_id,
            object_repr=object_repr[:255],
            before=to_json(before),
            after=to_json(after),
            ip=current_ip.get(),
            prev_hash=head.hash,
        )
        entry.hash = entry.compute_hash()
        entry.save(force_insert=True)
        head.seq = entry.seq
        head.hash = entry.hash
        head.save(update_fields=["seq", "hash"])
    return entry


@dataclass(frozen=True)
class AuditProblem:
    seq: int
    reason: str


def audit_verify(*, batch_size: int = 2000) -> tuple[int, AuditProblem | None]:
    """Walk the chain in order; return (entries checked, first problem or None)."""
    expected_prev = GENESIS_HASH
    expected_seq = 1
    count = 0
    for entry in _iter_entries(batch_size):
        if entry.seq != expected_seq:
            return count, AuditProblem(expected_seq, "entrée manquante (supprimée ?)")
        if entry.prev_hash != expected_prev:
            return count, AuditProblem(
                entry.seq, "chaînage rompu : empreinte précédente différente"
            )
        if entry.compute_hash() != entry.hash:
            return count, AuditProblem(entry.seq, "contenu modifié : empreinte différente")
        expected_prev = entry.hash
        expected_seq += 1
        count += 1
    head = AuditHead.objects.filter(id=1).first()
    if head is not None and (head.seq != count or head.hash != expected_prev):
        return count, AuditProblem(count + 1, "entrées finales supprimées")
    return count, None


def _iter_entries(batch_size: int) -> Iterator[AuditEntry]:
    last = 0
    while True:
        batch = list(AuditEntry.objects.filter(seq__gt=last).order_by("seq")[:batch_size])
        if not batch:
            return
        yield from batch
        last = batch[-1].seq
