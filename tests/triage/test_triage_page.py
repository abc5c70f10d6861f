from __future__ import annotations

import pytest
from django.test import Client

from accounts.roles import Role
from casework.models import Case
from core.models import AccessLog
from families.models import Family
from family_connect.models import FormEvent, MatchCandidate
from localities.models import Locality
from tests.factories import (
    CaseFactory,
    FamilyFactory,
    FormFactory,
    OrganisationFactory,
    PersonFactory,
    UserFactory,
)
from tests.helpers import sign_in, sign_in_verified
from tests.triage.test_triage import submit
from triage.models import Team, TeamMember
from triage.selectors import practitioners_by_headroom

pytestmark = pytest.mark.django_db


@pytest.fixture
def manager(client):
    user = UserFactory(role=Role.LOCALITY_MANAGER, localities=["erdington"])
    sign_in_verified(client, user)
    return user


@pytest.fixture
def requester():
    return UserFactory(
        role=Role.REQUESTER, organisation=OrganisationFactory(kind="school")
    )


def test_the_triage_page_shows_every_answer_and_logs_the_read(
    client, manager, requester
):
    form = submit(requester)
    response = client.get(f"/triage/forms/{form.reference}/")
    assert response.status_code == 200
    html = response.content.decode()
    for text in [
        "Ayesha Khan",
        "Sara Khan",
        "B23 6TJ",
        "Help with money",
        "Domestic abuse",
    ]:
        assert text in html
    assert AccessLog.objects.filter(
        user=manager, object_id=str(form.pk), action="view"
    ).exists()


def test_the_triage_page_is_only_for_the_forms_managers(client, requester):
    form = submit(requester)
    for user in [
        UserFactory(role=Role.LOCALITY_MANAGER, localities=["yardley"]),
        UserFactory(role=Role.PRACTITIONER, localities=["erdington"]),
    ]:
        other = Client()
        sign_in_verified(other, user)
        assert other.get(f"/triage/forms/{form.reference}/").status_code == 404
    other = Client()
    sign_in(other, requester)
    assert other.get(f"/triage/forms/{form.reference}/").status_code == 404


def test_allocating_on_the_page_suggests_by_headroom_and_opens_the_case(
    client, manager, requester
):
    erdington = Locality.objects.get(slug="erdington")
    busy = UserFactory(
        role=Role.PRACTITIONER, localities=["erdington"], full_name="Busy Worker"
    )
    free = UserFactory(
        role=Role.PRACTITIONER, localities=["erdington"], full_name="Free Worker"
    )
    team = Team.objects.create(locality=erdington, name="North")
    TeamMember.objects.create(team=team, user=busy, capacity=2)
    TeamMember.objects.create(team=team, user=free, capacity=10)
    CaseFactory(lead_practitioner=busy)
    suggested = list(practitioners_by_headroom(erdington))
    assert suggested[0] == free and suggested[0].headroom == 10
    assert [p for p in suggested if p == busy][0].caseload == 1

    form = submit(requester)
    page = client.get(f"/triage/forms/{form.reference}/").content.decode()
    assert page.index("Free Worker") < page.index("Busy Worker")
    response = client.post(
        f"/triage/forms/{form.reference}/",
        {
            "outcome": "allocated",
            "lead_practitioner": free.pk,
            "reason": "Needs a plan.",
        },
    )
    assert response.status_code == 302, response.content.decode()[:3000]
    assert Case.objects.get(family__forms=form).lead_practitioner == free


def test_a_second_manager_gets_a_clear_message_not_an_error(client, manager, requester):
    form = submit(requester)
    other = Client()
    sign_in_verified(
        other, UserFactory(role=Role.LOCALITY_MANAGER, localities=["erdington"])
    )
    first = other.post(
        f"/triage/forms/{form.reference}/",
        {"outcome": "no_further_action", "reason": "Needs met by school."},
    )
    assert first.status_code == 302
    late = client.post(
        f"/triage/forms/{form.reference}/",
        {"outcome": "consultation_given", "reason": "Advice given."},
    )
    assert late.status_code == 200
    assert "This form was already decided by" in late.content.decode()
    assert FormEvent.objects.filter(form=form, kind="decided").count() == 1


def test_a_bad_decision_shows_the_error_and_changes_nothing(client, manager, requester):
    form = submit(requester)
    response = client.post(
        f"/triage/forms/{form.reference}/", {"outcome": "allocated", "reason": ""}
    )
    html = response.content.decode()
    assert response.status_code == 200 and "There is a problem" in html
    assert "Enter the reason" in html
    form.refresh_from_db()
    assert form.status == "submitted"


