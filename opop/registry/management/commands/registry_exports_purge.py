from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from opop.registry.export_jobs import registry_exports_purge


class Command(BaseCommand):
    help = (
        "Delete the files of background registry exports written more than "
        "REGISTRY_EXPORT_RETENTION_DAYS days ago (they hold personal data). Safe to rerun."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--days",
            type=int,
            default=None,
            help=f"keep this many days (default {settings.REGISTRY_EXPORT_RETENTION_DAYS})",
        )

    def handle(self, *args, days=None, **options):
        if days is not None and days < 0:
            raise CommandError("--days must be 0 or more.")
        self.stdout.write(f"registry export files deleted: {registry_exports_purge(days=days)}")
