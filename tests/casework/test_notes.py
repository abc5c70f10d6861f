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
