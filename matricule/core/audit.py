"""Writing, sealing and verifying the audit trail.

Writing never waits for anyone. A service calls `audit_record` (or `audit_record_many`)
inside its own transaction: the entry is inserted with its own MAC and no chain position,
so the change and its entry commit together or not at all, and a long transaction (a big
import) holds no lock that other writers need.

Sealing is a short step after commit (`audit_seal`, run on commit of every audited write):
under a brief lock of the chain's head it gives the committed, not yet sealed entries their
position (`seq`), in insertion order, and chains them: hash = HMAC(key, previous hash +
entry). A checkpoint of the head is then written, signed, outside the database
(core.audit_keys). `verify_audit` checks every link, every MAC and the checkpoint, and
names the first bad entry.
"""

from __future__ import annotations

import contextlib
import contextvars
import datetime
import hmac
import json
import logging
import threading
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from typing import Any

from django.contrib.auth.base_user import AbstractBaseUser
from django.db import transaction
from django.db.models import Model
from django.utils import timezone

from matricule.core import audit_keys
from matricule.core.bulk import bulk_insert, bulk_update_rows
from matricule.core.models import AuditEntry, AuditHead
from matricule.core.models.audit import GENESIS_HASH, compute_entry_hash

logger = logging.getLogger(__name__)

# Core sits below accounts: any Django user will do (the project's is accounts.User).
User = AbstractBaseUser

# Set by middleware for the duration of a request; services never see HTTP objects.
current_ip: contextvars.ContextVar[str | None] = contextvars.ContextVar("current_ip", default=None)

SYSTEM_LABEL = "système"
SEAL_BATCH = 2000


_PLAIN = (str, int, bool, type(None))


def to_json(value: Any) -> Any:
    """Normalise to plain JSON so the hash is the same before and after a database round trip."""
    if value is None:
        return None
    if isinstance(value, dict) and all(
        isinstance(k, str) and (type(v) in _PLAIN or type(v) is datetime.date)
        for k, v in value.items()
    ):
        # The common flat case (bulk imports write tens of thousands): the same result as
        # the JSON round trip below (a date becomes its ISO text), without it.
        return {k: v.isoformat() if type(v) is datetime.date else v for k, v in value.items()}
    return json.loads(json.dumps(value, default=str, ensure_ascii=False))


def model_snapshot(instance: Model, fields: list[str] | None = None) -> dict[str, Any]:
    """Concrete field values of a model instance, for the before/after of an audit entry."""
    data: dict[str, Any] = {}
    for model_field in instance._meta.concrete_fields:
        if fields is not None and model_field.name not in fields:
            continue
        data[model_field.attname] = getattr(instance, model_field.attname)
    snapshot: dict[str, Any] = to_json(data)
    return snapshot


@dataclass
class AuditDraft:
    """One entry to write with `audit_record_many` (same meaning as audit_record's args)."""

    action: str
    obj: Model | None = None
    object_type: str = ""
    object_id: str = ""
    object_repr: str = ""
    before: Any = None
    after: Any = None
    subject_officer_id: int | None = None
    extra: dict[str, Any] = field(default_factory=dict)


_COLUMNS = (
    "id",
    "seq",
    "created_at",
    "actor_id",
    "actor_label",
    "subject_officer_id",
    "action",
    "object_type",
    "object_id",
    "object_repr",
    "before",
    "after",
    "ip",
    "key_id",
    "mac",
    "seal_key_id",
    "prev_hash",
    "hash",
)
# _entry builds entries positionally: a column added to AuditEntry must be added there.
assert tuple(f.attname for f in AuditEntry._meta.concrete_fields) == _COLUMNS, _COLUMNS


def _entry(
    by: User | None, draft: AuditDraft, kid: str, key: bytes, now: datetime.datetime
) -> AuditEntry:
    object_type, object_id, object_repr = draft.object_type, draft.object_id, draft.object_repr
    if draft.obj is not None:
        object_type = object_type or draft.obj._meta.label_lower
        object_id = object_id or str(draft.obj.pk)
        object_repr = object_repr or str(draft.obj)[:255]
    # Positional, in the order of _COLUMNS (much quicker than keywords when an import
    # writes tens of thousands). Django assigns positional values by column (actor_id),
    # which django-stubs does not model.
    entry = AuditEntry(  # type: ignore[misc]
        None,
        None,
        now,
        by.pk if by is not None else None,
        (by.get_username() if by is not None else SYSTEM_LABEL)[:150],
        draft.subject_officer_id,
        draft.action,
        object_type[:60],
        object_id[:60],
        object_repr[:255],
        to_json(draft.before),
        to_json(draft.after),
        current_ip.get(),
        kid,
        "",
        "",
        "",
        "",
    )
    entry.mac = audit_keys.mac(key, entry.content_payload())
    return entry


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
    """Write one entry in the caller's transaction; it is sealed into the chain on commit."""
    draft = AuditDraft(
        action=action,
        obj=obj,
        object_type=object_type,
        object_id=object_id,
        object_repr=object_repr,
        before=before,
        after=after,
        subject_officer_id=subject_officer_id,
    )
    return audit_record_many(by=by, drafts=[draft])[0]


