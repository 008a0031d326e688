"""`<input type=date>` reads only ISO dates: in Indonesian (the default) Django would write
DD-MM-YYYY, which the browser shows as an empty field. Every date widget says its format."""

import datetime as dt

from django.utils import translation

from opop.mart.forms_seller import DateRangeForm
from opop.visits.forms import VisitForm

DAY = dt.date(2026, 3, 9)


def test_visit_date_is_iso_in_indonesian():
    with translation.override("id"):
        html = str(VisitForm(initial={"visited_on": DAY})["visited_on"])
    assert 'value="2026-03-09"' in html


def test_seller_date_range_is_iso_in_indonesian():
    with translation.override("id"):
        form = DateRangeForm(initial={"date_from": DAY, "date_to": DAY})
        html = str(form["date_from"]) + str(form["date_to"])
    assert html.count('value="2026-03-09"') == 2
