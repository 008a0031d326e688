"""Bulk writing for demo data: primary keys handed out before the insert, rows written in bulk.

Handing out keys first lets a person's enterprise and participations point at the person before
anything is written, so generation never waits for the database and never depends on it. On
PostgreSQL the keys come from the table's own sequence and rows go in with `COPY`; elsewhere
(SQLite) keys count up from the table's highest and rows go in through one prepared INSERT run
over many rows (`executemany`), which is several times faster than `bulk_create` there.
"""

from __future__ import annotations

import time
from collections import deque
from collections.abc import Iterator
from contextlib import contextmanager

from django.db import connection
from django.db.models import Max

ID_BLOCK = 10_000
FIRST_BLOCK = 500


class RowWriter:
    def __init__(self, *, now, batch_size: int = 2_000):
        self.now = now
        self.batch_size = batch_size
        self.postgresql = connection.vendor == "postgresql"
        self._free: dict[type, deque[int]] = {}
        self._next: dict[type, int] = {}
        self._handed: dict[type, int] = {}
        self._columns: dict[type, list[tuple]] = {}

    def new_id(self, model) -> int:
        free = self._free.setdefault(model, deque())
        if not free:
            # Blocks grow with use: a small seed asks for few keys, a big one for few blocks.
            handed = self._handed.get(model, 0)
            block = max(FIRST_BLOCK, min(ID_BLOCK, handed))
            free.extend(self._reserve(model, block))
            self._handed[model] = handed + block
        return free.popleft()

    def _reserve(self, model, count: int) -> range | list[int]:
        table = model._meta.db_table
        if self.postgresql:
            with connection.cursor() as cursor:
                cursor.execute(
                    "SELECT nextval(pg_get_serial_sequence(%s, 'id')) FROM generate_series(1, %s)",
                    [table, count],
                )
                return [row[0] for row in cursor.fetchall()]
        start = self._next.get(model)
        if start is None:
            start = (model.objects.aggregate(top=Max("pk"))["top"] or 0) + 1
        self._next[model] = start + count
        return range(start, start + count)

    def write(self, model, rows: list[dict]) -> None:
        """Insert rows given as {attname: value}; missing fields take the model's defaults."""
        if not rows:
            return
        columns = self._model_columns(model)
        names = ", ".join(connection.ops.quote_name(field.column) for field, _ in columns)
        table = connection.ops.quote_name(model._meta.db_table)
        if self.postgresql:
            # Django's cursor wraps psycopg's; COPY is psycopg's own API.
            with (
                connection.cursor() as cursor,
                cursor.cursor.copy(f"COPY {table} ({names}) FROM STDIN") as copy,
            ):
                for row in rows:
                    copy.write_row([row.get(field.attname, default) for field, default in columns])
            return
        # Elsewhere one prepared INSERT run over every row, with values in the database's
        # form (dates, aware datetimes) as Django's fields prepare them.
        placeholders = ", ".join(["%s"] * len(columns))
        sql = f"INSERT INTO {table} ({names}) VALUES ({placeholders})"  # noqa: S608 - model names
        params = [
            [
                field.get_db_prep_save(row.get(field.attname, default), connection)
                for field, default in columns
            ]
            for row in rows
        ]
        with connection.cursor() as cursor:
            for start in range(0, len(params), self.batch_size):
                cursor.executemany(sql, params[start : start + self.batch_size])

    def _model_columns(self, model) -> list[tuple]:
        """(field, default) for every column; auto_now fields get the load's one timestamp."""
        if model not in self._columns:
            columns = []
            for field in model._meta.concrete_fields:
                if getattr(field, "auto_now", False) or getattr(field, "auto_now_add", False):
                    default = self.now
                else:
                    default = field.get_default()
                columns.append((field, default))
            self._columns[model] = columns
        return self._columns[model]

    @contextmanager
    def indexes_deferred(self, models, *, log=None) -> Iterator[None]:
        """PostgreSQL's advice for a big load ("Populating a Database"): drop the tables' secondary
        indexes and foreign keys, load, then create them again, one sort per index instead of a
        million scattered inserts (a million people: 73 s of index upkeep against 24 s of index
        builds, measured here). It runs inside the caller's transaction, so a failure restores
        everything; the unique indexes come back checked, and so do the foreign keys."""
        if not self.postgresql:
            yield
            return
        quote = connection.ops.quote_name
        saved = []
        with connection.cursor() as cursor:
            # Foreign-key checks still queued by earlier writes of this transaction would block
            # the ALTER TABLEs below: run them now.
            cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
            for model in models:
                table = model._meta.db_table
                cursor.execute(
                    "SELECT conname, pg_get_constraintdef(oid) FROM pg_constraint "
                    "WHERE conrelid = %s::regclass AND contype = 'f' ORDER BY conname",
                    [table],
                )
                foreign_keys = cursor.fetchall()
                cursor.execute(
                    "SELECT indexrelid::regclass::text, pg_get_indexdef(indexrelid) FROM pg_index "
                    "WHERE indrelid = %s::regclass AND NOT indisprimary AND NOT EXISTS "
                    "(SELECT 1 FROM pg_constraint c WHERE c.conindid = indexrelid) "
                    "ORDER BY 1",
                    [table],
                )
                indexes = cursor.fetchall()
                for name, _ in foreign_keys:
                    cursor.execute(f"ALTER TABLE {quote(table)} DROP CONSTRAINT {quote(name)}")
                for name, _ in indexes:
                    cursor.execute(f"DROP INDEX {name}")  # regclass text comes quoted
                saved.append((table, foreign_keys, indexes))
        yield
        started = time.perf_counter()
        with connection.cursor() as cursor:
            cursor.execute("SET LOCAL maintenance_work_mem = '256MB'")
            for table, foreign_keys, indexes in saved:
                for _, definition in indexes:
                    cursor.execute(definition)
                for name, definition in foreign_keys:
                    cursor.execute(
                        f"ALTER TABLE {quote(table)} ADD CONSTRAINT {quote(name)} {definition}"
                    )
            cursor.execute("SET CONSTRAINTS ALL DEFERRED")
        if log:
            log(f"Indexes and foreign keys rebuilt in {time.perf_counter() - started:.1f} s.")

    def analyze(self, models) -> None:
        """Fresh planner statistics after a big load (PostgreSQL), so the first queries are fast."""
        if not self.postgresql:
            return
        with connection.cursor() as cursor:
            for model in models:
                cursor.execute(f"ANALYZE {connection.ops.quote_name(model._meta.db_table)}")
