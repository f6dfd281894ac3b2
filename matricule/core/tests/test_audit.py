from __future__ import annotations

import pytest
from django.core.management import call_command
from django.db import connection

from matricule.core.audit import audit_record, audit_verify
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
