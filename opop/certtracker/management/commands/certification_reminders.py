import datetime as dt

from django.core.management.base import BaseCommand

from opop.certtracker.services import reminders_send, tracks_backfill


class Command(BaseCommand):
    help = (
        "Send certificate expiry reminders (90 and 30 days before) to the product's keepers and "
        "facilitators, once per certificate and threshold. Also gives catalogue certificates "
        "without a track an issued track. Safe to run more than once a day."
    )

    def add_arguments(self, parser):
        parser.add_argument("--today", type=dt.date.fromisoformat, help="YYYY-MM-DD (tests)")
        parser.add_argument("--no-backfill", action="store_true")

    def handle(self, *args, today=None, no_backfill=False, **options):
        backfilled = 0 if no_backfill else tracks_backfill()
        sent = reminders_send(today=today)
        self.stdout.write(f"tracks backfilled: {backfilled}; reminders sent: {sent}")
