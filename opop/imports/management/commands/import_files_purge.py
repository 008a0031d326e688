from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from opop.imports.retention import import_files_purge


class Command(BaseCommand):
    help = (
        "Delete uploaded import files of jobs finished (or checked and never committed) more "
        "than IMPORT_FILE_RETENTION_DAYS days ago; the jobs and their row reports stay. Safe to "
        "run more than once a day."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--days",
            type=int,
            default=None,
            help=f"keep this many days (default {settings.IMPORT_FILE_RETENTION_DAYS})",
        )

    def handle(self, *args, days=None, **options):
        if days is not None and days < 0:
            raise CommandError("--days must be 0 or more.")
        purged = import_files_purge(days=days)
        self.stdout.write(f"import files deleted: {purged}")
