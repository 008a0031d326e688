from django.core.management.base import BaseCommand

from opop.mart.services.payments import payments_expire_overdue


class Command(BaseCommand):
    help = "Expire unpaid OPOP Mart payments past their time and release their stock."

    def handle(self, *args, **options):
        self.stdout.write(f"{payments_expire_overdue()} payment(s) expired")
