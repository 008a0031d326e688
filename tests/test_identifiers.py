import datetime as dt

import pytest
from django.core.exceptions import ValidationError

from opop.common import pii
from opop.common.identifiers import parse_nib, parse_nik, parse_npwp, parse_nspp, parse_phone


def test_nik_gives_gender_and_birth_date():
    info = parse_nik("3578014508950001", today=dt.date(2026, 1, 1))
    assert (info.gender, info.birth_date, info.region_code) == (
        "P",
        dt.date(1995, 8, 5),
        "35.78.01",
    )
    male = parse_nik("3578011508050001", today=dt.date(2026, 1, 1))
    assert (male.gender, male.birth_date) == ("L", dt.date(2005, 8, 15))


@pytest.mark.parametrize(
    "value",
    [
        "357801450895000",
        "35780145089500011",
        "3578019908950001",
        "3578013102950001",
        "35780145089500ab",
        "3578014508950000",
    ],
)
def test_bad_nik_is_refused(value):
    with pytest.raises(ValidationError):
        parse_nik(value)


def test_unknown_region_prefix_only_warns():
    info = parse_nik("9978014508950001", known_province=lambda code: code == "35")
    assert info.warnings and info.gender == "P"


def test_nik_from_a_number_cell_and_with_separators():
    assert parse_nik("3578 0145 0895 0001").nik == "3578014508950001"
    assert parse_nik("3578014508950001.0").nik == "3578014508950001"


def test_other_identifiers():
    assert parse_nib("1234567890123") == "1234567890123"
    assert parse_nspp("5100-3578-0001") == "510035780001"
    assert parse_npwp("01.234.567.8-901.000") == "0012345678901000"
    assert parse_npwp("3578014508950001") == "3578014508950001"
    for bad, parser in (("123", parse_nib), ("12345678901", parse_nspp), ("12", parse_npwp)):
        with pytest.raises(ValidationError):
            parser(bad)


@pytest.mark.parametrize(
    "value", ["0812-3456-7890", "+62 812 3456 7890", "812345678 90", "6281234567890"]
)
def test_phones_normalise_to_e164(value):
    assert parse_phone(value.replace("812345678 90", "81234567890")) == "+6281234567890"


def test_landline_is_not_whatsapp():
    assert parse_phone("031-5551234") == "+62315551234"
    with pytest.raises(ValidationError):
        parse_phone("031-5551234", mobile=True)


def test_nik_at_rest():
    token = pii.encrypt("3578014508950001")
    assert "3578014508950001" not in token and pii.decrypt(token) == "3578014508950001"
    assert pii.nik_hash("3578014508950001") == pii.nik_hash("3578014508950001")
    assert pii.mask_nik("3578014508950001") == "3578••••••••0001"


def test_certification_numbers():
    from opop.common.identifiers import parse_bpom, parse_halal, parse_pirt

    assert parse_pirt("1234567890123-27") == ("1234567890123-27", 2027)
    assert parse_pirt("123456789012327") == ("1234567890123-27", 2027)
    assert parse_bpom("md 224510101234") == "MD224510101234"
    assert parse_bpom("ML123456789012345") == "ML123456789012345"
    assert parse_halal("ID35110000123450123") == "ID35110000123450123"
    bad = [
        (parse_pirt, "12345-27"),
        (parse_bpom, "MX224510101234"),
        (parse_bpom, "MD1234"),
        (parse_halal, "KH-123/2023"),
        (parse_halal, "35110000123450123"),
    ]
    for parser, value in bad:
        with pytest.raises(ValidationError):
            parser(value)
