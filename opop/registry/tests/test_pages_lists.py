"""List pages: search, filters, sorting, paging, result count, and a pinned query count."""

import pytest
from django.utils import timezone

from opop.programmes.models import Pillar
from opop.registry import rules
from opop.registry.models import Participation, Person
from opop.registry.tests.pages import html, url

pytestmark = pytest.mark.django_db


def add_people(world, count: int, *, regency="35.78", prefix="Santri"):
    people = [
        Person(
            programme=world.jatim,
            full_name=f"{prefix} {i:03d}",
            regency_id=regency,
            pesantren=world.pesantren_a if regency == "35.78" else world.pesantren_b,
            consent_at=timezone.now(),
        )
        for i in range(count)
    ]
    people = Person.objects.bulk_create(people)
    Participation.objects.bulk_create(
        Participation(
            programme=world.jatim,
            pillar=Pillar.SOCIOPRENEUR,
            cohort_year=2024,
            person=p,
            regency_id=regency,
        )
        for p in people
    )
    return people


def test_person_search_by_part_of_name_ignores_case(world):
    page = html(world.client("admin").get(url("person_list"), {"q": "fauz"}))
    assert "Ahmad Fauzi" in page and "Siti Aminah" not in page


def test_person_list_never_searches_a_nik_from_the_address(world):
    page = html(world.client("admin").get(url("person_list"), {"q": "3517 0152 0897 0002"}))
    assert "Siti Aminah" not in page
    assert url("person_find_by_nik") in page  # the POST box that takes a NIK instead


def test_find_by_nik_opens_the_person_in_scope(world):
    response = world.client("admin").post(url("person_find_by_nik"), {"nik": "3517 0152 0897 0002"})
    assert response.status_code == 302
    assert response["Location"] == url("person_detail", world.person_b.pk)


def test_find_by_nik_does_not_reveal_people_out_of_scope(world):
    response = world.client("officer").post(url("person_find_by_nik"), {"nik": "3517015208970002"})
    assert response["Location"] == url("person_list")


def test_find_by_nik_refuses_get_bad_input_and_outsiders(world):
    client = world.client("admin")
    assert client.get(url("person_find_by_nik"), {"nik": "3517015208970002"}).status_code == 405
    bad = client.post(url("person_find_by_nik"), {"nik": "12345"}, follow=True)
    assert bad.redirect_chain[-1][0] == url("person_list") and "NIK" in html(bad)
    assert (
        world.client("juror")
        .post(url("person_find_by_nik"), {"nik": "3517015208970002"})
        .status_code
        == 403
    )


def test_pesantren_search_by_nspp(world):
    page = html(world.client("admin").get(url("pesantren_list"), {"q": "510035170002"}))
    assert "Darul Ulum" in page and "Al-Hikmah" not in page


def test_cooperative_search_by_nib(world):
    page = html(world.client("admin").get(url("cooperative_list"), {"q": "1234567890123"}))
    assert "Kopontren Al-Hikmah" in page and "Kopontren Darul Ulum" not in page


@pytest.mark.parametrize("register", ["pesantren", "person", "enterprise", "cooperative"])
def test_regency_filter(world, register):
    page = html(world.client("admin").get(url(f"{register}_list"), {"regency": "35.17"}))
    assert "Darul Ulum" in page or "Siti Aminah" in page
    assert "Al-Hikmah" not in page and "Ahmad Fauzi" not in page


def test_regency_filter_offers_only_the_programme_province(world):
    page = html(world.client("admin").get(url("person_list")))
    assert 'value="35.17"' in page and 'value="35.78"' in page
    assert 'value="63.71"' not in page


def test_officer_gets_no_regency_filter(world):
    page = html(world.client("officer").get(url("person_list")))
    assert 'name="regency"' not in page


def test_pillar_and_cohort_filters_go_through_participation(world):
    add_people(world, 2, prefix="Sosio")
    client = world.client("admin")
    page = html(client.get(url("person_list"), {"pillar": "sociopreneur"}))
    assert "Sosio 000" in page and "Ahmad Fauzi" not in page
    page = html(client.get(url("person_list"), {"pillar": "santripreneur", "cohort_year": 2025}))
    assert "Ahmad Fauzi" in page and "Sosio 000" not in page
    page = html(client.get(url("person_list"), {"cohort_year": 2019}))
    assert "Ahmad Fauzi" not in page and "Sosio" not in page


