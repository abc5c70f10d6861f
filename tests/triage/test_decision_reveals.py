"""The triage decision asks each follow-up under the decision that needs it (a
GOV.UK conditional reveal, working without JavaScript); only the chosen
decision's follow-up is checked; an error on it opens its reveal. A form whose
locality is not known is transferred before it can be allocated: the page says
so instead of offering the allocation, and the service refuses it in the same
words."""

from __future__ import annotations

import html

import pytest

from accounts.roles import Role
from casework.models import Case
from core.errors import InvalidInput
from family_connect.models import FormDecision, FormEvent
from localities.models import Locality
from tests.error_summary import error_summary
from tests.factories import (
    FormFactory,
    OrganisationFactory,
    UserFactory,
    grant_citywide_triage,
)
from tests.helpers import sign_in_verified
from tests.reveals import reveals
from tests.triage.test_triage import submit
from triage.models import Team, TeamMember
from triage.services.allocation import TRANSFER_FIRST
from triage.services.decisions import form_allocate
from triage.services.outcomes import form_decide

pytestmark = pytest.mark.django_db

# The decision's options, in the order the page shows them.
ALLOCATE, SIGNPOST, TRANSFER, DUPLICATE = 0, 1, 5, 6
FOLLOW_UPS = {
    ALLOCATE: "id_lead_practitioner",
    SIGNPOST: "id_community_service",
    TRANSFER: "id_to_locality",
    DUPLICATE: "id_duplicate_of",
}


@pytest.fixture
def manager(client):
    user = UserFactory(role=Role.LOCALITY_MANAGER, localities=["erdington"])
    sign_in_verified(client, user)
    return user


@pytest.fixture
def practitioner():
    user = UserFactory(
        role=Role.PRACTITIONER, localities=["erdington"], full_name="Pat Lead"
    )
    team = Team.objects.create(
        locality=Locality.objects.get(slug="erdington"), name="North"
    )
    TeamMember.objects.create(team=team, user=user, capacity=10)
    return user


@pytest.fixture
def form():
    return submit(
        UserFactory(
            role=Role.REQUESTER, organisation=OrganisationFactory(kind="school")
        )
    )


def _page(client, form) -> str:
    return client.get(f"/triage/forms/{form.reference}/").content.decode()


def _post(client, form, data):
    return client.post(
        f"/triage/forms/{form.reference}/", {"version": form.version, **data}
    )


def test_each_follow_up_is_asked_under_its_decision(client, manager, form):
    page = _page(client, form)
    found = reveals(page)
    assert found.controls == {
        f"id_outcome_{option}": f"conditional-id_outcome_{option}"
        for option in FOLLOW_UPS
    }
    assert found.asks == {
        f"conditional-id_outcome_{option}": [field]
        for option, field in FOLLOW_UPS.items()
    }
    for field in FOLLOW_UPS.values():
        assert page.count(f'id="{field}"') == 1
    # Without JavaScript every follow-up shows under its option: the server
    # hides none (GOV.UK Frontend hides those not chosen when it starts).
    assert "govuk-radios__conditional--hidden" not in page
    assert 'data-module="govuk-radios"' in page
    assert found.open_on_load() == set()


@pytest.mark.parametrize(
    ("outcome", "option", "message"),
    [
        ("allocated", ALLOCATE, "Select the lead practitioner"),
        ("signposted", SIGNPOST, "Select the community service"),
        ("transferred", TRANSFER, "Select the locality to transfer the form to"),
        ("duplicate", DUPLICATE, "Enter the reference of the form it duplicates"),
    ],
)
def test_an_error_on_a_follow_up_opens_its_reveal(
    client, manager, form, outcome, option, message
):
    response = _post(client, form, {"outcome": outcome, "reason": "Discussed."})
    field = FOLLOW_UPS[option]
    assert error_summary(response.content) == [(field, message)]
    found = reveals(response.content)
    reveal = f"conditional-id_outcome_{option}"
    assert found.checked == {f"id_outcome_{option}"}
    assert found.open_on_load() == {reveal}
    assert found.errors[reveal] == [f"{field}-error"]
    assert all(not errors for r, errors in found.errors.items() if r != reveal)
    form.refresh_from_db()
    assert form.status == "submitted"


def test_what_was_typed_under_another_decision_is_not_checked(
    client, manager, practitioner, form
):
    # The manager began to mark it a duplicate and to transfer it, then
    # allocated it: the other follow-ups are dropped, not refused or used.
    response = _post(
        client,
        form,
        {
            "outcome": "allocated",
            "lead_practitioner": practitioner.pk,
            "duplicate_of": "FC-NONE-NONE",
            "to_locality": "yardley",
            "community_service": "999999",
            "reason": "Needs a plan.",
        },
    )
    assert response.status_code == 302, error_summary(response.content)
    decision = FormDecision.objects.get(form=form)
    assert decision.outcome == "allocated"
    assert decision.lead_practitioner == practitioner
    assert decision.community_service is None
    form.refresh_from_db()
    assert form.duplicate_of is None
    assert form.locality.slug == "erdington"


