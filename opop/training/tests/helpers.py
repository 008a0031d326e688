import datetime as dt

from django.utils import timezone

from opop.training import services
from opop.training.models import Session, Training


def make_session(world, *, capacity=10, days=3, regency="35.78", uses_tests=True, **extra):
    admin = world.user("admin")
    training = Training.objects.filter(programme=world.jatim).first() or services.training_create(
        actor=admin,
        programme=world.jatim,
        kind=Training.Kind.SANTRI_CAMP,
        name="Santri OPOP Camp",
        year=2025,
        organiser_name="Universitas Airlangga",
    )
    start = timezone.now() + dt.timedelta(days=days)
    session = Session(
        training=training,
        title="Pembukuan koperasi",
        starts_at=start,
        ends_at=start + dt.timedelta(hours=6),
        place="Aula Pesantren",
        regency_id=regency,
        capacity=capacity,
        uses_tests=uses_tests,
        **extra,
    )
    return services.session_save(actor=admin, session=session)
