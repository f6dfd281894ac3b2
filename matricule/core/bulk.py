"""Bulk writes for batch jobs (imports, audit sealing): many rows per statement.

Django's `bulk_create` and `bulk_update` are generic and slow at scale: on SQLite
`bulk_create` sends 999 parameters per INSERT (about 28 officers), and `bulk_update`
builds a CASE expression per field and row. These helpers write the same rows as
multi-row `INSERT … VALUES` (with `RETURNING id` when the ids are needed) and
`UPDATE … FROM (VALUES …)`, which both SQLite (3.35+) and PostgreSQL run natively; on
PostgreSQL the rows whose ids are not needed go by one `COPY … FROM STDIN`.

They take plain values keyed by column attribute name (`officer_id`, not `officer`);
a missing field takes its model default. No signals, no `save()`, no validation: the
caller has validated the rows (as an import's planning does).
"""

from __future__ import annotations

import operator
import sqlite3
import time
from collections.abc import Callable, Iterable, Iterator, Sequence
from typing import Any, TypeVar

from django.db import connection, models

# SQLite accepts 32,766 parameters per statement since 3.32, PostgreSQL 65,535.
MAX_PARAMS = 30_000
MAX_ROWS = 1_000
# Values per `IN (…)` list of an ORM filter, well under both limits.
IN_CHUNK = 10_000

T = TypeVar("T")


def in_chunks(values: list[T], size: int = IN_CHUNK) -> Iterator[list[T]]:
    """Slices of `values` short enough for one `field__in=` filter on both databases
    (or `size` at a time, for work done in bounded transactions)."""
    for start in range(0, len(values), size):
        yield values[start : start + size]


def _execute(
    cursor: Any, sql: str, params: list[Any], *, fetch: bool = False
) -> tuple[list[Any], int]:
    """Run one statement of many placeholders; its rows (when `fetch`) and row count.

    Both drivers' placeholder handling is slow on a statement of 30,000 `%s`: on SQLite
    Django rewrites each with a regular expression, and psycopg splits such a statement
    in Python (too long for its cache) — on PostgreSQL that cost ten times the insert.
    The statement is written in the database's own placeholders (`?`, `$n`) and run by
    the driver directly (psycopg's `RawCursor`, server-side parameters), and still logged
    like any query (the query counts of tests and benchmarks stay true).
    """
    started = time.monotonic()
    rows: list[Any] = []
    # The drivers' own errors become Django's (IntegrityError…), as through the ORM: the
    # callers catch those (an import's refused batch).
    with connection.wrap_database_errors:
        if connection.vendor == "sqlite":
            query = sql.replace("%s", "?")
            sqlite3.Cursor.execute(cursor.cursor, query, params)
            count = cursor.rowcount
            if fetch:
                rows = cursor.fetchall()
        elif connection.vendor == "postgresql":
            import psycopg

            pieces = sql.split("%s")
            marks = [f"${n}" for n in range(1, len(pieces))]
            query = "".join([p for pair in zip(pieces, [*marks, ""], strict=True) for p in pair])
            with psycopg.RawCursor(connection.connection) as raw:
                raw.execute(query, params, prepare=False)
                count = raw.rowcount
                if fetch:
                    rows = raw.fetchall()
        else:  # pragma: no cover - the project runs on SQLite and PostgreSQL
            cursor.execute(sql, params)
            return (cursor.fetchall() if fetch else []), cursor.rowcount
    _logged(query, started)
    return rows, count


def _logged(query: str, started: float) -> None:
    """Logged like any query, so that the query counts of tests and benchmarks stay true."""
    if connection.queries_logged:
        connection.queries_log.append(
            {"sql": query[:200], "time": f"{time.monotonic() - started:.3f}"}
        )


def _copy(table: str, columns: str, rows: Iterable[Sequence[Any]]) -> None:
    """PostgreSQL: the rows sent by one COPY … FROM STDIN, four to five times faster than
    multi-row INSERTs (100,000 career events: 1.1 s against 5.4 s), in the caller's
    transaction. Values go in COPY's text form, which the server reads by column type."""
    started = time.monotonic()
    query = f"COPY {table} ({columns}) FROM STDIN"
    connection.ensure_connection()
    with (
        connection.wrap_database_errors,
        connection.connection.cursor() as raw,
        raw.copy(query) as copy,
    ):
        for row in rows:
            copy.write_row(row)
    _logged(query, started)


