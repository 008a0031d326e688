"""Bahasa Indonesia is the default language and every message has its translation."""

import re
from pathlib import Path

import pytest
from django.conf import settings
from django.test import override_settings
from django.utils import translation

CATALOGUE = Path(settings.BASE_DIR) / "opop" / "locale" / "id" / "LC_MESSAGES" / "django.po"


def _entries(text: str):
    """(msgid, [msgstr...], flags) per entry of a .po file, header excluded."""
    for block in re.split(r"\n\s*\n", text):
        lines = [line for line in block.splitlines() if not line.startswith("#~")]
        flags = " ".join(line for line in lines if line.startswith("#,"))
        fields, current = {}, None
        for line in lines:
            match = re.match(r'^(msgid|msgid_plural|msgstr(?:\[\d+\])?)\s+"(.*)"$', line)
            if match:
                current = match.group(1)
                fields[current] = match.group(2)
            elif line.startswith('"') and current:
                fields[current] += line[1:-1]
        if "msgid" in fields and fields["msgid"]:
            strings = [_unescape(v) for k, v in fields.items() if k.startswith("msgstr")]
            yield _unescape(fields["msgid"]), strings, flags


def _unescape(text: str) -> str:
    escapes = {"n": "\n", "t": "\t", '"': '"', "\\": "\\"}
    return re.sub(r"\\(.)", lambda m: escapes.get(m.group(1), m.group(1)), text)


def test_every_message_is_translated_to_indonesian():
    entries = list(_entries(CATALOGUE.read_text(encoding="utf-8")))
    assert len(entries) > 300
    untranslated = [msgid for msgid, msgstrs, _ in entries if not all(msgstrs)]
    fuzzy = [msgid for msgid, _, flags in entries if "fuzzy" in flags]
    assert untranslated == [] and fuzzy == []


def test_compiled_catalogue_matches_the_source():
    import gettext

    with CATALOGUE.with_suffix(".mo").open("rb") as handle:
        compiled = gettext.GNUTranslations(handle)._catalog
    missing = [
        msgid
        for msgid, _, _ in _entries(CATALOGUE.read_text(encoding="utf-8"))
        if msgid not in compiled and (msgid, 0) not in compiled
    ]
    assert missing == [], "run `make messages` (compilemessages) and commit the .mo"


@pytest.mark.django_db
@override_settings(LANGUAGE_CODE="id")
def test_pages_are_indonesian_by_default(client):
    html = client.get("/accounts/login/").content.decode()
    assert 'lang="id"' in html and "Masuk ke Platform OPOP" in html and "Lupa kata sandi?" in html


@pytest.mark.django_db
def test_english_is_available(client):
    html = client.get("/accounts/login/", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert 'lang="en"' in html and "Log in" in html


def test_validation_messages_are_translated():
    from django.core.exceptions import ValidationError

    from opop.common.identifiers import parse_nib

    with translation.override("id"):
        try:
            parse_nib("123")
        except ValidationError as exc:
            message = exc.messages[0]
    assert "NIB" in message and "digits" not in message
