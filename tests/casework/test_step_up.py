from __future__ import annotations

import pytest

from accounts.roles import Role
from casework.models import CaseEvent, SocialCareReferral
from tests.factories import CaseFactory, PersonFactory, UserFactory
from tests.helpers import sign_in_verified

pytestmark = pytest.mark.django_db


def test_stepping_up_keeps_the_case_open_and_records_the_outcome_later(client):
    case = CaseFactory()
    child = PersonFactory(family=case.family, given_name="Ayesha")
    PersonFactory(
        family=case.family,
        role="adult",
        given_name="Sara",
        relationship="mother",
        date_of_birth=None,
    )
    sign_in_verified(client, case.lead_practitioner)
    url = f"/cases/{case.pk}/step-up/"
    assert "0121 303 1888" in client.get(url).content.decode()
    refused = client.post(url, {"people": [child.pk], "reason": ""})
    assert "Enter why" in refused.content.decode()
    assert (
        client.post(
            url, {"people": [child.pk], "reason": "Disclosure at school."}
        ).status_code
        == 302
    )
    referral = SocialCareReferral.objects.get()
    assert (
        referral.person == child and referral.source == "case" and referral.case == case
    )
    case.refresh_from_db()
    assert case.status == "allocated"
    client.post(url, {"referral": referral.pk, "outcome": "nfa_returned_to_early_help"})
    referral.refresh_from_db()
    assert (
        referral.outcome == "nfa_returned_to_early_help"
        and referral.outcome_recorded_at
    )
    kinds = set(CaseEvent.objects.filter(case=case).values_list("kind", flat=True))
    assert {"stepped_up", "step_up_outcome"} <= kinds


def test_others_cannot_step_up(client):
    case = CaseFactory()
    child = PersonFactory(family=case.family)
    sign_in_verified(
        client, UserFactory(role=Role.PRACTITIONER, localities=["erdington"])
    )
    response = client.post(
        f"/cases/{case.pk}/step-up/", {"people": [child.pk], "reason": "x"}
    )
    assert response.status_code == 404
    assert not SocialCareReferral.objects.exists()


def test_a_person_from_another_family_cannot_be_referred(client):
    case = CaseFactory()
    PersonFactory(family=case.family)
    elsewhere = PersonFactory()
    sign_in_verified(client, case.lead_practitioner)
    client.post(f"/cases/{case.pk}/step-up/", {"people": [elsewhere.pk], "reason": "x"})
    assert not SocialCareReferral.objects.exists()
