"""Date fields are `<input type=date>`, which reads only ISO dates (YYYY-MM-DD). In Indonesian,
the default language, Django wrote them as DD-MM-YYYY, so browsers showed them empty: the
payment date of a tranche lost its "today", and editing a scheme lost its proposal window (and
could not be saved without typing both dates again)."""

import pytest
from django.urls import reverse

from opop.grants.tests.helpers import agreed, scheme, today

pytestmark = pytest.mark.django_db


def _indonesian(world, persona, url) -> str:
    response = world.client(persona).get(url, HTTP_ACCEPT_LANGUAGE="id")
    assert response.status_code == 200
    assert response.headers["Content-Language"] == "id"
    return response.content.decode()


def test_scheme_edit_shows_its_dates_in_indonesian(world):
    s = scheme(world)
    page = _indonesian(world, "admin", reverse("grants:scheme_edit", args=[s.pk]))
    assert f'name="opens_on" value="{s.opens_on.isoformat()}"' in page
    assert f'name="closes_on" value="{s.closes_on.isoformat()}"' in page


def test_tranche_payment_date_defaults_to_today_in_indonesian(world):
    p = agreed(world)
    page = _indonesian(world, "admin", reverse("grants:proposal_detail", args=[p.pk]))
    assert f'name="paid_on" value="{today().isoformat()}"' in page