def audit_record_many(*, by: User | None, drafts: Iterable[AuditDraft]) -> list[AuditEntry]:
    """Write many entries at once (imports, batch jobs), in the caller's transaction."""
    kid, key = audit_keys.current_key()
    now = timezone.now()  # the entries written together share their instant
    entries = [_entry(by, draft, kid, key, now) for draft in drafts]
    if not entries:
        return []
    with transaction.atomic():
        fields = [f.attname for f in AuditEntry._meta.concrete_fields if not f.primary_key]
        ids = bulk_insert(
            AuditEntry, ({k: getattr(e, k) for k in fields} for e in entries), returning=True
        )
        written = _written()
        for entry, pk in zip(entries, ids, strict=True):
            entry.pk = pk
            entry._state.adding = False
            written[pk] = entry
        if getattr(_local, "bulk", 0):
            _local.unsealed = getattr(_local, "unsealed", 0) + len(entries)
        transaction.on_commit(_seal_after_commit, robust=True)
    return entries


_local = threading.local()


def _written() -> dict[int, AuditEntry]:
    """The entries this thread wrote and has not sealed yet, by id.

    The seal that follows the commit chains them from these copies rather than reading
    their content back (an import seals tens of thousands). The content is the one whose
    MAC was made and that was inserted: a row changed in the database meanwhile is named
    by verify_audit, as before. Entries of a transaction rolled back never come up as
    pending; they are dropped once the seal has passed their ids.
    """
    found: dict[int, AuditEntry] | None = getattr(_local, "written", None)
    if found is None:
        found = _local.written = {}
    return found


# Under `seal_in_bulk`, the seal waits for this many entries written by the thread.
BULK_SEAL_ENTRIES = 5000


@contextlib.contextmanager
def seal_in_bulk() -> Iterator[None]:
    """Seal every few thousand entries rather than after each commit, then at the end.

    For batch jobs (imports): each seal is a transaction of its own and a synced
    checkpoint file, which after every batch of an import cost as much as the batch's
    own commit. Committed entries wait unsealed a little longer (any other write's seal,
    or verify_audit, takes them meanwhile); the copies kept for the seal stay bounded.
    """
    depth = getattr(_local, "bulk", 0)
    if depth == 0:
        _local.unsealed = 0
    _local.bulk = depth + 1
    try:
        yield
    finally:
        _local.bulk = depth
        if depth == 0:
            if transaction.get_connection().in_atomic_block:
                transaction.on_commit(_seal_after_commit, robust=True)
            else:
                _seal_after_commit()


def _seal_after_commit() -> None:
    if getattr(_local, "bulk", 0):
        # Counted from the job's own entries (the thread may hold copies of entries whose
        # transaction was rolled back: the seal drops them).
        if getattr(_local, "unsealed", 0) < BULK_SEAL_ENTRIES:
            return
        _local.unsealed = 0
    try:
        audit_seal()
    except Exception:
        # The entries are committed; the next seal (any write, or verify_audit) takes them.
        logger.exception("audit: scellement différé")


@dataclass(frozen=True)
class SealResult:
    sealed: int
    head_seq: int
    head_hash: str
    refused: list[int]


