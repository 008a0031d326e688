import dataclasses
import random
from collections import Counter, defaultdict
from importlib import import_module

import pytest
from django.utils import timezone

from opop.accounts.access import access_for
from opop.accounts.models import User
from opop.assessment.models import Entry, Round
from opop.certtracker.models import CertificationTrack
from opop.coophealth.models import CooperativeHealth, CooperativeReport
from opop.demo import seed as demo
from opop.demo.showcase import (
    HISTORY_FROM,
    history_ensure,
    showcase_events,
    showcase_pesantren,
)
from opop.grants.models import GrantEvent, GrantProposal, GrantScheme, LoanApplication
from opop.journey.selectors import ASPECTS
from opop.milestones.models import LevelChange, PesantrenLevel, PesantrenMilestone
from opop.programmes.models import Programme
from opop.registry.models import Cooperative, Person, Pesantren
from opop.training.models import Enrolment, Session
from opop.visits.models import Visit

pytestmark = pytest.mark.django_db

# The ten full years of the history; the current year is the eleventh, still under way.
TEN_YEARS = set(range(HISTORY_FROM, HISTORY_FROM + 10))
# Aspects with something every year; grants and assessments come every few years.
YEARLY = ("registry", "milestones", "training", "visits", "certifications", "coophealth")


@pytest.fixture
def tiny(monkeypatch):
    """Both demo programmes at `tiny`, without past orders (they play no part here)."""
    monkeypatch.setitem(demo.SCALES, "tiny", dataclasses.replace(demo.SCALES["tiny"], orders=0))


@pytest.fixture
def jatim(tiny):
    demo.demo_seed(scale="tiny")
    return Programme.objects.get(code="jatim")


def _admin_access(programme):
    return access_for(User.objects.get(email="admin.jatim@demo.opop.id"), programme_code="jatim")


def _years_by_aspect(programme, pesantren) -> dict[str, set[int]]:
    """The years of the showcase's journey events, per aspect, as the programme admin sees
    them. An aspect whose `journey` module is not written yet is read from its rows."""
    access = _admin_access(programme)
    years: dict[str, set[int]] = defaultdict(set)
    for aspect in ASPECTS:
        events = import_module(aspect.source).journey_events(pesantren.pk, access)
        years[aspect.code] = {event.on.year for event in events}
    return years


def test_the_showcase_pesantren_has_ten_years_in_every_aspect(jatim):
    pesantren = showcase_pesantren(jatim)
    assert pesantren is not None
    assert timezone.localtime(pesantren.created_at).year == HISTORY_FROM

    years = _years_by_aspect(jatim, pesantren)
    for aspect in YEARLY:
        assert years[aspect] >= TEN_YEARS, (aspect, sorted(TEN_YEARS - years[aspect]))
    assert len(years["assessment"] & TEN_YEARS) >= 5, sorted(years["assessment"])
    assert len(years["grants"] & TEN_YEARS) >= 5, sorted(years["grants"])

    events = showcase_events(jatim)
    print(f"showcase journey events: {sum(events.values())} {dict(events)}")
    assert events["visits"] >= 100
    assert sum(events.values()) >= 300

    # The history reads as one story: incorporated in 2017, up to level 3 with a dip, the
    # verification queue still has its claims, ten yearly reports with their RAT.
    cooperative = Cooperative.objects.filter(pesantren=pesantren).order_by("pk").first()
    assert cooperative.legal_date.year == 2017
    assert cooperative.legal_number.endswith("TAHUN 2017")
    changes = list(
        LevelChange.objects.filter(pesantren=pesantren)
        .order_by("on", "pk")
        .values_list("from_level", "to_level")
    )
    assert changes == [(0, 1), (1, 2), (2, 3), (3, 2), (2, 3)]
    assert PesantrenLevel.objects.get(pesantren=pesantren).level == 3
    assert PesantrenMilestone.objects.filter(pesantren=pesantren, status="claimed").count() == 2
    reports = CooperativeReport.objects.filter(cooperative=cooperative)
    assert set(reports.values_list("year", flat=True)) >= TEN_YEARS
    assert not reports.filter(rat_date__isnull=True).exists()
    health = CooperativeHealth.objects.get(cooperative=cooperative)
    assert health.report_count == reports.count()
    assert health.latest_year == timezone.localdate().year - 1
    closed = GrantProposal.objects.filter(cooperative=cooperative, status="closed")
    assert closed.filter(disbursements__report__status="accepted").exists()
    assert LoanApplication.objects.filter(cooperative=cooperative).exists()
    tracks = CertificationTrack.objects.filter(pesantren=pesantren)
    assert tracks.filter(superseded=True, status="issued").exists()  # renewed
    assert tracks.filter(status="rejected").exists()
    assert tracks.filter(certification__expires_on__lt=timezone.localdate()).exists()
    # The trainings were attended by its own people, registered before the session.
    enrolments = Enrolment.objects.filter(
        person__pesantren=pesantren, session__starts_at__year__lt=2019
    ).select_related("person", "session")
    assert enrolments.exists()
    assert all(e.person.pesantren_id == pesantren.pk for e in enrolments)

    # Kalimantan Selatan has no demo manager, so no showcase.
    kalsel = Programme.objects.get(code="kalsel")
    assert showcase_pesantren(kalsel) is None
    assert not Visit.objects.filter(programme=kalsel, visited_on__year=HISTORY_FROM).exists()


