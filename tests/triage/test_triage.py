from __future__ import annotations

import json
import threading

import pytest
from django.core import mail
from django.db import connection
from rest_framework.test import APIClient

from accounts.roles import Role
from accounts.services import api_token_issue
from casework.models import Case, CaseEvent, CaseMember
from families.models import Person
from family_connect.models import (
    FamilyConnectForm,
    FormDecision,
    FormEvent,
    MatchCandidate,
)
from family_connect.services.matches import match_candidate_decide
from localities.models import CommunityService, Locality
from tests.factories import OrganisationFactory, UserFactory, grant_citywide_triage
from tests.family_connect.helpers import payload

URL = "/api/v1/family-connect/"


def api(user) -> APIClient:
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {api_token_issue(user=user)}")
    return client


def submit(requester, **changes) -> FamilyConnectForm:
    response = api(requester).post(
        URL, json.dumps(payload(**changes)), content_type="application/json"
    )
    assert response.status_code == 201, response.content
    return FamilyConnectForm.objects.get(reference=response.json()["reference"])


def decide(user, form, **body):
    headers = {k: body.pop(k) for k in list(body) if k.startswith("HTTP_")}
    return api(user).post(
        f"{URL}{form.reference}/decision/",
        json.dumps({"reason": "Discussed at triage.", **body}),
        content_type="application/json",
        **headers,
    )


@pytest.fixture
def requester(db):
    return UserFactory(
        role=Role.REQUESTER, organisation=OrganisationFactory(kind="school")
    )


@pytest.fixture
def manager(db):
    return UserFactory(role=Role.LOCALITY_MANAGER, localities=["erdington"])


@pytest.fixture
def practitioner(db):
    return UserFactory(role=Role.PRACTITIONER, localities=["erdington"])


@pytest.mark.django_db
def test_allocating_opens_one_case_with_the_households_people_and_the_lead(
    requester, manager, practitioner, django_capture_on_commit_callbacks
):
    form = submit(requester)
    with django_capture_on_commit_callbacks(execute=True):
        response = decide(
            manager, form, outcome="allocated", lead_practitioner=practitioner.email
        )
    assert response.status_code == 200, response.content
    assert response.json()["status"] == "allocated"
    assert response.json()["decision"]["outcome"] == "allocated"
    case = Case.objects.get()
    assert case.lead_practitioner == practitioner and case.locality.slug == "erdington"
    assert case.status == "allocated"
    assert sorted(
        Person.objects.filter(family=case.family).values_list("given_name", flat=True)
    ) == [
        "Ayesha",
        "Sara",
    ]
    assert CaseMember.objects.get(case=case).user == practitioner
    form.refresh_from_db()
    assert form.case == case and form.family == case.family
    assert all(m.person_id for m in form.members.all())
    decision = FormDecision.objects.get(form=form)
    assert decision.decided_by == manager and decision.lead_practitioner == practitioner
    assert FormEvent.objects.filter(form=form, kind="decided").count() == 1
    assert CaseEvent.objects.filter(case=case, kind="opened").count() == 1
    told = {m.to[0] for m in mail.outbox}
    assert practitioner.email in told and requester.email in told

    # A second form for the same family while the case is open joins that case,
    # once triage has said whether its children are the ones we know: allocating
    # first would give them second records.
    second = submit(requester, household__postcode="b23 6tj")
    refused = decide(
        manager, second, outcome="allocated", lead_practitioner=practitioner.email
    )
    assert refused.status_code == 400
    assert refused.json()["detail"] == (
        "Confirm or reject the possible matches for Ayesha Khan and Sara Khan "
        "first, so that nobody we already know gets a second record."
    )
    second.refresh_from_db()
    assert second.status == "submitted"
    for candidate in MatchCandidate.objects.filter(form=second, member__isnull=False):
        match_candidate_decide(candidate_id=candidate.pk, actor=manager, confirm=True)
    response = decide(
        manager, second, outcome="allocated", lead_practitioner=practitioner.email
    )
    assert response.status_code == 200, response.content
    assert Person.objects.filter(family=case.family).count() == 2
    assert Case.objects.count() == 1
    second.refresh_from_db()
    assert second.case == case
    assert CaseEvent.objects.filter(case=case, kind="form_linked").count() == 1


