"""A partner's form asks who in the family agreed under "Yes" (a GOV.UK
conditional reveal); it is needed only with a yes, and an error on it opens
the reveal."""

from __future__ import annotations

import pytest

from accounts.roles import Role
from tests.error_summary import error_summary
from tests.factories import OrganisationFactory, UserFactory
from tests.family_connect.test_partner_journeys import walk
from tests.helpers import sign_in
from tests.reveals import reveals

pytestmark = pytest.mark.django_db

URL = "/family-connect/step/consent/"
REVEAL = "conditional-id_consent_0"


@pytest.fixture
def at_consent(client):
    school = OrganisationFactory(kind="school")
    sign_in(client, UserFactory(role=Role.REQUESTER, organisation=school))
    client.post("/family-connect/")
    walk(
        client,
        [
            ("/family-connect/step/safeguarding/", {"safeguarding_concern": "no"}),
            ("/family-connect/step/request-type/", {"request_type": "consultation"}),
        ],
    )
    return client


def test_who_agreed_is_asked_under_yes(at_consent):
    found = reveals(at_consent.get(URL).content)
    assert found.controls == {"id_consent_0": REVEAL}
    assert found.asks == {REVEAL: ["id_consent_given_by"]}


def test_yes_without_a_name_opens_the_reveal_with_its_error(at_consent):
    response = at_consent.post(URL, {"consent": "yes"})
    assert error_summary(response.content) == [
        ("id_consent_given_by", "Enter who in the family agreed")
    ]
    found = reveals(response.content)
    assert found.open_on_load() == {REVEAL}
    assert found.errors[REVEAL] == ["id_consent_given_by-error"]


def test_a_name_left_under_yes_is_dropped_with_a_no(at_consent):
    # Advice (a consultation) may go ahead without the family's agreement.
    response = at_consent.post(URL, {"consent": "no", "consent_given_by": "Sara"})
    assert response.status_code == 302
    assert "Sara" not in at_consent.get("/family-connect/check/").content.decode()