class JsonText(str):
    """A JSONField value already encoded by the caller (sent as it is).

    A batch that writes the same few documents many times (the criteria of an eligibility
    run) encodes each once; the database reads the text as the column's JSON.
    """


def _converter(field: models.Field[Any, Any]) -> Callable[[Any], Any] | None:
    """How a value is sent for this field; None when it goes as it is."""
    ops = connection.ops
    if isinstance(field, models.JSONField):

        def encode(value: Any) -> Any:
            if isinstance(value, JsonText):
                return str(value)
            return field.get_db_prep_save(value, connection)

        return encode
    if isinstance(field, models.DateTimeField):
        # A batch stamps all its rows with the same few instants: convert each once.
        adapt = ops.adapt_datetimefield_value
        memo: dict[Any, Any] = {}

        def convert(value: Any) -> Any:
            if value not in memo:
                memo[value] = adapt(value)
            return memo[value]

        return convert
    if isinstance(field, models.DateField):
        return ops.adapt_datefield_value
    if isinstance(field, models.DecimalField):
        # Points, marks, amounts: a batch repeats the same few hundred values.
        prepare = field.get_db_prep_save
        known: dict[Any, Any] = {}

        def decimal(value: Any) -> Any:
            found = known.get(value, known)
            if found is known:
                found = known[value] = prepare(value, connection)
            return found

        return decimal
    if isinstance(
        field,
        models.CharField
        | models.TextField
        | models.IntegerField
        | models.BooleanField
        | models.ForeignKey
        | models.AutoField,
    ):
        return None
    return lambda value: field.get_db_prep_save(value, connection)


def _columns(model: type[models.Model], names: Sequence[str]) -> list[models.Field[Any, Any]]:
    by_attname = {f.attname: f for f in model._meta.concrete_fields}
    return [by_attname[name] for name in names]


def bulk_insert(
    model: type[models.Model],
    rows: Iterable[dict[str, Any]],
    *,
    returning: bool = False,
) -> list[int]:
    """INSERT the rows (dicts of attname → value); the new ids, in order, if `returning`."""
    rows = list(rows)
    if not rows:
        return []
    fields = [f for f in model._meta.concrete_fields if not f.primary_key]
    # A row is its model's defaults overlaid with its values, read in column order by one
    # C-level getter.
    defaults = {f.attname: f.get_default() for f in fields}
    if len(fields) > 1:
        read = operator.itemgetter(*defaults)
        values = [read(defaults | row) for row in rows]
    else:
        values = [((defaults | row)[fields[0].attname],) for row in rows]
    return _insert(model, fields, values, returning=returning)


def bulk_insert_rows(
    model: type[models.Model],
    names: Sequence[str],
    rows: Iterable[Sequence[Any]],
    *,
    returning: bool = False,
) -> list[int]:
    """INSERT rows given as tuples of the `names` columns (attnames), in that order; the
    other columns take their model default. For batches large enough that building a
    dict per row shows (an eligibility run writes 120,000 rows)."""
    rows = list(rows)
    if not rows:
        return []
    named = _columns(model, names)
    given = set(names)
    others = [
        f for f in model._meta.concrete_fields if not f.primary_key and f.attname not in given
    ]
    if others:
        tail = tuple(f.get_default() for f in others)
        rows = [(*row, *tail) for row in rows]
    return _insert(model, [*named, *others], rows, returning=returning)


