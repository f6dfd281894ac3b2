from __future__ import annotations

import pytest
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext

from matricule.core.audit import audit_record, audit_seal, audit_verify
from matricule.core.models import AuditEntry, AuditHead

pytestmark = pytest.mark.django_db


def _three_entries(user=None):
    for i in range(3):
        audit_record(
            by=user,
            action="test.write",
            object_type="test",
            object_id=str(i),
            object_repr=f"objet {i}",
            before={"n": i},
            after={"n": i + 1, "nom": "Maïga"},
        )
    # Outside a test the entries are sealed on commit; here the test's transaction never
    # commits, so seal by hand.
    audit_seal()


def test_entries_are_chained_and_verify():
    start = AuditHead.objects.get(id=1).seq
    _three_entries()
    entries = list(AuditEntry.objects.filter(seq__gt=start).order_by("seq"))
    assert [e.seq for e in entries] == [start + 1, start + 2, start + 3]
    assert entries[1].prev_hash == entries[0].hash
    assert entries[2].prev_hash == entries[1].hash
    count, problem = audit_verify()
    assert problem is None
    assert count == start + 3


def test_a_row_edited_in_the_database_is_named(capsys):
    _three_entries()
    target = AuditEntry.objects.order_by("-seq")[1]
    # Edit behind the application's back, as someone with database access would.
    with connection.cursor() as cursor:
        cursor.execute(
            f"UPDATE {AuditEntry._meta.db_table} SET after = %s WHERE seq = %s",
            ['{"n": 999}', target.seq],
        )
    with pytest.raises(SystemExit) as exit_info:
        call_command("verify_audit")
    assert exit_info.value.code == 1
    assert f"n° {target.seq}" in capsys.readouterr().err


def test_a_deleted_row_is_detected():
    _three_entries()
    middle = AuditEntry.objects.order_by("-seq")[1]
    with connection.cursor() as cursor:
        cursor.execute(f"DELETE FROM {AuditEntry._meta.db_table} WHERE seq = %s", [middle.seq])
    _count, problem = audit_verify()
    assert problem is not None
    assert problem.seq == middle.seq


def test_deleting_the_last_rows_is_detected():
    _three_entries()
    last = AuditEntry.objects.order_by("-seq")[0]
    with connection.cursor() as cursor:
        cursor.execute(f"DELETE FROM {AuditEntry._meta.db_table} WHERE seq = %s", [last.seq])
    _count, problem = audit_verify()
    assert problem is not None
    assert problem.seq == last.seq


def test_verify_audit_command_reports_count_when_intact(capsys):
    _three_entries()
    call_command("verify_audit")
    out = capsys.readouterr().out
    assert "intacte" in out
    assert str(AuditEntry.objects.count()) in out


# --- Someone with database access but not the key folder ---------------------------------


def _sha_chain_rewrite(from_seq: int) -> None:
    """Recompute every link from `from_seq` with plain SHA-256, as a forger without the key
    would (the old, unkeyed chain could be rewritten this way undetected)."""
    from matricule.core.models.audit import compute_entry_hash

    previous = AuditEntry.objects.get(seq=from_seq - 1).hash if from_seq > 1 else "0" * 64
    for entry in AuditEntry.objects.filter(seq__gte=from_seq).order_by("seq"):
        digest = compute_entry_hash(entry.canonical_fields(), previous)
        AuditEntry.objects.filter(pk=entry.pk).update(prev_hash=previous, hash=digest)
        previous = digest
    AuditHead.objects.filter(id=1).update(hash=previous)


def test_an_edited_row_with_recomputed_hashes_is_named_itself():
    _three_entries()
    target = AuditEntry.objects.order_by("-seq")[1]
    AuditEntry.objects.filter(pk=target.pk).update(after={"n": 999})
    _sha_chain_rewrite(target.seq)
    _count, problem = audit_verify()
    assert problem is not None
    assert problem.seq == target.seq  # the edited row, not the one after it


