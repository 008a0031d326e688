import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from opop.accounts.access import access_for
from opop.visits.figures import dashboard_figures
from opop.visits.journey import journey_events
from opop.visits.models import Visit
from opop.visits.services.visits import action_item_set_done
from opop.visits.tests.helpers import make_visit, second_facilitator

pytestmark = pytest.mark.django_db


def _access(world, persona):
    return access_for(
        world.user(persona), programme_code="kalsel" if "kalsel" in persona else "jatim"
    )


def test_journey_shows_purpose_and_count_never_notes(world):
    today = timezone.localdate()
    visit = make_visit(
        world,
        purpose="other",
        purpose_other="Bertemu Bu Siti di rumahnya",
        notes="NIK 3578011508950001, telepon +6281234567890",
        items=[
            {"text": "Telepon Pak Ahmad", "due_on": today},
            {"text": "Buka rekening", "due_on": today},
        ],
    )
    item = visit.action_items.first()
    action_item_set_done(
        actor=world.user("facilitator"), access=_access(world, "facilitator"), item=item, done=True
    )
    events = journey_events(world.pesantren_a.pk, _access(world, "manager_a"))
    kinds = sorted(e.kind for e in events)
    assert kinds == ["visit.action_done", "visit.made"]
    text = " ".join(f"{e.title} {e.detail}" for e in events)
    for secret in ("Siti", "3578", "+62", "Ahmad", "rekening"):
        assert secret not in text
    made = next(e for e in events if e.kind == "visit.made")
    assert made.on == visit.visited_on and "2 action items" in made.detail
    assert made.url == ""  # a manager cannot open the report itself
    assert next(
        e for e in journey_events(world.pesantren_a.pk, _access(world, "officer"))
        if e.kind == "visit.made"
    ).url == f"/visits/{visit.pk}/"  # fmt: skip
    # Out of scope: nothing.
    assert journey_events(world.pesantren_a.pk, _access(world, "manager_b")) == []
    assert journey_events(world.pesantren_a.pk, _access(world, "kalsel_admin")) == []
    assert journey_events(world.pesantren_a.pk, _access(world, "buyer")) == []


def test_journey_is_two_queries(world):
    for _ in range(3):
        make_visit(world, items=[{"text": "x", "due_on": timezone.localdate()}])
    access = _access(world, "admin")
    access.assigned_pesantren_ids  # noqa: B018 - warm the cached property
    with CaptureQueriesContext(connection) as queries:
        journey_events(world.pesantren_a.pk, access)
    # The visits and the items done, each scoped by a subquery.
    assert len(queries) == 2


def test_dashboard_figures_are_scoped(world):
    today = timezone.localdate()
    second_facilitator(world, "facilitator_b", world.pesantren_b)
    make_visit(world, items=[{"text": "late", "due_on": today - dt.timedelta(days=1)}])
    make_visit(world, visited_on=today.replace(day=1) if today.day > 1 else today)
    make_visit(world, persona="facilitator_b", pesantren=world.pesantren_b)
    Visit.objects.filter(pesantren=world.pesantren_b).update(status=Visit.Status.REVIEWED)
    year = today.year if (today - dt.timedelta(days=2)).year == today.year else today.year - 1

    admin = dashboard_figures(_access(world, "admin"), year=year)
    assert admin["waiting_review"] == 2 and admin["overdue_action_items"] == 1
    by_regency = {}
    for cell in admin["visits_by_regency_month"]:
        by_regency[cell["regency_code"]] = by_regency.get(cell["regency_code"], 0) + cell["visits"]
    assert by_regency.get("35.17") == 1 and admin["visits"] >= 2

    officer = dashboard_figures(_access(world, "officer"), year=year)  # Surabaya
    assert {c["regency_code"] for c in officer["visits_by_regency_month"]} <= {"35.78"}
    assert officer["waiting_review"] == 2 and officer["overdue_action_items"] == 1
    manager_b = dashboard_figures(_access(world, "manager_b"), year=year)
    assert manager_b["waiting_review"] == 0 and manager_b["overdue_action_items"] == 0
    kalsel = dashboard_figures(_access(world, "kalsel_admin"), year=year)
    assert kalsel == {"visits": 0, "visits_by_regency_month": [], "waiting_review": 0,
                      "overdue_action_items": 0}  # fmt: skip
    assert dashboard_figures(_access(world, "buyer"), year=year)["waiting_review"] == 0
