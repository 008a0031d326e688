import datetime as dt
import io
import uuid

from django.utils import timezone
from PIL import Image

from opop.accounts.access import access_for
from opop.accounts.models import Membership, Role, User
from opop.common.testing.personas import PASSWORD
from opop.visits.services.visits import visit_submit


def jpeg_with_exif() -> bytes:
    image = Image.new("RGB", (64, 48), (200, 120, 40))
    exif = Image.Exif()
    exif[0x010F] = "PhoneMaker"  # Make
    buffer = io.BytesIO()
    image.save(buffer, "JPEG", exif=exif)
    return buffer.getvalue()


def second_facilitator(world, name: str, *pesantren) -> User:
    user = User.objects.create_user(f"{name}@test.opop.id", PASSWORD, full_name=name.title())
    membership = Membership.objects.create(user=user, programme=world.jatim, role=Role.FACILITATOR)
    membership.assigned_pesantren.add(*pesantren)
    world.users[name] = user
    return user


def make_visit(world, *, persona="facilitator", pesantren=None, items=(), **extra):
    user = world.user(persona)
    access = access_for(user, programme_code="jatim")
    visit, _created = visit_submit(
        actor=user,
        access=access,
        pesantren=pesantren or world.pesantren_a,
        client_uuid=extra.pop("client_uuid", uuid.uuid4()),
        visited_on=extra.pop("visited_on", timezone.localdate() - dt.timedelta(days=2)),
        purpose=extra.pop("purpose", "coaching"),
        notes=extra.pop("notes", "Koperasi sudah punya NIB."),
        items=list(items),
        **extra,
    )
    return visit
