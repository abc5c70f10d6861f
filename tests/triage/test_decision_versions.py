"""A decision carries the version of the form the manager saw (API ``If-Match``,
the triage page's hidden field); closing a decided form is its own action."""

from __future__ import annotations

import pytest
from django.test import Client

from accounts.roles import Role
from casework.models import SocialCareReferral
from core.errors import InvalidInput
from core.models import Notification
from family_connect.models import FamilyConnectForm, FormDecision, FormEvent
from tests.factories import UserFactory
from tests.helpers import sign_in_verified
from tests.triage.test_triage import URL, api, decide, submit
from triage.services.closing import form_close_decided

pytestmark = pytest.mark.django_db


@pytest.fixture
def requester():
    from tests.factories import OrganisationFactory

    return UserFactory(
        role=Role.REQUESTER, organisation=OrganisationFactory(kind="school")
    )


@pytest.fixture
def manager():
    return UserFactory(role=Role.LOCALITY_MANAGER, localities=["erdington"])


@pytest.fixture
def other_manager():
    return UserFactory(role=Role.LOCALITY_MANAGER, localities=["erdington"])


def etag_of(user, form) -> str:
    response = api(user).get(f"{URL}{form.reference}/")
    assert response.status_code == 200
    return response["ETag"]


def told(form) -> list[str]:
    return sorted(
        Notification.objects.filter(
            key__startswith=f"decision:{form.reference}:"
        ).values_list("key", flat=True)
    )


def snapshot(form) -> tuple:
    form = FamilyConnectForm.objects.get(pk=form.pk)
    return (
        form.status,
        form.updated_at,
        FormDecision.objects.filter(form=form).count(),
        FormEvent.objects.filter(form=form).count(),
        tuple(told(form)),
        SocialCareReferral.objects.filter(form=form).count(),
    )


# --- API ---------------------------------------------------------------------------


def test_the_form_has_an_etag_that_changes_with_the_decision(
    requester, manager, other_manager
):
    form = submit(requester)
    seen = etag_of(manager, form)
    assert seen.startswith('"') and seen == etag_of(other_manager, form)
    done = decide(manager, form, outcome="no_further_action", HTTP_IF_MATCH=seen)
    assert done.status_code == 200, done.content
    assert done["ETag"] != seen and done["ETag"] == etag_of(manager, form)


def test_a_decision_against_a_changed_form_answers_412_and_changes_nothing(
    requester, manager, other_manager
):
    form = submit(requester)
    seen = etag_of(other_manager, form)
    assert decide(manager, form, outcome="no_further_action").status_code == 200
    before = snapshot(form)
    late = decide(other_manager, form, outcome="withdrawn", HTTP_IF_MATCH=seen)
    assert late.status_code == 412
    assert late.json()["detail"].startswith("This form was already decided by")
    assert "review it and decide again" in late.json()["detail"]
    assert snapshot(form) == before
    assert told(form) == [f"decision:{form.reference}:no_further_action"]


def test_a_transfer_since_the_page_was_read_also_fails_the_precondition(
    requester, manager
):
    form = submit(requester)
    seen = etag_of(manager, form)
    moved = decide(manager, form, outcome="transferred", to_locality="yardley")
    assert moved.status_code == 200
    form.refresh_from_db()
    yardley = UserFactory(role=Role.LOCALITY_MANAGER, localities=["yardley"])
    late = decide(yardley, form, outcome="no_further_action", HTTP_IF_MATCH=seen)
    assert late.status_code == 412
    assert "transferred" in late.json()["detail"]
    assert not FormDecision.objects.filter(form=form).exists()


@pytest.mark.parametrize("header", ['W/"abc"', '"a", "b"', '""'])
def test_a_malformed_if_match_is_a_400_and_changes_nothing(requester, manager, header):
    form = submit(requester)
    before = snapshot(form)
    response = decide(manager, form, outcome="no_further_action", HTTP_IF_MATCH=header)
    assert response.status_code == 400
    assert "If-Match" in response.json()
    assert snapshot(form) == before


def test_if_match_star_or_none_keeps_the_old_contract(requester, manager):
    form = submit(requester)
    ok = decide(manager, form, outcome="no_further_action", HTTP_IF_MATCH="*")
    assert ok.status_code == 200
    before = snapshot(form)
    again = decide(manager, form, outcome="withdrawn")
    assert again.status_code == 409
    assert snapshot(form) == before


# --- Closing a decided form ----------------------------------------------------------


def test_closing_a_decided_form_needs_the_version_and_records_it_once(
    requester, manager
):
    form = submit(requester)
    decided = decide(manager, form, outcome="signposted_x")
    assert decided.status_code == 400
    decided = decide(manager, form, outcome="consultation_given")
    closed = decide(
        manager,
        form,
        outcome="withdrawn",
        reason="The family moved away.",
        HTTP_IF_MATCH=decided["ETag"],
    )
    assert closed.status_code == 200, closed.content
    assert closed.json()["status"] == "withdrawn"
    assert FormDecision.objects.get(form=form).outcome == "consultation_given"
    event = FormEvent.objects.get(form=form, kind="status_changed")
    assert event.data["reason"] == "The family moved away."
    assert told(form) == [
        f"decision:{form.reference}:consultation_given",
        f"decision:{form.reference}:withdrawn",
    ]
    before = snapshot(form)
    twice = decide(manager, form, outcome="withdrawn", HTTP_IF_MATCH=closed["ETag"])
    assert twice.status_code == 409
    assert snapshot(form) == before