def test_a_second_call_writes_nothing(jatim):
    pesantren = showcase_pesantren(jatim)
    before = {
        model.__name__: model.objects.count()
        for model in (Visit, Session, Enrolment, CertificationTrack, GrantEvent, Round, Entry)
    }
    assert history_ensure(jatim, rng=random.Random("again")) == Counter()
    after = {
        model.__name__: model.objects.count()
        for model in (Visit, Session, Enrolment, CertificationTrack, GrantEvent, Round, Entry)
    }
    assert after == before
    assert timezone.localtime(Pesantren.objects.get(pk=pesantren.pk).created_at).year == 2016


def test_a_database_seeded_before_the_history_gets_it_later(tiny, monkeypatch):
    # As the benchmark's database: the demo seeded without the history, then `history_ensure`
    # alone (its own writer).
    monkeypatch.setattr("opop.demo.coaching.history_ensure", lambda *a, **k: Counter())
    demo.demo_seed(scale="tiny")
    jatim = Programme.objects.get(code="jatim")
    pesantren = showcase_pesantren(jatim)
    assert not Visit.objects.filter(pesantren=pesantren, visited_on__year=HISTORY_FROM).exists()

    counts = history_ensure(jatim, rng=random.Random(1))
    assert counts["history_visits"] >= 100
    assert counts["history_training_sessions"] >= 4 * 10
    assert counts["history_assessment_rounds"] == 7
    assert Visit.objects.filter(pesantren=pesantren, visited_on__year=HISTORY_FROM).exists()
    assert history_ensure(jatim, rng=random.Random(1)) == Counter()


def test_the_same_seed_gives_the_same_history(tiny):
    def snapshot():
        pesantren = showcase_pesantren(Programme.objects.get(code="jatim"))
        return (
            list(
                Visit.objects.filter(pesantren=pesantren)
                .order_by("visited_on")
                .values_list("visited_on", "purpose")
            ),
            list(
                Enrolment.objects.filter(person__pesantren=pesantren)
                .order_by("session__starts_at", "person__nik_hash")
                .values_list("session__starts_at", "person__nik_hash", "pre_score")
            ),
            sorted(
                timezone.localtime(stamp).date()
                for stamp in Person.objects.filter(pesantren=pesantren).values_list(
                    "created_at", flat=True
                )
            ),
        )

    demo.demo_seed(scale="tiny")
    first = snapshot()
    demo.demo_reset()
    demo.demo_seed(scale="tiny")
    assert snapshot() == first


def test_demo_reset_removes_the_history(jatim):
    pesantren_id = showcase_pesantren(jatim).pk
    demo.demo_reset()
    assert not Pesantren.objects.filter(pk=pesantren_id).exists()
    for model in (Visit, Session, CertificationTrack, GrantScheme, GrantEvent, CooperativeReport):
        assert not model.objects.filter(programme=jatim).exists(), model.__name__
    assert not LevelChange.objects.filter(programme=jatim).exists()
    assert not Round.objects.filter(programme=jatim).exists()
    assert not LoanApplication.objects.filter(programme=jatim).exists()