def audit_seal(*, batch_size: int = SEAL_BATCH) -> SealResult:
    """Give the committed, unsealed entries their place in the chain (in insertion order).

    An entry whose MAC does not match its content (a row added or edited behind the
    application's back before sealing) is never sealed: verify_audit names it.
    """
    sealed = 0
    refused: list[int] = []
    while True:
        with transaction.atomic():
            head, _created = AuditHead.objects.select_for_update().get_or_create(
                id=1, defaults={"seq": 0, "hash": GENESIS_HASH}
            )
            pending = list(
                AuditEntry.objects.filter(seq__isnull=True)
                .exclude(id__in=refused)
                .order_by("id")
                .values_list("id", "mac")[:batch_size]
            )
            if not pending:
                head_seq, head_hash = head.seq, head.hash
                break
            written = _written()
            # A copy is used only for the very row it was written as (same id and MAC: an
            # id given again after a rollback is another entry, read from the database).
            mine_of = {
                pk: entry
                for pk, mac in pending
                if (entry := written.pop(pk, None)) is not None and entry.mac == mac
            }
            others = AuditEntry.objects.in_bulk([pk for pk, _mac in pending if pk not in mine_of])
            kid, key = audit_keys.current_key()
            chained = []
            for pk, _mac in pending:
                mine = mine_of.get(pk)
                entry = mine if mine is not None else others[pk]
                if mine is None:
                    entry_key = audit_keys.key_for(entry.key_id)
                    if entry_key is None or not hmac.compare_digest(
                        entry.mac, audit_keys.mac(entry_key, entry.content_payload())
                    ):
                        refused.append(entry.id)
                        continue
                entry.seq = head.seq + 1
                entry.prev_hash = head.hash
                entry.seal_key_id = kid
                entry.hash = audit_keys.mac(key, entry.chain_payload())
                head.seq, head.hash = entry.seq, entry.hash
                chained.append(entry)
            bulk_update_rows(
                AuditEntry,
                ["seq", "prev_hash", "hash", "seal_key_id"],
                [[e.seq, e.prev_hash, e.hash, e.seal_key_id, e.id] for e in chained],
            )
            head.save(update_fields=["seq", "hash"])
            sealed += len(chained)
            # Ids below the last pending one that are still here were rolled back.
            for stale in [pk for pk in written if pk < pending[-1][0]]:
                del written[stale]
            if len(pending) < batch_size:
                # All there was: entries committed since are taken by the next seal.
                head_seq, head_hash = head.seq, head.hash
                break
    if sealed:
        audit_keys.checkpoint_write(seq=head_seq, hash=head_hash)
    return SealResult(sealed, head_seq, head_hash, refused)


@dataclass(frozen=True)
class AuditProblem:
    seq: int
    reason: str
    entry_id: int | None = None


def audit_verify(*, batch_size: int = 2000) -> tuple[int, AuditProblem | None]:
    """Seal what is pending, then walk the chain; return (entries checked, first problem)."""
    seal = audit_seal()
    if seal.refused:
        first = AuditEntry.objects.get(id=seal.refused[0])
        return 0, AuditProblem(
            0, "entrée ajoutée ou modifiée hors de l'application (empreinte invalide)", first.id
        )
    expected_prev = GENESIS_HASH
    expected_seq = 1
    count = 0
    for entry in _iter_sealed(batch_size):
        if entry.seq != expected_seq:
            return count, AuditProblem(expected_seq, "entrée manquante (supprimée ?)")
        if entry.prev_hash != expected_prev:
            return count, AuditProblem(
                entry.seq, "chaînage rompu : empreinte précédente différente"
            )
        problem = _entry_problem(entry)
        if problem:
            return count, AuditProblem(entry.seq, problem, entry.id)
        expected_prev = entry.hash
        expected_seq += 1
        count += 1
    head = AuditHead.objects.filter(id=1).first()
    if head is not None and (head.seq != count or head.hash != expected_prev):
        return count, AuditProblem(count + 1, "entrées finales supprimées")
    point = audit_keys.checkpoint_read()
    if point is not None:
        if not audit_keys.checkpoint_valid(point):
            return count, AuditProblem(count + 1, "point de contrôle illisible ou falsifié")
        if point.seq > count:
            return count, AuditProblem(
                count + 1,
                f"entrées finales supprimées : le point de contrôle du {point.at} "
                f"atteste {point.seq} entrées",
            )
        at_point = AuditEntry.objects.filter(seq=point.seq).values_list("hash", flat=True).first()
        if point.seq > 0 and at_point != point.hash:
            return count, AuditProblem(
                point.seq, "chaîne réécrite : différente du point de contrôle"
            )
    return count, None


def _entry_problem(entry: AuditEntry) -> str:
    if entry.seal_key_id == audit_keys.LEGACY_KID and not entry.mac:
        # Sealed before the chain was keyed (plain SHA-256).
        if compute_entry_hash(entry.canonical_fields(), entry.prev_hash) != entry.hash:
            return "contenu modifié : empreinte différente"
        return ""
    content_key = audit_keys.key_for(entry.key_id)
    seal_key = audit_keys.key_for(entry.seal_key_id)
    if content_key is None or seal_key is None:
        return "clé de scellement introuvable (dossier des clés incomplet ?)"
    if not hmac.compare_digest(entry.mac, audit_keys.mac(content_key, entry.content_payload())):
        return "contenu modifié : empreinte de l'entrée différente"
    if not hmac.compare_digest(entry.hash, audit_keys.mac(seal_key, entry.chain_payload())):
        return "chaînage recalculé sans la clé : empreinte différente"
    return ""


def _iter_sealed(batch_size: int) -> Iterator[AuditEntry]:
    last = 0
    while True:
        batch = list(AuditEntry.objects.filter(seq__gt=last).order_by("seq")[:batch_size])
        if not batch:
            return
        yield from batch
        last = batch[-1].seq or last


def pending_count() -> int:
    return AuditEntry.objects.filter(seq__isnull=True).count()
