"""Low-level bulk inserts for `writes.py` (nothing else calls these).

Django's `bulk_create` spends about 100 µs a row on model instances and per-field preparation, too
slow for a 100,000-row import at 10,000 rows a second. On PostgreSQL the rows go in with `COPY`
instead, their ids drawn first from the table's sequence in one query, so the caller still learns
each new row's id (for pillar participation and history rows). Elsewhere (SQLite in development
and tests) `bulk_create` does the same job.

Rows are dicts keyed by attname; a missing column gets the field's default, and `created_at` /
`updated_at` get `now`. Values must already be clean (the import validated them).
"""

from __future__ import annotations

import json

from django.db import connection, models
from django.db.models.fields import NOT_PROVIDED

BATCH = 1000
_NOW = object()


def _defaults(model) -> list[tuple[str, object, bool]]:
    columns = []
    for field in model._meta.concrete_fields:
        if field.primary_key:
            continue
        if getattr(field, "auto_now", False) or getattr(field, "auto_now_add", False):
            default = _NOW
        elif field.default is not NOT_PROVIDED:
            default = field.get_default()
        else:
            default = None if field.null else ("" if field.empty_strings_allowed else None)
        columns.append((field.attname, default, isinstance(field, models.JSONField)))
    return columns


def insert(model, rows: list[dict], *, now) -> list[int]:
    """Insert `rows` into `model`'s table and return their new ids, in order."""
    if not rows:
        return []
    if connection.vendor != "postgresql":
        objs = [model(**row) for row in rows]
        model.objects.bulk_create(objs, batch_size=BATCH)
        return [obj.pk for obj in objs]
    columns = _defaults(model)
    table = model._meta.db_table
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT nextval(pg_get_serial_sequence(%s, 'id')) FROM generate_series(1, %s)",
            [table, len(rows)],
        )
        ids = [row[0] for row in cursor.fetchall()]
        names = ", ".join(
            connection.ops.quote_name(name) for name in ["id", *(c[0] for c in columns)]
        )
        raw = cursor.cursor  # the psycopg cursor under Django's wrapper
        base = {name: default for name, default, _ in columns}
        unknown = set().union(*(row.keys() for row in rows[:1])) - base.keys()
        if unknown:
            raise ValueError(f"not columns of {table}: {sorted(unknown)}")
        now_at = [i for i, (_, default, _) in enumerate(columns, start=1) if default is _NOW]
        json_at = [i for i, (_, _, is_json) in enumerate(columns, start=1) if is_json]
        with raw.copy(f"COPY {connection.ops.quote_name(table)} ({names}) FROM STDIN") as copy:
            write = copy.write_row
            for pk, row in zip(ids, rows, strict=True):
                # Merging into the ordered defaults is done in C: the values come out in
                # column order without a Python loop over the columns.
                values = [pk, *{**base, **row}.values()]
                for i in now_at:
                    if values[i] is _NOW:
                        values[i] = now
                for i in json_at:
                    if values[i] is not None:
                        values[i] = json.dumps(values[i])
                write(values)
    return ids