def test_withdrawing_a_step_up_removes_the_referrals_triage_made(requester, manager):
    form = submit(requester)
    stepped = decide(manager, form, outcome="stepped_up")
    assert stepped.status_code == 200
    made = list(SocialCareReferral.objects.filter(form=form).values_list("pk"))
    assert made
    closed = decide(manager, form, outcome="withdrawn", HTTP_IF_MATCH=stepped["ETag"])
    assert closed.status_code == 200, closed.content
    assert not SocialCareReferral.objects.filter(form=form).exists()
    event = FormEvent.objects.get(form=form, kind="status_changed")
    assert sorted(event.data["social_care_referrals_removed"]) == sorted(
        pk for (pk,) in made
    )


def test_a_step_up_social_care_has_answered_cannot_be_withdrawn(requester, manager):
    form = submit(requester)
    stepped = decide(manager, form, outcome="stepped_up")
    SocialCareReferral.objects.filter(form=form).update(
        outcome="accepted_for_assessment"
    )
    before = snapshot(form)
    refused = decide(manager, form, outcome="withdrawn", HTTP_IF_MATCH=stepped["ETag"])
    assert refused.status_code == 409
    assert "social care has recorded an outcome" in refused.json()["detail"]
    assert snapshot(form) == before


def test_an_allocated_form_cannot_be_closed_even_with_its_version(requester, manager):
    practitioner = UserFactory(role=Role.PRACTITIONER, localities=["erdington"])
    form = submit(requester)
    allocated = decide(
        manager, form, outcome="allocated", lead_practitioner=practitioner.email
    )
    assert allocated.status_code == 200
    before = snapshot(form)
    refused = decide(
        manager, form, outcome="withdrawn", HTTP_IF_MATCH=allocated["ETag"]
    )
    assert refused.status_code == 409
    assert "Close the case" in refused.json()["detail"]
    assert snapshot(form) == before


def test_the_closing_service_itself_refuses_without_the_version(requester, manager):
    form = submit(requester)
    assert decide(manager, form, outcome="no_further_action").status_code == 200
    before = snapshot(form)
    with pytest.raises(InvalidInput):
        form_close_decided(
            form_id=form.pk,
            actor=manager,
            outcome="withdrawn",
            reason="Family withdrew.",
            seen_version=None,
        )
    assert snapshot(form) == before


# --- The triage page -----------------------------------------------------------------


@pytest.fixture
def page(manager) -> Client:
    client = Client()
    sign_in_verified(client, manager)
    return client


def test_the_page_carries_the_version_it_showed(page, requester):
    form = submit(requester)
    html = page.get(f"/triage/forms/{form.reference}/").content.decode()
    assert f'name="version" value="{form.version}"' in html


def test_a_decision_from_a_page_shown_before_another_managers_says_so(
    page, requester, other_manager
):
    form = submit(requester)
    shown = form.version
    assert decide(other_manager, form, outcome="no_further_action").status_code == 200
    before = snapshot(form)
    late = page.post(
        f"/triage/forms/{form.reference}/",
        {"outcome": "withdrawn", "reason": "Family withdrew.", "version": shown},
    )
    html = late.content.decode()
    assert late.status_code == 200 and "There is a problem" in html
    assert f"This form was already decided by {other_manager.display_name} on" in html
    assert "review it and decide again" in html
    assert snapshot(form) == before
    # The page now shows the current version, so the manager can act on it.
    form.refresh_from_db()
    assert f'name="version" value="{form.version}"' in html


def test_a_tampered_version_on_the_page_is_refused_and_changes_nothing(page, requester):
    form = submit(requester)
    before = snapshot(form)
    response = page.post(
        f"/triage/forms/{form.reference}/",
        {"outcome": "no_further_action", "reason": "Met.", "version": "x" * 500},
    )
    assert response.status_code == 200
    assert "review it and decide again" in response.content.decode()
    assert snapshot(form) == before


def test_the_page_closes_a_decided_form_with_its_own_button(page, requester, manager):
    form = submit(requester)
    assert decide(manager, form, outcome="no_further_action").status_code == 200
    form.refresh_from_db()
    html = page.get(f"/triage/forms/{form.reference}/").content.decode()
    assert 'name="action" value="close"' in html
    closed = page.post(
        f"/triage/forms/{form.reference}/",
        {
            "action": "close",
            "outcome": "withdrawn",
            "reason": "Sent in error.",
            "version": form.version,
        },
    )
    assert closed.status_code == 302
    form.refresh_from_db()
    assert form.status == "withdrawn"
    assert FormDecision.objects.get(form=form).outcome == "no_further_action"
