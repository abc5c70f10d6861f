from __future__ import annotations

import pytest
from django.test import Client

from accounts.roles import Role
from casework.models import CaseEvent, CaseMember
from tests.factories import CaseFactory, OrganisationFactory, UserFactory, join_team
from tests.helpers import sign_in, sign_in_verified

pytestmark = pytest.mark.django_db


def test_the_lead_adds_a_schools_dsl_who_then_sees_the_case(client):
    case = CaseFactory()
    dsl = UserFactory(
        role=Role.REQUESTER, organisation=OrganisationFactory(name="Example Primary")
    )
    sign_in_verified(client, case.lead_practitioner)
    url = f"/cases/{case.pk}/team/"
    assert client.post(url, {"email": dsl.email.upper()}).status_code == 302
    assert CaseMember.objects.filter(case=case, user=dsl, is_lead=False).exists()
    assert CaseEvent.objects.filter(case=case, kind="team_member_added").count() == 1
    dsl_client = Client()
    sign_in(dsl_client, dsl)
    assert dsl_client.get(f"/cases/{case.pk}/").status_code == 200
    # Adding twice, or an unknown address, changes nothing.
    client.post(url, {"email": dsl.email})
    client.post(url, {"email": "nobody@example.org"})
    assert CaseMember.objects.filter(case=case).count() == 2
    member = CaseMember.objects.get(case=case, user=dsl)
    assert client.post(url, {"remove": member.pk}).status_code == 302
    assert dsl_client.get(f"/cases/{case.pk}/").status_code == 404
    lead = CaseMember.objects.get(case=case, is_lead=True)
    client.post(url, {"remove": lead.pk})
    client.post(url, {"remove": "not-a-number"})
    assert CaseMember.objects.filter(case=case, is_lead=True).exists()


@pytest.mark.parametrize(
    "who", ["same_locality", "requester_on_team", "auditor", "practitioner_on_team"]
)
def test_others_cannot_change_the_team(client, who):
    case = CaseFactory()
    if who == "requester_on_team":
        user = UserFactory(role=Role.REQUESTER, organisation=OrganisationFactory())
        join_team(case, user)
        sign_in(client, user)
    else:
        role = Role.AUDITOR if who == "auditor" else Role.PRACTITIONER
        user = UserFactory(role=role, localities=["erdington"])
        if who == "practitioner_on_team":  # only the lead or a manager changes it
            join_team(case, user)
        sign_in_verified(client, user)
    stranger = UserFactory(role=Role.REQUESTER, organisation=OrganisationFactory())
    before = set(CaseMember.objects.filter(case=case).values_list("user_id", flat=True))
    response = client.post(f"/cases/{case.pk}/team/", {"email": stranger.email})
    assert response.status_code == 404
    after = set(CaseMember.objects.filter(case=case).values_list("user_id", flat=True))
    assert after == before


def test_a_practitioner_from_another_locality_cannot_join_the_team(client):
    case = CaseFactory()
    sign_in_verified(client, case.lead_practitioner)
    outsider = UserFactory(role=Role.PRACTITIONER, localities=["yardley"])
    client.post(f"/cases/{case.pk}/team/", {"email": outsider.email})
    assert not CaseMember.objects.filter(case=case, user=outsider).exists()
