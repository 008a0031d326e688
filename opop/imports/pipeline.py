"""Writing an import's chunks in a second thread on PostgreSQL: while one thread reads and checks
chunk N+1, a writer thread (its own connection) writes chunk N, so the database and Python work
at the same time instead of in turn."""

from __future__ import annotations

import queue
import threading
from typing import TYPE_CHECKING

from django.core.cache import cache
from django.db import connection, connections, transaction
from django.db.models import F

from opop.imports.models import ImportIssue, ImportJob
from opop.imports.progress import PROGRESS_TTL, progress_key
from opop.imports.registers import REFUSED
from opop.imports.writes import BATCH, Rollback, relaxed_commit

if TYPE_CHECKING:
    from opop.imports.runner import Runner

# Write chunks in a second thread on PostgreSQL (see `may_pipeline`).
PIPELINE = True
WRITERS = 2


def may_pipeline(job: ImportJob) -> bool:
    """On PostgreSQL, outside a caller's transaction, a commit writes chunk N in a second
    thread (its own connection) while this one reads and checks chunk N+1: the database and
    Python then work at the same time instead of in turn."""
    return (
        PIPELINE
        and connection.vendor == "postgresql"
        and not connection.in_atomic_block
        and job.mode != ImportJob.Mode.DRY_RUN
    )


def run_pipelined(runner: Runner, chunks) -> None:
    single = runner.job.mode == ImportJob.Mode.ALL_OR_NOTHING
    # Chunks of "valid rows only" are independent transactions with disjoint keys: two
    # writers let one chunk's COPY overlap another's commit-time checks.
    work: queue.Queue = queue.Queue(maxsize=2)
    writers = [_Writer(runner, work, single=single) for _ in range(1 if single else WRITERS)]
    for writer in writers:
        writer.start()
    try:
        _hand_over(runner, chunks, work, writers, single=single)
    finally:
        for _ in writers:
            work.put(None)
        for writer in writers:
            writer.join()
    writer = next((w for w in writers if w.error is not None), writers[0])
    if writer.error is not None:
        raise writer.error
    if single and writer.rolled_back:
        runner.rejected()
        return
    status = ImportJob.Status.DONE
    if not runner.accepted():
        status = ImportJob.Status.REJECTED
    runner.complete(status)


def _hand_over(runner: Runner, chunks, work: queue.Queue, writers, *, single: bool) -> None:
    """Check each chunk here and queue its rows, counter deltas and issues for the writers."""
    previous = runner.counters()
    for chunk in chunks:
        rows = runner.validate(chunk)
        if any(w.error is not None for w in writers):
            break
        if single and runner.counts[REFUSED]:
            rows = []  # it will all be rolled back: keep checking, stop writing
        issues, runner.issues = runner.issues, []
        counters = runner.counters()
        deltas = {name: counters[name] - previous[name] for name in counters}
        previous = counters
        work.put((rows, deltas, [] if single else issues))
        if single:
            runner.issues.extend(issues)


class _Writer(threading.Thread):
    """Writes the chunks the runner hands over, each in its own transaction (valid rows only) or
    all in one (all or nothing), on this thread's own database connection. The job's counters
    move by each chunk's deltas in the chunk's own transaction, so they always match what is
    committed."""

    def __init__(self, runner: Runner, work: queue.Queue, *, single: bool):
        super().__init__(name=f"import-writer-{runner.job.pk}", daemon=True)
        self.runner = runner
        self.work = work
        self.single = single
        self.error: BaseException | None = None
        self.rolled_back = False

    def _items(self):
        while (item := self.work.get()) is not None:
            yield item

    def run(self) -> None:
        try:
            if self.single:
                self._all_in_one()
            else:
                for rows, deltas, issues in self._items():
                    with transaction.atomic():
                        relaxed_commit()
                        self._store(rows, deltas, issues)
        except BaseException as exc:  # handed to the runner's thread, which reports it
            self.error = exc
            for _ in self._items():  # let the runner finish putting without blocking
                pass
        finally:
            connections.close_all()  # this thread's connections only

    def _all_in_one(self) -> None:
        try:
            with transaction.atomic():
                relaxed_commit()
                for rows, deltas, issues in self._items():
                    self._store(rows, deltas, issues, progress_in_db=False)
                if self.runner.counts[REFUSED]:
                    raise Rollback
        except Rollback:
            self.rolled_back = True

    def _store(self, rows, deltas, issues, *, progress_in_db: bool = True) -> None:
        job_id = self.runner.job.pk
        self.runner.write(rows)
        if issues:
            ImportIssue.objects.bulk_create(issues, batch_size=BATCH)
        if progress_in_db:  # last, so the job row is locked only while the chunk commits
            ImportJob.objects.filter(pk=job_id).update(
                **{name: F(name) + value for name, value in deltas.items()}
            )
        done = cache.get(progress_key(job_id)) or 0
        cache.set(progress_key(job_id), done + deltas["processed_rows"], PROGRESS_TTL)
