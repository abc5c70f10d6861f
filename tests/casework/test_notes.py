from __future__ import annotations

import pytest

from accounts.roles import Role
from casework.models import CaseNote
from tests.factories import CaseFactory, UserFactory
from tests.helpers import sign_in_verified

pytestmark = pytest.mark.django_db


def test_notes_join_the_timeline_with_significant_events_marked(client):
    case = CaseFactory()
    sign_in_verified(client, case.lead_practitioner)
    url = f"/cases/{case.pk}/notes/"
    client.post(
        url, {"kind": "visit", "text": "Home visit: calmer.", "significant": "1"}
    )
    client.post(url, {"kind": "call", "text": "Call with school."})
    client.post(url, {"kind": "gossip", "text": "x"})
    client.post(url, {"kind": "note", "text": "  "})
    assert CaseNote.objects.count() == 2
    html = client.get(f"/cases/{case.pk}/").content.decode()
    assert html.index("Call with school.") < html.index(
        "Home visit: calmer."
    )  # newest first
    assert "Significant" in html


def test_others_cannot_add_notes(client):
    case = CaseFactory()
    sign_in_verified(
        client, UserFactory(role=Role.PRACTITIONER, localities=["erdington"])
    )
    assert (
        client.post(
            f"/cases/{case.pk}/notes/", {"kind": "note", "text": "x"}
        ).status_code
        == 404
    )
    assert not CaseNote.objects.exists()


def test_a_refused_note_lists_every_problem_by_its_field_and_keeps_the_words(client):
    from tests.error_summary import error_summary

    case = CaseFactory()
    sign_in_verified(client, case.lead_practitioner)
    response = client.post(
        f"/cases/{case.pk}/notes/",
        {"kind": "gossip", "text": "  ", "significant": "1"},
        follow=True,
    )
    assert response.status_code == 200
    html = response.content.decode()
    assert "<title>Error:" in html
    assert error_summary(html) == [
        ("note-kind", "Select the kind of note"),
        ("note-text", "Enter the note"),
    ]
    assert 'id="note-text-error"' in html and 'id="note-kind-error"' in html
    assert (
        'id="note-significant" name="significant" type="checkbox" value="1" checked'
        in html
    )
    assert not CaseNote.objects.exists()
    # Said once: the page read again is the plain case page.
    again = client.get(f"/cases/{case.pk}/").content.decode()
    assert "There is a problem" not in again and "<title>Error:" not in again


def test_a_refused_note_keeps_what_was_typed(client):
    case = CaseFactory()
    sign_in_verified(client, case.lead_practitioner)
    response = client.post(
        f"/cases/{case.pk}/notes/",
        {"kind": "bogus", "text": "Visit at 3pm"},
        follow=True,
    )
    assert ">Visit at 3pm</textarea>" in response.content.decode()
    assert not CaseNote.objects.exists()
