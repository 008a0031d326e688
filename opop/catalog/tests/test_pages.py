import pytest
from django.urls import reverse

from opop.catalog import services
from opop.catalog.models import Category, Certification, Product

pytestmark = pytest.mark.django_db


@pytest.fixture
def snacks():
    return Category.objects.create(name="Keripik", slug="keripik")


@pytest.fixture
def product_a(world, snacks):
    return services.product_save(
        actor=world.user("admin"),
        programme=world.jatim,
        data={
            "enterprise": world.enterprise_a,
            "category": snacks,
            "name": "Keripik Singkong",
            "price": 15000,
            "unit": "bungkus",
            "weight_grams": 250,
        },
    )


def _urls(pk):
    return [
        reverse("catalog:product_list"),
        reverse("catalog:product_detail", args=[pk]),
        reverse("catalog:product_edit", args=[pk]),
        reverse("catalog:certification_add", args=[pk]),
        reverse("catalog:product_create"),
    ]


def test_anonymous_is_sent_to_login(world, product_a):
    for url in _urls(product_a.pk):
        response = world.client("anonymous").get(url)
        assert response.status_code == 302
        assert reverse("accounts:login") in response["Location"]


@pytest.mark.parametrize("persona", ["juror", "buyer", "outsider"])
def test_roles_without_registry_are_refused(world, product_a, persona):
    for url in _urls(product_a.pk):
        assert world.client(persona).get(url).status_code == 403


def test_manager_b_neither_sees_nor_opens_product_a(world, product_a):
    client = world.client("manager_b")
    response = client.get(reverse("catalog:product_list"))
    assert response.status_code == 200
    assert "Keripik Singkong" not in response.content.decode()
    for url in _urls(product_a.pk)[1:4]:
        assert client.get(url).status_code == 404


def test_other_programme_gets_404(world, product_a):
    client = world.client("kalsel_admin")
    assert client.get(reverse("catalog:product_detail", args=[product_a.pk])).status_code == 404


def test_list_and_detail_for_manager_a(world, product_a):
    client = world.client("manager_a")
    response = client.get(reverse("catalog:product_list"), {"q": "singkong"})
    body = response.content.decode()
    assert "Keripik Singkong" in body and "Rp" in body
    assert (
        "Keripik Singkong"
        not in client.get(reverse("catalog:product_list"), {"status": "active"}).content.decode()
    )
    detail = client.get(reverse("catalog:product_detail", args=[product_a.pk]))
    assert detail.status_code == 200
    assert 'id="history"' in detail.content.decode()


def test_auditor_reads_but_cannot_edit(world, product_a):
    client = world.client("auditor")
    assert client.get(reverse("catalog:product_detail", args=[product_a.pk])).status_code == 200
    response = client.post(
        reverse("catalog:product_edit", args=[product_a.pk]), {"name": "Changed"}
    )
    assert response.status_code in (403, 404)
    product_a.refresh_from_db()
    assert product_a.name == "Keripik Singkong"


def test_manager_a_creates_a_product_and_adds_a_bpom_certification(world, snacks):
    client = world.client("manager_a")
    assert client.get(reverse("catalog:product_create")).status_code == 200
    response = client.post(
        reverse("catalog:product_create"),
        {
            "enterprise": world.enterprise_a.pk,
            "category": snacks.pk,
            "name": "Sambal Roa",
            "price": "25000",
            "unit": "botol",
            "weight_grams": "200",
            "status": "active",
        },
    )
    product = Product.objects.get(name="Sambal Roa")
    assert response.status_code == 302
    assert product.programme == world.jatim and product.enterprise == world.enterprise_a
    response = client.post(
        reverse("catalog:certification_add", args=[product.pk]),
        {"kind": "bpom", "number": "MD 224510101234", "issued_on": "2025-01-02"},
    )
    assert response.status_code == 302
    certification = product.certifications.get()
    assert certification.number == "MD224510101234"
    detail = client.get(reverse("catalog:product_detail", args=[product.pk])).content.decode()
    assert "MD224510101234" in detail


def test_manager_a_cannot_pick_enterprise_b(world, snacks):
    response = world.client("manager_a").post(
        reverse("catalog:product_create"),
        {
            "enterprise": world.enterprise_b.pk,
            "category": snacks.pk,
            "name": "Batik",
            "price": "1",
            "unit": "lembar",
            "weight_grams": "1",
            "status": "draft",
        },
    )
    assert response.status_code == 200
    assert "enterprise" in response.context["form"].errors
    assert not Product.objects.filter(name="Batik").exists()


def test_halal_kh_number_is_refused_at_the_field(world, product_a):
    response = world.client("manager_a").post(
        reverse("catalog:certification_add", args=[product_a.pk]),
        {"kind": "halal", "number": "KH 123/2024"},
    )
    assert response.status_code == 200
    assert "number" in response.context["form"].errors
    assert 'id="id_number_error"' in response.content.decode()
    assert not Certification.objects.exists()
