"""`manage.py seed_demo --scale small|medium|large [--if-empty] [--seed N] [--reset]`."""

import time

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from opop.demo.seed import (
    DEFAULT_SEED,
    PUBLIC_SCALES,
    SCALES,
    demo_is_seeded,
    demo_reset,
    demo_seed,
)


class Command(BaseCommand):
    help = (
        "Seed deterministic demo data (programmes jatim and kalsel, pesantren, cooperatives, "
        "people, enterprises, pillar participations) and the demo accounts (password "
        "opop-demo). Development and benchmarks only."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--scale",
            default="small",
            choices=sorted(SCALES, key=lambda name: SCALES[name].people),
            help="small: 200 pesantren, 2,000 people; medium: 2,000 / 100,000; "
            "large: 10,000 / 1,000,000 (tiny is for tests).",
        )
        parser.add_argument(
            "--if-empty",
            action="store_true",
            help="Do nothing when the programme jatim already has pesantren.",
        )
        parser.add_argument(
            "--seed", type=int, default=DEFAULT_SEED, help="Random seed (same seed, same data)."
        )
        parser.add_argument(
            "--reset",
            action="store_true",
            help="First delete the registry of the jatim and kalsel programmes and the demo "
            "accounts.",
        )

    def handle(self, *args, scale, if_empty, seed, reset, verbosity, **options):
        # Demo accounts share a published password: they must never reach a real deployment.
        if settings.SETTINGS_MODULE.endswith(".production"):
            raise CommandError("seed_demo refuses to run with production settings.")
        if if_empty and demo_is_seeded():
            self.stdout.write("Demo data: the programme jatim already has pesantren; skipped.")
            return
        if demo_is_seeded() and not reset:
            raise CommandError(
                "The programme jatim already has pesantren. Use --if-empty to keep them, or "
                "--reset to delete the jatim and kalsel registry and seed again."
            )
        log = self.stdout.write if verbosity >= 1 else None
        # Demo decisions notify demo applicants in the app; e-mailing them would only flood
        # the console of `make run`. The setting is put back for whoever runs next in-process.
        email_backend = settings.EMAIL_BACKEND
        settings.EMAIL_BACKEND = "django.core.mail.backends.dummy.EmailBackend"
        started = time.perf_counter()
        try:
            if reset:
                demo_reset(log=log)
            counts = demo_seed(scale=scale, seed=seed, log=log)
        finally:
            settings.EMAIL_BACKEND = email_backend
        elapsed = time.perf_counter() - started
        rows = sum(counts.values())
        if scale not in PUBLIC_SCALES:
            self.stdout.write(f"(scale {scale} is meant for tests)")
        self.stdout.write(
            self.style.SUCCESS(
                f"Demo data seeded (scale {scale}, seed {seed}): {rows:,} rows in "
                f"{elapsed:.1f} s ({rows / max(elapsed, 1e-9):,.0f} rows/s)."
            )
        )