@pytest.mark.django_db
def test_a_decided_form_answers_409_and_keeps_one_decision(requester, manager):
    form = submit(requester)
    assert decide(manager, form, outcome="no_further_action").status_code == 200
    again = decide(manager, form, outcome="consultation_given")
    assert again.status_code == 409
    assert "This form was already decided by" in again.json()["detail"]
    assert FormDecision.objects.get(form=form).outcome == "no_further_action"
    assert FormEvent.objects.filter(form=form, kind="decided").count() == 1


@pytest.mark.django_db
def test_scope_a_manager_sees_only_their_locality_and_practitioners_cannot_decide(
    requester, manager, practitioner
):
    yardley_form = submit(requester, household__postcode="B25 8AA")  # Yardley
    assert yardley_form.locality.slug == "yardley"
    assert api(manager).get(f"{URL}{yardley_form.reference}/").status_code == 404
    assert decide(manager, yardley_form, outcome="no_further_action").status_code == 404
    erdington_form = submit(requester)
    assert (
        decide(practitioner, erdington_form, outcome="no_further_action").status_code
        == 404
    )
    # Even a form the practitioner keyed in themselves is not theirs to decide.
    phone = payload(request__route="phone")
    phone["request"]["contact"] = {"name": "Sara Khan", "phone": "0121 000 0000"}
    keyed = api(practitioner).post(
        URL, json.dumps(phone), content_type="application/json"
    )
    keyed_form = FamilyConnectForm.objects.get(reference=keyed.json()["reference"])
    assert (
        decide(practitioner, keyed_form, outcome="no_further_action").status_code == 403
    )
    assert not FormDecision.objects.exists()


@pytest.mark.django_db
def test_a_transfer_moves_the_form_and_keeps_its_received_time(requester, manager):
    form = submit(requester)
    received = form.received_at
    response = decide(manager, form, outcome="transferred", to_locality="yardley")
    assert response.status_code == 200, response.content
    form.refresh_from_db()
    assert form.locality.slug == "yardley" and form.received_at == received
    assert form.status == "submitted"
    assert FormEvent.objects.filter(form=form, kind="transferred").count() == 1
    assert api(manager).get(f"{URL}{form.reference}/").status_code == 404
    yardley = UserFactory(role=Role.LOCALITY_MANAGER, localities=["yardley"])
    assert api(yardley).get(f"{URL}{form.reference}/").status_code == 200
    assert decide(yardley, form, outcome="withdrawn").status_code == 200
    late = decide(yardley, form, outcome="transferred", to_locality="erdington")
    assert late.status_code == 409


@pytest.mark.django_db
def test_an_unresolved_form_is_transferred_before_it_can_be_allocated(
    requester, manager, practitioner
):
    # An unresolved form is out of reach without city-wide triage.
    form = submit(requester, household__postcode="ZZ9 9ZZ")
    assert decide(manager, form, outcome="no_further_action").status_code == 404
    manager = grant_citywide_triage(manager)
    refused = decide(
        manager, form, outcome="allocated", lead_practitioner=practitioner.email
    )
    assert refused.status_code == 400
    assert not Case.objects.exists()
    assert (
        decide(
            manager, form, outcome="transferred", to_locality="erdington"
        ).status_code
        == 200
    )
    ok = decide(
        manager, form, outcome="allocated", lead_practitioner=practitioner.email
    )
    assert ok.status_code == 200


@pytest.mark.django_db
def test_the_lead_must_work_in_the_forms_locality(requester, manager):
    form = submit(requester)
    outsider = UserFactory(role=Role.PRACTITIONER, localities=["yardley"])
    response = decide(
        manager, form, outcome="allocated", lead_practitioner=outsider.email
    )
    assert response.status_code == 400
    assert "lead_practitioner" in response.json()
    assert not Case.objects.exists() and not FormDecision.objects.exists()
    form.refresh_from_db()
    assert form.status == "submitted"


