"""Bulk inserts write what the ORM would, and the database's refusals come out as Django's
errors (on PostgreSQL the rows go by COPY, on SQLite by multi-row INSERTs)."""

from __future__ import annotations

import datetime

import pytest
from django.db import IntegrityError, connection, transaction
from django.test.utils import CaptureQueriesContext

from matricule.core.bulk import JsonText, bulk_insert
from matricule.core.models import AuditEntry

pytestmark = pytest.mark.django_db

AT = datetime.datetime(2026, 3, 1, 9, 30, 15, 123456, tzinfo=datetime.UTC)


def row(seq: int, **values: object) -> dict[str, object]:
    return {
        "seq": seq,
        "created_at": AT,
        "actor_label": "rh.bamako",
        "action": "test.bulk",
        "object_type": "core.test",
        **values,
    }


def test_values_of_every_kind_read_back_as_written():
    awkward = 'Tab\there, new\nline, back\\slash, "quotes" ; Ségou — \\N'
    rows = [
        row(
            900_001,
            object_repr=awkward,
            before={"grade": "GP", "dates": ["01/02/2003"], "n": 3, "ok": True},
            after=JsonText('{"already": "encoded", "accents": "Kéniéba"}'),
            ip="10.0.0.7",
            subject_officer_id=None,
        ),
        row(900_002, before=None, after={"text": awkward}, ip=None, subject_officer_id=42),
    ]
    with CaptureQueriesContext(connection) as captured:
        assert bulk_insert(AuditEntry, rows) == []
    assert len(captured.captured_queries) == 1  # one statement, counted like any query
    first, second = AuditEntry.objects.filter(seq__gte=900_001).order_by("seq")
    assert first.object_repr == awkward
    assert first.before == {"grade": "GP", "dates": ["01/02/2003"], "n": 3, "ok": True}
    assert first.after == {"already": "encoded", "accents": "Kéniéba"}
    assert first.ip == "10.0.0.7"
    assert first.created_at == AT
    assert first.subject_officer_id is None and first.mac == ""  # a model default
    assert second.before is None and second.after == {"text": awkward}
    assert second.ip is None and second.subject_officer_id == 42


def test_a_refused_row_raises_djangos_integrity_error_and_writes_nothing():
    bulk_insert(AuditEntry, [row(900_010)])
    with pytest.raises(IntegrityError), transaction.atomic():
        bulk_insert(AuditEntry, [row(900_011), row(900_010)])  # seq is unique
    assert list(AuditEntry.objects.filter(seq__gte=900_010).values_list("seq", flat=True)) == [
        900_010
    ]


def test_ids_are_returned_in_order_when_asked():
    ids = bulk_insert(AuditEntry, [row(900_020), row(900_021)], returning=True)
    assert [AuditEntry.objects.get(pk=pk).seq for pk in ids] == [900_020, 900_021]
