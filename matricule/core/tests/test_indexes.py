"""The tables written in bulk carry no index that another index already covers.

Django gives every foreign key its own index; when a composite index starts with the same
column it serves every query the single one would, and each extra index is one more write
per row imported or computed (personnel 0014, promotions 0003).
"""

from __future__ import annotations

import pytest
from django.apps import apps
from django.db import connection, models

pytestmark = pytest.mark.django_db

# The tables an import or an eligibility run writes a row to per officer, event or rule.
BULK_TABLES = [
    "personnel_officer",
    "personnel_careerevent",
    "personnel_situationperiod",
    "promotions_eligibility",
]


def partial_indexes() -> set[str]:
    """Indexes with a condition: they hold some rows only, so they cover nothing."""
    # Check constraints carry a `condition` too, but they are no index.
    return {
        index.name
        for model in apps.get_models()
        for index in [*model._meta.indexes, *model._meta.constraints]
        if isinstance(index, models.Index | models.UniqueConstraint) and index.condition is not None
    }


def covered_indexes(table: str) -> list[tuple[str, str]]:
    """(index, covering index) for each plain index whose columns begin another index."""
    with connection.cursor() as cursor:
        found = connection.introspection.get_constraints(cursor, table)
    partial = partial_indexes()
    indexes = {
        name: tuple(info["columns"])
        for name, info in found.items()
        if (info["index"] or info["unique"]) and info["columns"] and name not in partial
    }
    out = []
    for name, columns in indexes.items():
        if found[name]["unique"] or found[name]["primary_key"]:
            continue
        for other, longer in indexes.items():
            if other != name and len(longer) > len(columns) and longer[: len(columns)] == columns:
                out.append((name, other))
                break
    return out


@pytest.mark.parametrize("table", BULK_TABLES)
def test_no_index_is_covered_by_another(table):
    assert covered_indexes(table) == []


def test_the_check_finds_a_covered_index():
    # Control: the check is not blind (an index on the first column of a composite one).
    with connection.cursor() as cursor:
        cursor.execute('CREATE INDEX "test_covered_run" ON "promotions_eligibility" ("run_id")')
    found = dict(covered_indexes("promotions_eligibility"))
    assert found["test_covered_run"] in {"eligibility_run_rank", "eligibility_once_per_rule"}