def test_a_truncated_tail_with_the_head_moved_back_is_detected():
    _three_entries()
    last = AuditEntry.objects.order_by("-seq")[0]
    previous = AuditEntry.objects.get(seq=last.seq - 1)
    with connection.cursor() as cursor:
        cursor.execute(f"DELETE FROM {AuditEntry._meta.db_table} WHERE seq = %s", [last.seq])
    AuditHead.objects.filter(id=1).update(seq=previous.seq, hash=previous.hash)
    count, problem = audit_verify()
    assert problem is not None
    assert "point de contrôle" in problem.reason
    assert count == previous.seq


def test_a_row_inserted_behind_the_applications_back_is_never_sealed():
    _three_entries()
    forged = AuditEntry.objects.create(
        created_at=AuditEntry.objects.order_by("-id")[0].created_at,
        actor_label="inconnu",
        action="officer.update",
        object_type="personnel.officer",
        mac="0" * 64,
        key_id="x",
    )
    _count, problem = audit_verify()
    assert problem is not None and problem.entry_id == forged.pk
    forged.refresh_from_db()
    assert forged.seq is None


def test_entries_sealed_before_a_key_rotation_still_verify():
    from matricule.core import audit_keys

    _three_entries()
    old_kid, _key = audit_keys.current_key()
    new_kid = audit_keys.key_rotate()
    assert new_kid > old_kid
    _three_entries()
    kids = set(AuditEntry.objects.values_list("seal_key_id", flat=True))
    assert {old_kid, new_kid} <= kids
    assert audit_verify()[1] is None


def test_the_checkpoint_is_signed_and_written_outside_the_database(settings):
    import json
    import stat
    from pathlib import Path

    _three_entries()
    path = Path(settings.MATRICULE_AUDIT_KEY_DIR) / "audit-checkpoint.json"
    data = json.loads(path.read_text())
    head = AuditHead.objects.get(id=1)
    assert (data["seq"], data["hash"]) == (head.seq, head.hash)
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    path.write_text(json.dumps({**data, "seq": data["seq"] + 5}))  # a forged checkpoint
    _count, problem = audit_verify()
    assert problem is not None and "falsifié" in problem.reason


def test_writing_an_entry_takes_no_lock_on_the_chain():
    """The chain's head is touched only by sealing, after commit: an audited write inside a
    long transaction (an import) leaves it alone, so other writers never wait for it."""
    head_before = AuditHead.objects.get(id=1)
    with CaptureQueriesContext(connection) as queries:
        audit_record(by=None, action="test.write", object_type="test", object_id="1")
    assert not any("core_audithead" in q["sql"] for q in queries.captured_queries)
    assert AuditHead.objects.get(id=1).seq == head_before.seq


def test_a_batch_job_seals_every_few_thousand_entries_then_at_the_end(
    monkeypatch, django_capture_on_commit_callbacks
):
    """Under seal_in_bulk the commits of the batches leave their entries unsealed until
    enough are waiting, and the end of the job seals the rest: the chain then verifies."""
    from matricule.core import audit

    monkeypatch.setattr(audit, "BULK_SEAL_ENTRIES", 4)
    start = AuditHead.objects.get(id=1).seq

    def batch(n: int) -> None:
        # A batch's commit runs its on-commit callbacks (the seal), as outside a test.
        with django_capture_on_commit_callbacks(execute=True):
            audit.audit_record_many(
                by=None,
                drafts=[
                    audit.AuditDraft(action="test.write", object_type="test", object_id=str(i))
                    for i in range(n)
                ],
            )

    def sealed() -> int:
        return AuditHead.objects.get(id=1).seq - start

    # An entry written earlier by the thread and not sealed yet: it is not the job's own
    # and does not count towards the job's threshold (the seal still takes it).
    audit.audit_record(by=None, action="test.write", object_type="test", object_id="x")
    # The job ends inside the test's transaction: its last seal waits for that commit.
    with django_capture_on_commit_callbacks(execute=True), audit.seal_in_bulk():
        batch(3)
        assert sealed() == 0  # three of the job's waiting: under the threshold
        batch(3)
        assert sealed() == 7  # six of the job's: sealed together, with the earlier one
        batch(2)
        assert sealed() == 7
    assert sealed() == 9  # the end of the job seals the rest
    assert audit_verify()[1] is None
    batch(1)
    assert sealed() == 10  # outside, each commit seals again
