"""One pass over an import job's rows, chunk by chunk (`CHUNK` rows): parse and validate in Python
against lookups prepared once, match the chunk against the database with a few `IN` queries, then
(for a commit) write it in bulk (`opop.imports.writes`). Each unit of work is one transaction: a
chunk for "valid rows only", the whole file for "all or nothing". A crash leaves whole chunks or
nothing, and running the same file again is safe: rows already in the register come out
"unchanged". On PostgreSQL a commit writes in a second thread (`opop.imports.pipeline`).
"""

from __future__ import annotations

from collections import Counter

from django.core.cache import cache
from django.db import connection, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from opop.common.audit import audit_record
from opop.common.models import AuditEvent
from opop.imports import pipeline
from opop.imports.models import ImportIssue, ImportJob
from opop.imports.parsing import RowParser
from opop.imports.progress import PROGRESS_TTL, job_finish, progress_key
from opop.imports.reader import Sheet
from opop.imports.registers import (
    CREATED,
    REFUSED,
    UNCHANGED,
    UPDATED,
    Column,
    Context,
    PeopleRegister,
    Register,
    Row,
)
from opop.imports.writes import BATCH, Rollback, relaxed_commit, write_rows
from opop.registry.models import Participation

CHUNK = 5000
MAX_ISSUES = 20_000  # stored per job; counts stay exact past it
# Commits that created or changed at least this many records refresh the table statistics.
ANALYZE_AFTER = 10_000


