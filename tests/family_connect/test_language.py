from __future__ import annotations

import re
from pathlib import Path

import pytest
from django.utils import translation

from family_connect.forms import ConsentForm, SafeguardingForm

PO = Path(__file__).resolve().parents[2] / "locale" / "ur" / "LC_MESSAGES" / "django.po"


def untranslated(po_text: str) -> list[str]:
    """The msgids of entries whose msgstr is empty (the header excepted)."""
    missing = []
    for entry in po_text.split("\n\n")[1:]:
        if entry.lstrip().startswith("#~"):
            continue  # obsolete
        msgid = "".join(
            re.findall(r'^(?:msgid )?"(.*)"$', entry.split("msgstr")[0], re.M)
        )
        msgstr = (
            "".join(re.findall(r'"(.*)"', entry.split("msgstr", 1)[1]))
            if "msgstr" in entry
            else ""
        )
        if msgid and not msgstr:
            missing.append(msgid)
    return missing


def test_untranslated_finds_an_empty_entry():
    po = (
        'msgid ""\nmsgstr "header"\n\n'
        'msgid "Yes"\nmsgstr ""\n\n'
        'msgid "No"\nmsgstr "نہیں"\n'
    )
    assert untranslated(po) == ["Yes"]


def test_every_message_in_the_urdu_catalogue_is_translated():
    text = PO.read_text(encoding="utf-8")
    assert untranslated(text) == []
    assert "#, fuzzy" not in text


def test_the_journey_questions_have_urdu_translations():
    with translation.override("ur"):
        for text in [
            str(SafeguardingForm.base_fields["safeguarding_concern"].label),
            str(ConsentForm.base_fields["consent_given_by"].label),
            translation.gettext("Continue"),
            translation.gettext("There is a problem"),
        ]:
            assert re.search("[\u0600-\u06ff]", text), text


@pytest.mark.django_db
def test_the_language_switch_shows_the_public_form_in_urdu_right_to_left(client):
    english = client.get("/family-connect/").content.decode()
    assert 'lang="en-gb"' in english and "Start now" in english
    response = client.post(
        "/i18n/setlang/", {"language": "ur", "next": "/family-connect/"}
    )
    assert response.status_code == 302
    urdu = client.get("/family-connect/").content.decode()
    assert 'lang="ur"' in urdu and 'dir="rtl"' in urdu
    assert "Start now" not in urdu
    assert re.search("[\u0600-\u06ff]{3,}", urdu)
    client.post("/i18n/setlang/", {"language": "en-gb", "next": "/family-connect/"})
    assert "Start now" in client.get("/family-connect/").content.decode()
