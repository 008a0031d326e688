from django.core.management.base import BaseCommand, CommandError

from opop.milestones.defaults import default_items_load
from opop.programmes.models import Programme


class Command(BaseCommand):
    help = (
        "Add the default milestone checklist (levels 1-4) to programmes that lack its items. "
        "Existing items, and admins' edits of them, are left alone."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "programmes", nargs="*", help="programme codes (default: every active programme)"
        )

    def handle(self, *args, programmes, **options):
        chosen = Programme.objects.filter(is_active=True).order_by("code")
        if programmes:
            chosen = Programme.objects.filter(code__in=programmes).order_by("code")
            missing = set(programmes) - set(chosen.values_list("code", flat=True))
            if missing:
                raise CommandError(f"Unknown programme: {', '.join(sorted(missing))}")
        for programme in chosen:
            added = default_items_load(programme)
            self.stdout.write(f"{programme.code}: {added} milestone item(s) added")
