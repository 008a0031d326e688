import pytest

from opop.regions.models import Region
from opop.regions.selectors import regency_lookup
from opop.regions.services import regions_load

pytestmark = pytest.mark.django_db


def test_all_provinces_and_regencies_loaded():
    assert Region.objects.filter(level=1).count() == 38
    assert Region.objects.filter(level=2).count() == 514
    assert Region.objects.filter(level=3).count() > 7000


def test_loading_again_changes_nothing():
    before = Region.objects.count()
    regions_load()
    assert Region.objects.count() == before


def test_api_lists_children(client):
    assert len(client.get("/api/v1/regions/?parent=35").json()) == 38
    assert len(client.get("/api/v1/regions/?parent=63").json()) == 13
    provinces = client.get("/api/v1/regions/").json()
    assert len(provinces) == 38 and provinces[0] == {
        "code": "11",
        "name": "Aceh",
        "level": 1,
        "kind": "provinsi",
        "parent": None,
    }


def test_picker_fragment_lists_kecamatan(client):
    html = client.get("/regions/options/?parent=35.78").content.decode()
    assert 'value="35.78.01"' in html and html.count("<option") == 32


@pytest.mark.parametrize(
    "text,codes",
    [
        ("Kab. Jombang", ["35.17"]),
        ("kabupaten jombang", ["35.17"]),
        ("Jombang", ["35.17"]),
        ("Kota Malang", ["35.73"]),
        ("Kab Malang", ["35.07"]),
        ("Malang", ["35.07", "35.73"]),
        ("Gotham", []),
    ],
)
def test_regency_lookup_accepts_common_spellings(text, codes):
    assert sorted(regency_lookup("35", text)) == codes
