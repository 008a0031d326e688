"""`manage.py demo_logins`: the demo accounts that exist, their roles and where to log in."""

import os

from django.core.management.base import BaseCommand

from opop.demo.accounts import DEMO_PASSWORD, demo_logins


class Command(BaseCommand):
    help = "Print the demo accounts (only those that exist), their roles and the login URL."

    def handle(self, *args, **options):
        rows = demo_logins()
        if not rows:
            self.stdout.write("No demo accounts. Create them with `manage.py seed_demo`.")
            return
        headers = {"email": "e-mail", "role": "role", "programme": "programme", "scope": "scope"}
        widths = {k: max(len(headers[k]), *(len(r[k]) for r in rows)) for k in headers}

        def line(values):
            return "  ".join(values[k].ljust(widths[k]) for k in headers).rstrip()

        port = os.environ.get("PORT", "8000")
        self.stdout.write(f"Demo accounts (password: {DEMO_PASSWORD}):")
        self.stdout.write(line(headers))
        self.stdout.write(line({k: "-" * widths[k] for k in headers}))
        for row in rows:
            self.stdout.write(line(row))
        self.stdout.write(
            "Same password: two more jurors (juri.akademisi@, juri.bisnis@demo.opop.id) and the "
            "applicants pendaftar1@ … pendaftar20@demo.opop.id, whose registration files are in "
            "every state (public registration: /intake/)."
        )
        self.stdout.write(f"Open http://127.0.0.1:{port}/ and log in with one of them.")
