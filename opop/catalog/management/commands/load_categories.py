from django.core.management.base import BaseCommand

from opop.catalog.categories import categories_ensure


class Command(BaseCommand):
    help = "Create the standard product categories that are missing (safe to run again)."

    def handle(self, *args, **options):
        created = categories_ensure()
        self.stdout.write(f"{created} categories created.")