class Runner:
    def __init__(
        self,
        job: ImportJob,
        register: Register,
        sheet: Sheet,
        header_index: int,
        columns: list[tuple[int, Column]],
    ):
        self.job = job
        self.register = register
        first = header_index + 1
        self.rows = [(first + offset + 1, cells) for offset, cells in enumerate(sheet.rows[first:])]
        self.ctx = Context(
            programme=job.programme, scope_regency=job.scope_regency_id, today=timezone.localdate()
        )
        self.parser = RowParser(register, columns, sheet.formula_cells, self.ctx)
        self.actor = job.committed_by or job.created_by
        self.counts: Counter = Counter()
        self.issues: list[ImportIssue] = []
        self.issue_total = 0
        self.processed = 0
        self.filled_rows = 0

    # The pass over the file -----------------------------------------------------------------

    def run(self) -> None:
        job = self.job
        commit = job.mode != ImportJob.Mode.DRY_RUN
        self._start(commit)
        chunks = [self.rows[i : i + CHUNK] for i in range(0, len(self.rows), CHUNK)]
        if pipeline.may_pipeline(job):
            pipeline.run_pipelined(self, chunks)
            return
        if job.mode == ImportJob.Mode.ALL_OR_NOTHING:
            self._all_or_nothing(chunks)
            return
        for chunk in chunks:
            if job.mode == ImportJob.Mode.VALID_ONLY:
                with transaction.atomic():
                    relaxed_commit()
                    self._chunk(chunk, write=True)
                    self._save_progress(with_issues=True)
            else:
                self._chunk(chunk, write=False)
                self._save_progress(with_issues=True)
        status = ImportJob.Status.VALIDATED if not commit else ImportJob.Status.DONE
        if commit and not self.accepted():
            status = ImportJob.Status.REJECTED
        self.complete(status)

    def _start(self, commit: bool) -> None:
        job = self.job
        with transaction.atomic():
            ImportIssue.objects.filter(job=job).delete()
            job.status = ImportJob.Status.COMMITTING if commit else ImportJob.Status.VALIDATING
            job.total_rows = len(self.rows)
            job.processed_rows = 0
            job.file_error = ""
            job.started_at = timezone.now()
            for name in ("created", "updated", "unchanged", "refused", "warning"):
                setattr(job, f"{name}_count", 0)
            job.save()

    def _all_or_nothing(self, chunks) -> None:
        try:
            with transaction.atomic():
                relaxed_commit()
                for chunk in chunks:
                    self._chunk(chunk, write=not self.counts[REFUSED])
                    cache.set(progress_key(self.job.pk), self.processed, PROGRESS_TTL)
                if self.counts[REFUSED]:
                    raise Rollback
                self.complete(ImportJob.Status.DONE)
        except Rollback:
            self.rejected()

    def _chunk(self, chunk, *, write: bool) -> None:
        rows = self.validate(chunk)
        if write:
            self.write(rows)

    def validate(self, chunk) -> list[Row]:
        """Parse, check and match one chunk (reads only); returns the rows to write."""
        rows = []
        for number, cells in chunk:
            row = self.parser.parse(number, cells)
            if row is not None:
                rows.append(row)
        valid = [row for row in rows if not row.errors]
        if valid:
            self.register.resolve(valid, self.ctx)
        for row in rows:
            if row.errors:
                row.outcome = REFUSED
            self.counts[row.outcome] += 1
            if row.warnings:
                self.counts["warning"] += 1
            self._collect_issues(row)
        self.filled_rows += len(rows)
        self.processed += len(chunk)
        return [row for row in rows if row.outcome in (CREATED, UPDATED)]

    def write(self, rows: list[Row]) -> None:
        write_rows(register=self.register, rows=rows, ctx=self.ctx, actor=self.actor, job=self.job)

    def accepted(self) -> int:
        """Rows that are in the register after the commit (created, updated or unchanged)."""
        return self.counts[CREATED] + self.counts[UPDATED] + self.counts[UNCHANGED]

    def rejected(self) -> None:
        """An "all or nothing" commit met a refused row and rolled back: nothing was imported."""
        for outcome in (CREATED, UPDATED, UNCHANGED):
            self.counts[outcome] = 0
        self.complete(ImportJob.Status.REJECTED)

    # Reporting ------------------------------------------------------------------------------

    def _collect_issues(self, row: Row) -> None:
        for level, items in ((ImportIssue.Level.ERROR, row.errors), ("warning", row.warnings)):
            for column, message in items:
                self.issue_total += 1
                if self.issue_total <= MAX_ISSUES:
                    self.issues.append(
                        ImportIssue(
                            job_id=self.job.pk,
                            row=row.number,
                            column=column[:60],
                            level=level,
                            message=str(message)[:500],
                        )
                    )

    def _flush_issues(self) -> None:
        if self.issues:
            ImportIssue.objects.bulk_create(self.issues, batch_size=BATCH)
            self.issues = []

    def counters(self) -> dict[str, int]:
        return {
            "processed_rows": self.processed,
            "created_count": self.counts[CREATED],
            "updated_count": self.counts[UPDATED],
            "unchanged_count": self.counts[UNCHANGED],
            "refused_count": self.counts[REFUSED],
            "warning_count": self.counts["warning"],
        }

    def _save_progress(self, *, with_issues: bool) -> None:
        if with_issues:
            self._flush_issues()
        ImportJob.objects.filter(pk=self.job.pk).update(**self.counters())
        cache.set(progress_key(self.job.pk), self.processed, PROGRESS_TTL)

    def complete(self, status: str) -> None:
        job = self.job
        self._flush_issues()
        if self.issue_total > MAX_ISSUES:
            ImportIssue.objects.create(
                job=job,
                row=0,
                level=ImportIssue.Level.WARNING,
                message=_("%(n)s more problems were found and are not listed.")
                % {"n": self.issue_total - MAX_ISSUES},
            )
        for name, value in self.counters().items():
            setattr(job, name, value)
        job.total_rows = self.filled_rows
        job.processed_rows = self.filled_rows
        job_finish(job, status=status)
        if job.mode != ImportJob.Mode.DRY_RUN:
            self._committed(status)

    def _committed(self, status: str) -> None:
        job = self.job
        audit_record(
            actor=self.actor,
            action=AuditEvent.Action.IMPORT,
            instance=job,
            programme_id=job.programme_id,
            changes={
                "register": job.register,
                "mode": job.mode,
                "status": status,
                "created": job.created_count,
                "updated": job.updated_count,
                "unchanged": job.unchanged_count,
                "refused": job.refused_count,
            },
            note=f"{job.register}: {job.original_name}",
        )
        if job.created_count or job.updated_count:
            _dashboard_stale(job.programme_id)
        if job.created_count + job.updated_count >= ANALYZE_AFTER:
            _analyze(self.register)

    def stopped(self, message: str) -> None:
        job = self.job
        job.refresh_from_db()
        self._flush_issues()
        job_finish(job, status=ImportJob.Status.FAILED, file_error=message)


def _analyze(register: Register) -> None:
    """Refresh the planner's statistics after a large load, so the next lookups (a re-import,
    the registry lists) are planned for the table's new size, not the old one."""
    if connection.vendor != "postgresql":
        return
    tables = [register.model._meta.db_table]
    if isinstance(register, PeopleRegister):
        tables.append(Participation._meta.db_table)
    with connection.cursor() as cursor:
        for table in tables:
            cursor.execute(f"ANALYZE {connection.ops.quote_name(table)}")


def _dashboard_stale(programme_id: int) -> None:
    try:
        from opop.dashboard.services import dashboard_mark_stale
    except ImportError:  # the dashboard app is optional for the import
        return
    dashboard_mark_stale(programme_id=programme_id)