def test_confirming_a_household_match_means_allocation_uses_that_family(
    client, manager, requester
):
    family = FamilyFactory(postcode="B1 1AA")  # they moved: no strong match
    PersonFactory(family=family, given_name="Ayesha", family_name="Khan")
    form = submit(requester)
    candidate = MatchCandidate.objects.get(form=form, member__isnull=True)
    assert candidate.family == family and candidate.score < 80
    client.post(
        f"/triage/forms/{form.reference}/matches/{candidate.pk}/", {"confirm": "yes"}
    )
    candidate.refresh_from_db()
    assert candidate.status == "confirmed" and candidate.decided_by == manager
    worker = UserFactory(role=Role.PRACTITIONER, localities=["erdington"])
    allocate = {
        "outcome": "allocated",
        "lead_practitioner": worker.pk,
        "reason": "Known family.",
    }
    # Ayesha may be the Ayesha we know: triage says so before allocating.
    page = client.post(f"/triage/forms/{form.reference}/", allocate)
    assert page.status_code == 200
    assert "Confirm or reject the possible matches for Ayesha Khan first" in (
        page.content.decode()
    )
    assert not Case.objects.exists()
    ayesha = MatchCandidate.objects.get(form=form, member__given_name="Ayesha")
    client.post(
        f"/triage/forms/{form.reference}/matches/{ayesha.pk}/", {"confirm": "yes"}
    )
    client.post(f"/triage/forms/{form.reference}/", allocate)
    assert Family.objects.count() == 1
    assert Case.objects.get().family == family
    # Ayesha is the one we know; Sara is new to us.
    assert sorted(family.people.values_list("given_name", flat=True)) == [
        "Ayesha",
        "Sara",
    ]
    assert FormEvent.objects.filter(form=form, kind="match_confirmed").count() == 2


def test_rejecting_the_match_intake_attached_unlinks_the_case(
    client, manager, requester
):
    case = CaseFactory(family=FamilyFactory(postcode="B23 6TJ"))
    PersonFactory(family=case.family, given_name="Ayesha", family_name="Khan")
    form = submit(requester)
    form.refresh_from_db()
    assert form.case == case
    candidate = MatchCandidate.objects.get(form=form, member__isnull=True)
    client.post(
        f"/triage/forms/{form.reference}/matches/{candidate.pk}/", {"confirm": "no"}
    )
    form.refresh_from_db()
    assert form.case is None and form.family is None


def test_the_queue_links_to_the_triage_page(client, manager):
    form = FormFactory()
    assert (
        f"/triage/forms/{form.reference}/"
        in client.get("/triage/erdington/").content.decode()
    )


def test_confirming_another_household_drops_the_case_intake_attached(
    client, manager, requester
):
    case = CaseFactory(family=FamilyFactory(postcode="B23 6TJ"))
    PersonFactory(family=case.family, given_name="Ayesha", family_name="Khan")
    other_family = FamilyFactory(postcode="B1 1AA")
    PersonFactory(family=other_family, given_name="Ayesha", family_name="Khan")
    form = submit(requester)
    form.refresh_from_db()
    assert form.case == case
    candidate = MatchCandidate.objects.get(form=form, family=other_family)
    client.post(
        f"/triage/forms/{form.reference}/matches/{candidate.pk}/", {"confirm": "yes"}
    )
    form.refresh_from_db()
    assert form.family == other_family and form.case is None


def test_rejecting_a_confirmed_person_unlinks_them(client, manager, requester):
    PersonFactory(
        family=FamilyFactory(postcode="B1 1AA"), given_name="Ayesha", family_name="Khan"
    )
    form = submit(requester)
    candidate = MatchCandidate.objects.filter(form=form, member__isnull=False).first()
    url = f"/triage/forms/{form.reference}/matches/{candidate.pk}/"
    client.post(url, {"confirm": "yes"})
    member = form.members.get(pk=candidate.member_id)
    assert member.person_id == candidate.person_id
    client.post(url, {"confirm": "no"})
    member.refresh_from_db()
    assert member.person_id is None


def test_the_triage_page_logs_reads_of_the_matched_people(client, manager, requester):
    person = PersonFactory(
        family=FamilyFactory(postcode="B1 1AA"), given_name="Ayesha", family_name="Khan"
    )
    form = submit(requester)
    client.get(f"/triage/forms/{form.reference}/")
    assert AccessLog.objects.filter(
        user=manager, object_type="families.person", object_id=str(person.pk)
    ).exists()
