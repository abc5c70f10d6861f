"""The triage decision lists every problem at once, each linked to its field,
and its labels say which fields a decision needs ("if allocating"), not
"(optional)"."""

from __future__ import annotations

import pytest

from accounts.roles import Role
from family_connect.models import FormEvent
from tests.error_summary import error_summary
from tests.factories import OrganisationFactory, UserFactory
from tests.helpers import sign_in_verified
from tests.triage.test_triage import submit

pytestmark = pytest.mark.django_db


@pytest.fixture
def manager(client):
    user = UserFactory(role=Role.LOCALITY_MANAGER, localities=["erdington"])
    sign_in_verified(client, user)
    return user


@pytest.fixture
def form():
    return submit(
        UserFactory(
            role=Role.REQUESTER, organisation=OrganisationFactory(kind="school")
        )
    )


def _post(client, form, data):
    return client.post(
        f"/triage/forms/{form.reference}/", {"version": form.version, **data}
    )


def test_nothing_chosen_says_both_the_decision_and_the_reason(client, manager, form):
    response = _post(client, form, {})
    assert response.status_code == 200
    assert error_summary(response.content) == [
        ("id_outcome_0", "Select a decision"),
        ("id_reason", "Enter the reason for the decision"),
    ]


@pytest.mark.parametrize(
    ("outcome", "field", "message"),
    [
        ("allocated", "id_lead_practitioner", "Select the lead practitioner"),
        ("signposted", "id_community_service", "Select the community service"),
        (
            "transferred",
            "id_to_locality",
            "Select the locality to transfer the form to",
        ),
        (
            "duplicate",
            "id_duplicate_of",
            "Enter the reference of the form it duplicates",
        ),
    ],
)
def test_a_decision_without_what_it_needs_or_a_reason_lists_both(
    client, manager, form, outcome, field, message
):
    response = _post(client, form, {"outcome": outcome, "reason": ""})
    assert error_summary(response.content) == [
        (field, message),
        ("id_reason", "Enter the reason for the decision"),
    ]
    form.refresh_from_db()
    assert form.status == "submitted"
    assert not FormEvent.objects.filter(form=form, kind="decided").exists()


TAMPERED = {
    "lead_practitioner": "999999",
    "community_service": "x",
    "to_locality": "nowhere",
    "duplicate_of": "x" * 40,
}


@pytest.mark.parametrize(
    ("outcome", "field", "message"),
    [
        ("allocated", "lead_practitioner", "Select a lead practitioner from the list"),
        (
            "signposted",
            "community_service",
            "Select a service from the locality's directory",
        ),
        ("transferred", "to_locality", "Select another locality from the list"),
        (
            "duplicate",
            "duplicate_of",
            "The reference must be 12 characters or fewer, like FC-7K3M-Q9TD",
        ),
    ],
)
def test_tampered_choices_are_refused_in_words(
    client, manager, form, outcome, field, message
):
    # Only the chosen decision's follow-up is checked: what the other
    # follow-ups hold (typed before the manager changed their mind) is dropped.
    response = _post(
        client, form, {"outcome": outcome, **TAMPERED, "reason": "Fits our offer."}
    )
    assert response.status_code == 200
    assert error_summary(response.content) == [(f"id_{field}", message)]
    form.refresh_from_db()
    assert form.status == "submitted"


def test_the_labels_say_which_decision_needs_each_field(client, manager, form):
    page = client.get(f"/triage/forms/{form.reference}/").content.decode()
    for label in (
        "Lead practitioner (if allocating)",
        "Community service (if signposting)",
        "Locality to transfer the form to (if transferring)",
        "Reference of the original form (if it is a duplicate)",
    ):
        assert label in page
    decision = page[page.index('id="decision"') :]
    assert "(optional)" not in decision
