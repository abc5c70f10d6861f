"""The grading form asks what the family said under the box saying their
feedback was sought (a GOV.UK conditional reveal); a graded audit shown to
someone who cannot change it is a summary list, not a form."""

from __future__ import annotations

import pytest

from tests.audits.test_pages import grading_post, world  # noqa: F401  (fixture)
from tests.error_summary import error_summary
from tests.helpers import sign_in_verified
from tests.reveals import reveals

pytestmark = pytest.mark.django_db


def _url(w):
    return f"/audits/case-audits/{w['audit'].pk}/"


def test_what_the_family_said_is_asked_under_the_box(client, world):  # noqa: F811
    sign_in_verified(client, world["auditor"])
    page = client.get(_url(world)).content.decode()
    found = reveals(page)
    assert found.controls == {
        "id_family_feedback_sought": "conditional-id_family_feedback_sought"
    }
    assert found.asks == {
        "conditional-id_family_feedback_sought": ["id_family_feedback"]
    }
    assert page.count('id="id_family_feedback"') == 1
    assert found.open_on_load() == set()


def test_feedback_sought_but_not_given_opens_the_reveal_with_its_error(
    client,
    world,  # noqa: F811
):
    sign_in_verified(client, world["auditor"])
    response = client.post(
        _url(world), {**grading_post(), "family_feedback_sought": "on"}
    )
    assert response.status_code == 200
    assert [f for f, _ in error_summary(response.content)] == ["id_family_feedback"]
    found = reveals(response.content)
    reveal = "conditional-id_family_feedback_sought"
    assert found.open_on_load() == {reveal}
    assert found.errors[reveal] == ["id_family_feedback-error"]
    world["audit"].refresh_from_db()
    assert world["audit"].status == "assigned"


def test_what_was_typed_without_the_box_ticked_is_dropped(client, world):  # noqa: F811
    sign_in_verified(client, world["auditor"])
    response = client.post(
        _url(world), {**grading_post(), "family_feedback": "Typed, then unticked."}
    )
    assert response.status_code == 302
    audit = world["audit"]
    audit.refresh_from_db()
    assert audit.status == "submitted"
    assert not audit.family_feedback_sought and audit.family_feedback == ""


@pytest.mark.parametrize("who", ["auditor", "moderator", "lead"])
def test_a_graded_audit_is_a_summary_list_for_those_who_cannot_change_it(
    client,
    world,  # noqa: F811
    who,
):
    sign_in_verified(client, world["auditor"])
    assert client.post(_url(world), grading_post()).status_code == 302
    if who != "auditor":
        client.logout()
        sign_in_verified(client, world[who])
    page = client.get(_url(world)).content.decode()
    assert 'name="form" value="grading"' not in page
    assert 'class="govuk-summary-list"' in page
    assert "Clear plan with the family" in page
    assert reveals(page).disabled == []
