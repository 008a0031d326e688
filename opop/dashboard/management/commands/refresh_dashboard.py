from django.core.management.base import BaseCommand, CommandError

from opop.dashboard.services import dashboard_refresh
from opop.mart.sales import sales_recount
from opop.programmes.models import Programme


class Command(BaseCommand):
    help = (
        "Recount the dashboard figures and OPOP Mart sales of one programme (--programme CODE) "
        "or of all."
    )

    def add_arguments(self, parser):
        parser.add_argument("--programme", help="programme code, e.g. jatim; default: all active")

    def handle(self, *args, programme=None, **options):
        programmes = Programme.objects.filter(is_active=True)
        if programme:
            programmes = Programme.objects.filter(code=programme)
            if not programmes.exists():
                raise CommandError(f"No programme with code {programme!r}.")
        for prog in programmes:
            state = dashboard_refresh(programme_id=prog.pk)
            cells = sales_recount(programme_id=prog.pk)
            self.stdout.write(
                f"{prog.code}: refreshed in {state.duration_ms} ms; OPOP Mart sales: {cells} cells"
            )