@pytest.mark.django_db
@pytest.mark.parametrize(
    "body",
    [
        {"outcome": "consultation_given"},
        {"outcome": "stepped_up"},
        {"outcome": "no_further_action"},
        {"outcome": "withdrawn"},
        {"outcome": "signposted", "community_service": "SERVICE"},
        {"outcome": "duplicate", "duplicate_of": "ORIGINAL"},
    ],
)
def test_every_decision_records_who_when_why_and_an_event(requester, manager, body):
    original = submit(requester)
    form = submit(requester)
    service = CommunityService.objects.create(
        locality=Locality.objects.get(slug="erdington"),
        name="Erdington Food Bank",
        category="Food",
        contact="0121 000 0000",
    )
    body = {
        k: (
            service.pk
            if v == "SERVICE"
            else original.reference
            if v == "ORIGINAL"
            else v
        )
        for k, v in body.items()
    }
    response = decide(manager, form, **body)
    assert response.status_code == 200, response.content
    decision = FormDecision.objects.get(form=form)
    assert decision.outcome == body["outcome"]
    assert decision.decided_by == manager and decision.reason == "Discussed at triage."
    event = FormEvent.objects.get(form=form, kind="decided")
    assert event.actor == manager and event.data["to"] == body["outcome"]


@pytest.mark.django_db
def test_an_allocated_form_cannot_become_a_duplicate_or_withdrawn(
    requester, manager, practitioner
):
    form = submit(requester)
    decide(manager, form, outcome="allocated", lead_practitioner=practitioner.email)
    assert decide(manager, form, outcome="withdrawn").status_code == 409
    other = submit(requester)
    response = decide(manager, form, outcome="duplicate", duplicate_of=other.reference)
    assert response.status_code == 409
    form.refresh_from_db()
    assert form.status == "allocated"


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_two_managers_deciding_at_once_exactly_one_wins():
    requester = UserFactory(
        role=Role.REQUESTER, organisation=OrganisationFactory(kind="school")
    )
    practitioner = UserFactory(role=Role.PRACTITIONER, localities=["erdington"])
    managers = [
        UserFactory(role=Role.LOCALITY_MANAGER, localities=["erdington"])
        for _ in range(2)
    ]
    form = submit(requester)
    clients = [api(m) for m in managers]
    barrier = threading.Barrier(2)
    results: list = [None, None]

    def run(i: int) -> None:
        try:
            barrier.wait()
            body = (
                {"outcome": "allocated", "lead_practitioner": practitioner.email}
                if i == 0
                else {"outcome": "no_further_action"}
            )
            response = clients[i].post(
                f"{URL}{form.reference}/decision/",
                json.dumps({"reason": "At the same moment.", **body}),
                content_type="application/json",
            )
            results[i] = response.status_code
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=(i,)) for i in range(2)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(30)
    assert sorted(results) == [200, 409], results
    assert FormDecision.objects.filter(form=form).count() == 1
    assert FormEvent.objects.filter(form=form, kind="decided").count() == 1
    assert Case.objects.count() == (1 if results[0] == 200 else 0)


@pytest.mark.django_db
def test_stepping_up_records_a_social_care_referral_for_every_child(requester, manager):
    from casework.models import SocialCareReferral

    body = payload()
    body["household"]["members"].append(
        {
            "role": "child",
            "given_name": "Bilal",
            "family_name": "Khan",
            "date_of_birth": "2017-09-09",
            "sex": "male",
        }
    )
    response = api(requester).post(
        URL, json.dumps(body), content_type="application/json"
    )
    form = FamilyConnectForm.objects.get(reference=response.json()["reference"])
    assert decide(manager, form, outcome="stepped_up").status_code == 200
    referrals = SocialCareReferral.objects.filter(form=form)
    assert sorted(r.person.given_name for r in referrals) == ["Ayesha", "Bilal"]
    decided_at = FormDecision.objects.get(form=form).decided_at
    assert {r.referred_at for r in referrals} == {decided_at}
    assert {r.source for r in referrals} == {"triage"}
    assert not Case.objects.exists()


