from __future__ import annotations

import pytest
from django.test import Client

from accounts.roles import Role
from casework.models import CaseEvent, PlanAction, PlanOutcome
from tests.factories import CaseFactory, OrganisationFactory, UserFactory, join_team
from tests.helpers import date_boxes, days_from_today, sign_in, sign_in_verified

pytestmark = pytest.mark.django_db


@pytest.fixture
def setup(client):
    case = CaseFactory()
    dsl = UserFactory(
        role=Role.REQUESTER, organisation=OrganisationFactory(name="School")
    )
    join_team(case, dsl)
    sign_in_verified(client, case.lead_practitioner)
    return case, dsl


def test_the_lead_writes_the_plan_and_a_partner_updates_their_own_action(client, setup):
    case, dsl = setup
    url = f"/cases/{case.pk}/plan/"
    client.post(
        url, {"add": "outcome", "text": "Mornings are calm.", "domain": "relationships"}
    )
    outcome = PlanOutcome.objects.get(case=case)
    client.post(
        url,
        {
            "add": "action",
            "outcome": outcome.pk,
            "what": "Breakfast club place",
            "owner": str(dsl.pk),
            **date_boxes("due_on", days_from_today(11)),
        },
    )
    action = PlanAction.objects.get()
    assert action.owner == dsl and not action.community
    page = client.get(url).content.decode()
    assert "no action from a community resource" in page
    client.post(
        url,
        {
            "add": "action",
            "outcome": outcome.pk,
            "what": "Parenting group at the family hub",
            "owner": "family",
            **date_boxes("due_on", days_from_today(40)),
            "community": "on",
        },
    )
    assert "no action from a community resource" not in client.get(url).content.decode()

    partner = Client()
    sign_in(partner, dsl)
    assert partner.get(url).status_code == 200
    assert partner.post(url, {"action": action.pk, "status": "done"}).status_code == 302
    action.refresh_from_db()
    assert action.status == "done"
    family_action = PlanAction.objects.get(owner_is_family=True)
    partner.post(url, {"action": family_action.pk, "status": "cancelled"})
    family_action.refresh_from_db()
    assert family_action.status == "not_started"  # not theirs: refused
    partner.post(url, {"add": "outcome", "text": "x", "domain": "safeguarding"})
    assert PlanOutcome.objects.count() == 1
    assert CaseEvent.objects.filter(case=case, kind="plan_action_updated").count() == 1


def test_bad_plan_input_is_explained_and_saves_nothing(client, setup):
    case, _dsl = setup
    url = f"/cases/{case.pk}/plan/"
    response = client.post(url, {"add": "outcome", "text": "", "domain": ""})
    assert "There is a problem" in response.content.decode()
    assert not PlanOutcome.objects.exists()
    client.post(url, {"add": "outcome", "text": "Calm", "domain": "relationships"})
    outcome = PlanOutcome.objects.get()
    stranger = UserFactory(role=Role.REQUESTER, organisation=OrganisationFactory())
    response = client.post(
        url,
        {
            "add": "action",
            "outcome": outcome.pk,
            "what": "x",
            "owner": str(stranger.pk),
            **date_boxes("due_on", days_from_today(3)),
        },
    )
    assert response.status_code == 200
    assert not PlanAction.objects.exists()


def test_people_off_the_team_cannot_see_the_plan(client, setup):
    case, _ = setup
    other = Client()
    sign_in(other, UserFactory(role=Role.REQUESTER, organisation=OrganisationFactory()))
    assert other.get(f"/cases/{case.pk}/plan/").status_code == 404