def test_only_the_chosen_decisions_follow_up_is_needed(client, manager, form):
    response = _post(
        client,
        form,
        {"outcome": "no_further_action", "reason": "Needs met by school."},
    )
    assert response.status_code == 302
    form.refresh_from_db()
    assert form.status == "no_further_action"


def test_closing_a_decided_form_asks_for_the_original_under_duplicate(
    client, manager, form
):
    _post(client, form, {"outcome": "no_further_action", "reason": "Met by school."})
    form.refresh_from_db()
    page = _page(client, form)
    found = reveals(page)
    assert found.controls == {"id_outcome_1": "conditional-id_outcome_1"}
    assert found.asks == {"conditional-id_outcome_1": ["id_duplicate_of"]}
    refused = _post(
        client, form, {"action": "close", "outcome": "duplicate", "reason": "Same."}
    )
    assert error_summary(refused.content) == [
        ("id_duplicate_of", "Enter the reference of the form it duplicates")
    ]
    assert reveals(refused.content).open_on_load() == {"conditional-id_outcome_1"}
    # Withdrawn needs no original: a reference left under "duplicate" is dropped.
    closed = _post(
        client,
        form,
        {
            "action": "close",
            "outcome": "withdrawn",
            "duplicate_of": "FC-NONE-NONE",
            "reason": "The family moved away.",
        },
    )
    assert closed.status_code == 302, error_summary(closed.content)
    form.refresh_from_db()
    assert form.status == "withdrawn" and form.duplicate_of is None


def test_a_decided_form_shows_its_decision_as_a_summary_list(
    client, manager, practitioner, form
):
    _post(
        client,
        form,
        {
            "outcome": "allocated",
            "lead_practitioner": practitioner.pk,
            "reason": "Needs a plan.",
        },
    )
    page = _page(client, form)
    decision = page[page.index('data-testid="decision"') :]
    decision = decision[: decision.index("</dl>")]
    for text in ("Allocated", "Pat Lead", "Needs a plan.", "Decided by"):
        assert text in decision
    assert "govuk-summary-list__row" in decision
    assert reveals(page).disabled == []


# --- A form whose locality is not known ------------------------------------------


@pytest.fixture
def citywide(client):
    user = grant_citywide_triage(
        UserFactory(role=Role.LOCALITY_MANAGER, localities=["erdington"])
    )
    sign_in_verified(client, user)
    return user


@pytest.fixture
def unresolved():
    return FormFactory(locality=None, postcode="ZZ9 9ZZ")


def test_the_page_says_to_transfer_an_unresolved_form_before_allocating(
    client, citywide, unresolved
):
    page = _page(client, unresolved)
    assert 'value="allocated"' not in page
    assert 'id="id_lead_practitioner"' not in page
    decision = page[page.index('id="decision"') :]
    assert html.escape(TRANSFER_FIRST) in decision
    # Transfer is still asked under its option.
    assert reveals(page).asks["conditional-id_outcome_4"] == ["id_to_locality"]


def test_allocating_an_unresolved_form_on_the_page_is_refused_in_those_words(
    client, citywide, unresolved, practitioner
):
    response = _post(
        client,
        unresolved,
        {
            "outcome": "allocated",
            "lead_practitioner": practitioner.pk,
            "reason": "Needs a plan.",
        },
    )
    assert response.status_code == 200
    assert error_summary(response.content) == [("id_outcome_0", TRANSFER_FIRST)]
    unresolved.refresh_from_db()
    assert unresolved.status == "submitted"
    assert not Case.objects.exists()
    assert not FormEvent.objects.filter(form=unresolved, kind="decided").exists()


@pytest.mark.parametrize("route", ["decide", "allocate"])
def test_the_service_refuses_to_allocate_an_unresolved_form_in_the_same_words(
    citywide, unresolved, practitioner, route
):
    unresolved.consent = True
    unresolved.save(update_fields=["consent"])
    with pytest.raises(InvalidInput) as refused:
        if route == "decide":
            form_decide(
                form_id=unresolved.pk,
                actor=citywide,
                outcome="allocated",
                reason="Needs a plan.",
                lead_practitioner=practitioner,
            )
        else:
            form_allocate(
                form_id=unresolved.pk,
                actor=citywide,
                lead_practitioner=practitioner,
                reason="Needs a plan.",
            )
    assert refused.value.message == TRANSFER_FIRST
    unresolved.refresh_from_db()
    assert unresolved.status == "submitted"
    assert not Case.objects.exists() and not FormDecision.objects.exists()


def test_once_transferred_the_form_can_be_allocated(
    client, citywide, unresolved, practitioner
):
    moved = _post(
        client,
        unresolved,
        {"outcome": "transferred", "to_locality": "erdington", "reason": "B23."},
    )
    assert moved.status_code == 302, error_summary(moved.content)
    unresolved.refresh_from_db()
    assert reveals(_page(client, unresolved)).asks["conditional-id_outcome_0"] == [
        "id_lead_practitioner"
    ]
