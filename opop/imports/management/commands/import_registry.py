"""`manage.py import_registry people file.xlsx --programme jatim [--dry-run]`: the same import as
the web pages, from a shell: the same checks, the same row report, a summary, and an exit code
that is not 0 when nothing could be imported."""

from __future__ import annotations

from pathlib import Path

from django.conf import settings
from django.core.files import File
from django.core.management.base import BaseCommand, CommandError

from opop.accounts.access import access_for
from opop.accounts.models import Role, User
from opop.imports import selectors
from opop.imports.models import ImportJob
from opop.imports.reader import FileRefused
from opop.imports.registers import REGISTERS
from opop.imports.services import import_job_create, import_job_run
from opop.programmes.models import Programme

MODES = {"valid-only": ImportJob.Mode.VALID_ONLY, "all-or-nothing": ImportJob.Mode.ALL_OR_NOTHING}


class Command(BaseCommand):
    help = "Import a register from an .xlsx file (dry run, valid rows only, or all or nothing)."

    def add_arguments(self, parser):
        parser.add_argument("register", choices=sorted(REGISTERS))
        parser.add_argument("file", type=Path)
        parser.add_argument("--programme", required=True, help="programme code, e.g. jatim")
        parser.add_argument("--dry-run", action="store_true", help="check every row, save nothing")
        parser.add_argument("--mode", choices=sorted(MODES), default="valid-only")
        parser.add_argument(
            "--actor", help="e-mail of the user importing (their scope applies); default: system"
        )
        parser.add_argument("--language", default=settings.LANGUAGE_CODE)

    def handle(self, *args, **options):
        programme = Programme.objects.filter(code=options["programme"]).first()
        if programme is None:
            raise CommandError(f"No programme with code {options['programme']!r}.")
        actor, scope = self._actor(options.get("actor"), programme)
        path: Path = options["file"]
        if not path.is_file():
            raise CommandError(f"No file at {path}.")
        mode = ImportJob.Mode.DRY_RUN if options["dry_run"] else MODES[options["mode"]]
        try:
            with path.open("rb") as handle:
                job = import_job_create(
                    actor=actor,
                    programme=programme,
                    register=options["register"],
                    upload=File(handle, name=path.name),
                    scope_regency=scope,
                    mode=mode,
                    language=options["language"],
                    enqueue=False,
                )
        except FileRefused as exc:
            raise CommandError(exc.message) from None
        job = import_job_run(job_id=job.pk)
        self._report(job)
        nothing = job.status in (ImportJob.Status.FAILED, ImportJob.Status.REJECTED) or (
            job.mode == ImportJob.Mode.DRY_RUN and not job.valid_rows
        )
        if nothing:
            raise CommandError("Nothing could be imported.", returncode=1)

    def _actor(self, email: str | None, programme):
        if not email:
            return None, None
        user = User.objects.filter(email__iexact=email).first()
        access = access_for(user, programme_code=programme.code) if user else None
        if not access or not access.imports:
            raise CommandError(f"{email} may not import into {programme.code}.")
        return user, None if access.role == Role.ADMIN else access.regency_code

    def _report(self, job: ImportJob) -> None:
        write = self.stdout.write
        if job.file_error:
            write(self.style.ERROR(job.file_error))
        issues = selectors.import_issues(job)
        if issues.exists():
            write("row\tcolumn\tlevel\tmessage")
            for issue in issues.iterator():
                write(f"{issue.row}\t{issue.column}\t{issue.level}\t{issue.message}")
        dry = job.mode == ImportJob.Mode.DRY_RUN
        write(
            f"job #{job.pk} {job.register} ({job.mode}): {job.status}; rows {job.total_rows}, "
            f"{'to create' if dry else 'created'} {job.created_count}, "
            f"{'to update' if dry else 'updated'} {job.updated_count}, "
            f"unchanged {job.unchanged_count}, refused {job.refused_count}"
        )