def _insert(
    model: type[models.Model],
    fields: list[models.Field[Any, Any]],
    rows: list[Sequence[Any]],
    *,
    returning: bool,
) -> list[int]:
    """Multi-row INSERTs (on PostgreSQL without `returning`, one COPY) of value rows in
    `fields` order; only the columns that need converting are visited."""
    converting = [(i, conv) for i, f in enumerate(fields) if (conv := _converter(f)) is not None]
    if converting:
        rows = [_converted(row, converting) for row in rows]
    quote = connection.ops.quote_name
    table = quote(model._meta.db_table)
    columns = ", ".join(quote(str(f.column)) for f in fields)
    if not returning and connection.vendor == "postgresql":
        _copy(table, columns, rows)
        return []
    placeholder = "(" + ", ".join(["%s"] * len(fields)) + ")"
    per_statement = max(1, min(MAX_ROWS, MAX_PARAMS // len(fields)))
    ids: list[int] = []
    pk_field = model._meta.pk
    assert pk_field is not None
    suffix = " RETURNING " + quote(str(pk_field.column)) if returning else ""
    with connection.cursor() as cursor:
        for start in range(0, len(rows), per_statement):
            chunk = rows[start : start + per_statement]
            params: list[Any] = []
            extend = params.extend
            for row in chunk:
                extend(row)
            found, _count = _execute(
                cursor,
                f"INSERT INTO {table} ({columns}) VALUES "  # noqa: S608 - names from the model
                + ", ".join([placeholder] * len(chunk))
                + suffix,
                params,
                fetch=returning,
            )
            ids.extend(int(r[0]) for r in found)
    return ids


def _converted(row: Sequence[Any], converting: list[tuple[int, Callable[[Any], Any]]]) -> list[Any]:
    values = list(row)
    for i, conv in converting:
        values[i] = conv(values[i])
    return values


def bulk_update_rows(
    model: type[models.Model], names: Sequence[str], rows: Iterable[Sequence[Any]]
) -> int:
    """UPDATE model SET names… for many rows given as (*values, id), a chunk per statement."""
    rows = list(rows)
    if not rows:
        return 0
    fields = _columns(model, names)
    convert = [_converter(f) for f in fields]
    quote = connection.ops.quote_name
    table = quote(model._meta.db_table)
    pk_field = model._meta.pk
    assert pk_field is not None
    pk = quote(str(pk_field.column))
    postgres = connection.vendor == "postgresql"
    width = len(fields) + 1
    per_statement = max(1, min(MAX_ROWS, MAX_PARAMS // width))
    if postgres:
        pk_type = pk_field.db_type(connection)
        casts = [f"%s::{f.db_type(connection)}" for f in fields] + [f"%s::{pk_type}"]
        placeholder = "(" + ", ".join(casts) + ")"
        alias = "v(" + ", ".join([*(f"c{i}" for i in range(len(fields))), "pk"]) + ")"
        assignments = ", ".join(f"{quote(str(f.column))} = v.c{i}" for i, f in enumerate(fields))
        where = f"{table}.{pk} = v.pk"
    else:
        placeholder = "(" + ", ".join(["%s"] * width) + ")"
        alias = "v"
        assignments = ", ".join(
            f"{quote(str(f.column))} = v.column{i + 1}" for i, f in enumerate(fields)
        )
        where = f"{table}.{pk} = v.column{width}"
    updated = 0
    with connection.cursor() as cursor:
        for start in range(0, len(rows), per_statement):
            chunk = rows[start : start + per_statement]
            params: list[Any] = []
            for row in chunk:
                params.extend(
                    v if conv is None else conv(v)
                    for conv, v in zip(convert, row[:-1], strict=True)
                )
                params.append(row[-1])
            _rows, count = _execute(
                cursor,
                f"UPDATE {table} SET {assignments} FROM (VALUES "  # noqa: S608 - model names
                + ", ".join([placeholder] * len(chunk))
                + f") AS {alias} WHERE {where}",
                params,
            )
            updated += count
    return updated


def others_commits() -> tuple[int, int] | None:
    """On SQLite, a mark that changes once another connection commits to the database:
    work read outside a transaction is still true inside the next one if the mark is the
    same (`PRAGMA data_version`, which ignores this connection's own commits, tied to this
    very connection). None on PostgreSQL, which has no such cheap check."""
    if connection.vendor != "sqlite":
        return None
    with connection.cursor() as cursor:
        cursor.execute("PRAGMA data_version")
        (version,) = cursor.fetchone()
    return id(connection.connection), int(version)