def test_person_status_filter_is_participation_status(world):
    Participation.objects.filter(person=world.person_b).update(status="withdrawn")
    page = html(world.client("admin").get(url("person_list"), {"status": "withdrawn"}))
    assert "Siti Aminah" in page and "Ahmad Fauzi" not in page


def test_pesantren_pillar_filter_counts_its_people_too(world):
    client = world.client("admin")
    page = html(client.get(url("pesantren_list"), {"pillar": "pesantrenpreneur"}))
    assert "Al-Hikmah" in page and "Darul Ulum" not in page
    page = html(client.get(url("pesantren_list"), {"pillar": "santripreneur"}))
    assert "Al-Hikmah" in page and "Darul Ulum" in page


def test_pesantren_status_filter(world):
    world.pesantren_b.status = "inactive"
    world.pesantren_b.save()
    page = html(world.client("admin").get(url("pesantren_list"), {"status": "inactive"}))
    assert "Darul Ulum" in page and "Al-Hikmah" not in page


def test_bad_filter_values_are_ignored(world):
    response = world.client("admin").get(
        url("person_list"), {"cohort_year": "abc", "regency": "99.99", "sort": "password"}
    )
    assert response.status_code == 200
    assert "Ahmad Fauzi" in html(response)


def test_sort_links_reverse_the_order(world):
    client = world.client("admin")
    ascending = html(client.get(url("person_list"), {"sort": "name"}))
    descending = html(client.get(url("person_list"), {"sort": "-name"}))
    assert ascending.index("Ahmad Fauzi") < ascending.index("Siti Aminah")
    assert descending.index("Siti Aminah") < descending.index("Ahmad Fauzi")
    assert "?sort=-name" in ascending


def test_pages_of_25_with_result_count(world):
    add_people(world, 30)
    client = world.client("admin")
    first = html(client.get(url("person_list"), {"q": "Santri"}))
    assert "30 results" in first or "30 hasil" in first
    assert "Santri 024" in first and "Santri 025" not in first
    second = html(client.get(url("person_list"), {"q": "Santri", "page": 2}))
    assert "Santri 025" in second and "Santri 029" in second and "Santri 024" not in second


def test_count_is_capped_for_huge_lists(world, monkeypatch):
    from opop.registry.views import common

    monkeypatch.setattr(common, "COUNT_CAP", 10)
    add_people(world, 12)
    page = html(world.client("admin").get(url("person_list")))
    assert "10" in page and ("More than" in page or "Lebih dari" in page)


def test_pesantren_detail_links_to_all_its_people(world):
    add_people(world, 26)
    page = html(world.client("admin").get(url("pesantren_detail", world.pesantren_a.pk)))
    assert f"?pesantren={world.pesantren_a.pk}" in page
    listed = html(
        world.client("admin").get(url("person_list"), {"pesantren": world.pesantren_a.pk})
    )
    assert "Santri 000" in listed and "Siti Aminah" not in listed


def test_people_list_query_count_does_not_grow_with_rows(world, django_assert_max_num_queries):
    add_people(world, 40)
    client = world.client("admin")
    client.get(url("person_list"))  # warm the session
    # 7 for the list itself + the navbar's unread-notification count
    with django_assert_max_num_queries(8):
        response = client.get(url("person_list"), {"regency": "35.78", "q": "santri"})
    assert response.status_code == 200


def test_officer_people_list_query_count(world, django_assert_max_num_queries):
    add_people(world, 40)
    client = world.client("officer")
    # 7 for the list itself + the navbar's unread-notification count
    with django_assert_max_num_queries(8):
        response = client.get(url("person_list"), {"pillar": "sociopreneur"})
    assert "Santri 000" in html(response)


def test_minor_is_flagged_on_the_person_page(world):
    info = rules.nik_checked("3578011203150004")
    person = Person.objects.create(
        programme=world.jatim,
        full_name="Anak Santri",
        regency_id="35.78",
        birth_date=info.birth_date,
        pesantren=world.pesantren_a,
    )
    page = html(world.client("admin").get(url("person_detail", person.pk)))
    assert "under 18" in page or "di bawah 18" in page


@pytest.mark.parametrize("sort", ["name", "-name", "regency", "-regency", "created", "-created"])
def test_searched_lists_keep_every_sort(world, sort):
    page = html(world.client("admin").get(url("person_list"), {"q": "a", "sort": sort}))
    first, second = page.index("Ahmad Fauzi"), page.index("Siti Aminah")
    ahmad_first = sort in ("name", "-regency", "created")
    assert (first < second) == ahmad_first
