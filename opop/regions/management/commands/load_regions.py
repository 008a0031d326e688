from django.core.management.base import BaseCommand

from opop.regions.services import regions_load


class Command(BaseCommand):
    help = "Load (or refresh) Kemendagri 2025 provinces, kab/kota and kecamatan. Idempotent."

    def handle(self, *args, **options):
        counts = regions_load()
        self.stdout.write(
            f"Regions: {counts['provinces']} provinces, {counts['regencies']} kab/kota, "
            f"{counts['districts']} kecamatan."
        )
