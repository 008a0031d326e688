from django.core.management.base import BaseCommand

from opop.dashboard.benchmark import SCALES, run


class Command(BaseCommand):
    help = "Seed a bench programme at a scale and time the dashboard (JSON lines on stdout)."

    def add_arguments(self, parser):
        parser.add_argument("--scale", choices=sorted(SCALES), default="small")
        parser.add_argument("--runs", type=int, default=50)

    def handle(self, *args, scale, runs, **options):
        run(scale, runs, self.stdout.write)