@pytest.mark.django_db
def test_the_requester_is_told_the_decision_and_answers_one_question(
    requester, manager, client, django_capture_on_commit_callbacks
):
    import re

    from family_connect.models import FormFeedback

    form = submit(requester)
    status_path = None
    with django_capture_on_commit_callbacks(execute=True):
        decide(manager, form, outcome="consultation_given")
    told = [
        m for m in mail.outbox if m.to == [requester.email] and "Decision" in m.subject
    ]
    assert len(told) == 1
    assert "Ayesha" not in told[0].body and "consultation" not in told[0].body.lower()
    status_path = re.search(
        r"https?://[^/]+(/family-connect/status/\S+)", told[0].body
    )[1]
    page = client.get(status_path).content.decode()
    assert "Advice given" in page and "How easy was it to get help?" in page
    assert client.post(status_path, {"score": "4"}).status_code == 302
    assert client.post(status_path, {"score": "1"}).status_code == 200  # asked once
    feedback = FormFeedback.objects.get(form=form)
    assert feedback.score == 4
    assert "How easy was it" not in client.get(status_path).content.decode()


@pytest.mark.django_db
def test_no_feedback_question_before_the_decision(requester, client):
    from family_connect.models import FormFeedback
    from family_connect.references import status_token

    form = submit(requester)
    path = f"/family-connect/status/{status_token(form.status_key)}/"
    assert "How easy was it" not in client.get(path).content.decode()
    client.post(path, {"score": "5"})
    assert not FormFeedback.objects.exists()


@pytest.mark.django_db
def test_a_consultation_without_consent_cannot_be_allocated(
    requester, manager, practitioner
):
    form = submit(
        requester, request__request_type="consultation", request__consent=False
    )
    refused = decide(
        manager, form, outcome="allocated", lead_practitioner=practitioner.email
    )
    assert refused.status_code == 400
    assert "not agreed" in refused.json()["detail"]
    assert not Case.objects.exists() and not Person.objects.exists()
    assert decide(manager, form, outcome="consultation_given").status_code == 200


@pytest.mark.django_db
def test_signposting_only_to_a_service_of_the_forms_locality(requester, manager):
    form = submit(requester)
    elsewhere = CommunityService.objects.create(
        locality=Locality.objects.get(slug="yardley"),
        name="Yardley only",
        category="Food",
        contact="x",
    )
    response = decide(
        manager, form, outcome="signposted", community_service=elsewhere.pk
    )
    assert response.status_code == 400
    assert not FormDecision.objects.exists()


@pytest.mark.django_db
def test_the_decision_answer_shows_the_form_even_after_a_transfer_out(
    requester, manager
):
    form = submit(requester)
    response = decide(manager, form, outcome="transferred", to_locality="yardley")
    assert response.status_code == 200
    assert response.json()["reference"] == form.reference
    assert response.json()["locality"] == "yardley"


@pytest.mark.django_db
def test_a_requester_is_refused_before_any_lookup(requester):
    form = submit(requester)
    response = decide(
        requester, form, outcome="allocated", lead_practitioner="nobody@example.org"
    )
    assert response.status_code == 403
    assert "lead_practitioner" not in response.json()


@pytest.mark.django_db
def test_duplicates_link_to_a_live_original_only(requester, manager):
    original = submit(requester)
    copy = submit(requester)
    third = submit(requester)
    ok = decide(manager, copy, outcome="duplicate", duplicate_of=original.reference)
    assert ok.status_code == 200 and ok.json()["duplicate_of"] == original.reference
    copy.refresh_from_db()
    assert copy.duplicate_of == original
    chained = decide(manager, third, outcome="duplicate", duplicate_of=copy.reference)
    assert chained.status_code == 400
    itself = decide(manager, third, outcome="duplicate", duplicate_of=third.reference)
    assert itself.status_code == 400
    # A decided form found later to be a duplicate keeps its first decision; the
    # manager closes it having seen the decision (If-Match).
    decided = decide(manager, third, outcome="consultation_given")
    assert decided.status_code == 200
    later = decide(
        manager,
        third,
        outcome="duplicate",
        duplicate_of=original.reference,
        HTTP_IF_MATCH=decided["ETag"],
    )
    assert later.status_code == 200, later.content
    third.refresh_from_db()
    assert third.status == "duplicate" and third.duplicate_of == original
    assert FormDecision.objects.get(form=third).outcome == "consultation_given"
    assert FormEvent.objects.filter(form=third, kind="status_changed").count() == 1
