"""Triage through the API: a form's match candidates listed, confirmed and
rejected by the managers of its queue, then the form allocated (PRODUCT §3.2,
§4.1). Candidates are a lookup, not a disclosure: name, year of birth and
locality, never a full date of birth, a postcode or an address."""

from __future__ import annotations

import datetime as dt
import json

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from rest_framework.test import APIClient

from accounts.roles import Role
from accounts.services import api_token_issue
from casework.models import Case
from core.models import AccessLog
from family_connect.models import (
    CrossLocalityLink,
    FamilyConnectForm,
    FormEvent,
    MatchCandidate,
)
from localities.models import Locality
from tests.factories import (
    CaseFactory,
    FamilyFactory,
    FormFactory,
    OrganisationFactory,
    PersonFactory,
    UserFactory,
)
from tests.family_connect.helpers import payload

pytestmark = pytest.mark.django_db

URL = "/api/v1/family-connect/"
AYESHA_BORN = dt.date(2014, 5, 2)
TOM_BORN = dt.date(2015, 3, 4)


def api(user) -> APIClient:
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {api_token_issue(user=user)}")
    return client


def matches_url(form) -> str:
    return f"{URL}{form.reference}/matches/"


def decide_match(user, form, candidate_id, **body):
    headers = {k: body.pop(k) for k in list(body) if k.startswith("HTTP_")}
    return api(user).post(
        f"{matches_url(form)}{candidate_id}/",
        json.dumps(body),
        content_type="application/json",
        **headers,
    )


def allocate(user, form, lead, **headers):
    return api(user).post(
        f"{URL}{form.reference}/decision/",
        json.dumps(
            {
                "outcome": "allocated",
                "reason": "Discussed at triage.",
                "lead_practitioner": lead.email,
            }
        ),
        content_type="application/json",
        **headers,
    )


@pytest.fixture
def erdington():
    return Locality.objects.get(slug="erdington")


@pytest.fixture
def ladywood():
    return Locality.objects.get(slug="ladywood")


@pytest.fixture
def requester():
    school = OrganisationFactory(name="Example Primary School", kind="school")
    return UserFactory(role=Role.REQUESTER, organisation=school)


@pytest.fixture
def manager():
    return UserFactory(
        role=Role.LOCALITY_MANAGER, localities=["erdington"], full_name="Mo Ahmed"
    )


@pytest.fixture
def practitioner():
    return UserFactory(role=Role.PRACTITIONER, localities=["erdington"])


@pytest.fixture
def khans(erdington):
    """A household we know in Erdington, with Ayesha (the form's child) in it,
    and no case anywhere: linking it crosses no locality."""
    family = FamilyFactory(
        postcode="B23 6TJ", address_line="12 Example Road", locality=erdington
    )
    ayesha = PersonFactory(family=family, date_of_birth=AYESHA_BORN)
    return family, ayesha


@pytest.fixture
def taylors(ladywood):
    """A household known in Ladywood, with a closed case there."""
    family = FamilyFactory(
        postcode="B16 8QG", address_line="4 Ladywood Walk", locality=ladywood
    )
    tom = PersonFactory(
        family=family,
        given_name="Tom",
        family_name="Taylor",
        date_of_birth=TOM_BORN,
        sex="male",
    )
    CaseFactory(
        family=family,
        locality=ladywood,
        status="closed",
        lead_practitioner=UserFactory(role=Role.PRACTITIONER, localities=["ladywood"]),
    )
    return family, tom


def submit(user, **changes) -> FamilyConnectForm:
    response = api(user).post(URL, payload(**changes), format="json")
    assert response.status_code == 201, response.content
    return FamilyConnectForm.objects.get(reference=response.json()["reference"])


@pytest.fixture
def khan_form(requester, khans):
    form = submit(requester)
    assert form.locality.slug == "erdington"
    assert form.match_candidates.filter(member=None, family=khans[0]).exists()
    assert form.match_candidates.filter(person=khans[1]).exists()
    return form


@pytest.fixture
def taylor_form(requester, taylors):
    """Tom Taylor, by name and date of birth, at an Erdington address."""
    form = submit(
        requester,
        household__members=[
            {
                "role": "child",
                "given_name": "Tom",
                "family_name": "Taylor",
                "date_of_birth": TOM_BORN.isoformat(),
                "sex": "male",
            }
        ],
    )
    assert form.locality.slug == "erdington"
    assert form.match_candidates.filter(person=taylors[1]).exists()
    return form


# --- Listing ------------------------------------------------------------------


def test_a_manager_of_the_forms_locality_lists_its_candidates(
    manager, khan_form, khans
):
    family, ayesha = khans
    response = api(manager).get(matches_url(khan_form))
    assert response.status_code == 200, response.content
    assert response["ETag"] == f'"{khan_form.version}"'
    rows = response.json()
    by_kind = {row["kind"]: row for row in rows}
    household, person = by_kind["household"], by_kind["person"]
    assert household["id"] == khan_form.match_candidates.get(member=None).pk
    assert household["member"] is None
    assert household["name"] == "A household"
    assert household["born"] is None
    assert household["locality"] == {"slug": "erdington", "name": "Erdington"}
    assert household["status"] == "proposed"
    assert household["crosses_localities"] is False
    assert household["concern"] == ""
    assert household["reason_required"] is False
    assert household["decided_by"] is None and household["decided_at"] is None
    assert household["evidence"] and all(
        isinstance(e, str) for e in household["evidence"]
    )

    assert person["member"] == {"position": 0, "name": "Ayesha Khan"}
    assert person["name"] == "Ayesha Khan"
    assert person["born"] == 2014
    assert person["locality"]["slug"] == "erdington"
    assert "date of birth: same" in person["evidence"]
    assert set(person) == {
        "id",
        "kind",
        "member",
        "status",
        "name",
        "born",
        "locality",
        "score",
        "evidence",
        "crosses_localities",
        "concern",
        "reason_required",
        "decided_by",
        "decided_at",
    }
    # The reads of other households' records are logged, as on the page.
    logged = AccessLog.objects.filter(user=manager, channel="api")
    assert logged.filter(object_type="family_connect.familyconnectform").exists()
    assert logged.filter(object_id=str(ayesha.pk), action="view").exists()


def test_candidates_show_no_date_of_birth_postcode_or_address(
    manager, taylor_form, taylors
):
    response = api(manager).get(matches_url(taylor_form))
    assert response.status_code == 200
    text = response.content.decode()
    assert "Tom Taylor" in text and "2015" in text and "Ladywood" in text
    for secret in (
        TOM_BORN.isoformat(),
        "B16 8QG",
        "B16",
        "Ladywood Walk",
        "03-04",
        "4 March",
    ):
        assert secret not in text
    # Nor once the match is confirmed.
    person = taylor_form.match_candidates.get(person=taylors[1])
    decided = decide_match(
        manager, taylor_form, person.pk, decision="confirm", reason="Moved here."
    )
    assert decided.status_code == 200, decided.content
    for text in (
        decided.content.decode(),
        api(manager).get(matches_url(taylor_form)).content.decode(),
    ):
        assert TOM_BORN.isoformat() not in text
        assert "B16 8QG" not in text and "Ladywood Walk" not in text


@pytest.mark.parametrize("who", ["requester", "other_manager", "practitioner"])
def test_anyone_but_the_forms_managers_gets_404_as_for_no_form(
    who, requester, practitioner, khan_form
):
    users = {
        "requester": requester,  # sent the form, may read it, may not triage it
        "other_manager": UserFactory(
            role=Role.LOCALITY_MANAGER, localities=["ladywood"]
        ),
        "practitioner": practitioner,
    }
    user = users[who]
    candidate = khan_form.match_candidates.first()
    listed = api(user).get(matches_url(khan_form))
    nothing = api(user).get(f"{URL}FC-NONE-0000/matches/")
    assert listed.status_code == nothing.status_code == 404
    assert listed.json() == nothing.json()
    decided = decide_match(user, khan_form, candidate.pk, decision="reject")
    assert decided.status_code == 404
    candidate.refresh_from_db()
    assert candidate.status == "proposed"
    assert not FormEvent.objects.filter(form=khan_form, kind="match_rejected")


def test_a_candidate_of_another_form_or_none_is_404(manager, requester, khan_form):
    other = submit(requester)
    theirs = other.match_candidates.first()
    assert (
        decide_match(manager, khan_form, theirs.pk, decision="reject").status_code
        == 404
    )
    assert (
        decide_match(manager, khan_form, 999999, decision="reject").status_code == 404
    )
    theirs.refresh_from_db()
    assert theirs.status == "proposed"


# --- Deciding -------------------------------------------------------------------


def test_confirming_a_person_links_the_member(manager, khan_form, khans):
    _family, ayesha = khans
    candidate = khan_form.match_candidates.get(person=ayesha)
    response = decide_match(manager, khan_form, candidate.pk, decision="confirm")
    assert response.status_code == 200, response.content
    body = response.json()
    assert body["id"] == candidate.pk
    assert body["kind"] == "person"
    assert body["status"] == "confirmed"
    assert body["decided_by"] == "Mo Ahmed"
    assert body["decided_at"]
    assert body["born"] == 2014
    member = khan_form.members.get(position=0)
    assert member.person == ayesha
    assert FormEvent.objects.filter(form=khan_form, kind="match_confirmed").count() == 1
    khan_form.refresh_from_db()
    # A person's match leaves the form as it was: the same ETag decides it.
    assert response["ETag"] == f'"{khan_form.version}"'


def test_rejecting_the_household(manager, khan_form, khans):
    family, _ayesha = khans
    candidate = khan_form.match_candidates.get(member=None)
    seen = api(manager).get(f"{URL}{khan_form.reference}/")["ETag"]
    response = decide_match(
        manager, khan_form, candidate.pk, decision="reject", HTTP_IF_MATCH=seen
    )
    assert response.status_code == 200, response.content
    assert response.json()["status"] == "rejected"
    assert response.json()["kind"] == "household"
    khan_form.refresh_from_db()
    assert khan_form.family_id is None
    assert FormEvent.objects.filter(form=khan_form, kind="match_rejected").exists()
    # Rejecting the household changed the form: its new ETag is in the answer.
    assert response["ETag"] == f'"{khan_form.version}"' != seen


@pytest.mark.parametrize(
    "body, field",
    [
        ({}, "decision"),
        ({"decision": "maybe"}, "decision"),
        ({"decision": "confirm", "reason": "x" * 5001}, "reason"),
    ],
)
def test_bad_input_is_a_field_error_and_changes_nothing(
    manager, khan_form, body, field
):
    candidate = khan_form.match_candidates.get(member=None)
    response = decide_match(manager, khan_form, candidate.pk, **body)
    assert response.status_code == 400
    assert field in response.json()
    candidate.refresh_from_db()
    assert candidate.status == "proposed"


def test_a_cross_locality_confirmation_needs_a_reason(manager, taylor_form, taylors):
    family, tom = taylors
    candidate = taylor_form.match_candidates.get(person=tom)
    listed = {
        row["id"]: row for row in api(manager).get(matches_url(taylor_form)).json()
    }
    row = listed[candidate.pk]
    assert row["crosses_localities"] is True
    assert row["concern"] == "The household lives in another locality."
    assert row["reason_required"] is True
    assert row["locality"] == {"slug": "ladywood", "name": "Ladywood"}

    for reason in ({}, {"reason": ""}, {"reason": "   "}):
        refused = decide_match(
            manager, taylor_form, candidate.pk, decision="confirm", **reason
        )
        assert refused.status_code == 400, refused.content
        assert "reason" in refused.json()
        assert "Enter why you are linking this form" in refused.json()["reason"][0]
    candidate.refresh_from_db()
    assert candidate.status == "proposed"
    assert not CrossLocalityLink.objects.exists()
    assert taylor_form.members.get().person_id is None

    reason = "Family moved from Ladywood in October; mum confirmed on the phone."
    response = decide_match(
        manager, taylor_form, candidate.pk, decision="confirm", reason=reason
    )
    assert response.status_code == 200, response.content
    body = response.json()
    assert body["status"] == "confirmed"
    assert body["crosses_localities"] is True
    assert body["reason_required"] is False  # linked, with its reason
    link = CrossLocalityLink.objects.get()
    assert (link.form_id, link.family_id, link.actor_id, link.reason) == (
        taylor_form.pk,
        family.pk,
        manager.pk,
        reason,
    )


def test_rejecting_across_localities_needs_no_reason(manager, taylor_form, taylors):
    candidate = taylor_form.match_candidates.get(person=taylors[1])
    response = decide_match(manager, taylor_form, candidate.pk, decision="reject")
    assert response.status_code == 200, response.content
    assert response.json()["status"] == "rejected"
    assert not CrossLocalityLink.objects.exists()


def test_a_stale_if_match_is_412_and_changes_nothing(manager, khan_form):
    candidate = khan_form.match_candidates.get(member=None)
    response = decide_match(
        manager, khan_form, candidate.pk, decision="confirm", HTTP_IF_MATCH='"999"'
    )
    assert response.status_code == 412
    candidate.refresh_from_db()
    assert candidate.status == "proposed"
    weak = decide_match(
        manager, khan_form, candidate.pk, decision="confirm", HTTP_IF_MATCH='W/"1"'
    )
    assert weak.status_code == 400 and "If-Match" in weak.json()


def test_a_decided_form_is_409_and_nothing_changes(manager, khans):
    form = FormFactory(locality=khans[0].locality)
    candidate = MatchCandidate.objects.create(
        form=form, family=khans[0], score=80, evidence=["postcode: same"]
    )
    decided = api(manager).post(
        f"{URL}{form.reference}/decision/",
        {"outcome": "no_further_action", "reason": "Needs met elsewhere"},
        format="json",
    )
    assert decided.status_code == 200, decided.content
    response = decide_match(manager, form, candidate.pk, decision="confirm")
    assert response.status_code == 409
    assert "before the form is decided" in response.json()["detail"]
    candidate.refresh_from_db()
    assert candidate.status == "proposed"
    # Still listed, as decided.
    assert api(manager).get(matches_url(form)).status_code == 200


# --- From receipt to allocation ---------------------------------------------------


def test_allocation_waits_for_the_matches_then_succeeds(
    manager, practitioner, khan_form, khans
):
    family, ayesha = khans
    refused = allocate(manager, khan_form, practitioner)
    assert refused.status_code == 400, refused.content
    assert "Confirm or reject the possible matches" in refused.json()["outcome"][0]
    assert not Case.objects.exists()

    client = api(manager)
    listed = client.get(matches_url(khan_form))
    etag = listed["ETag"]
    for row in listed.json():
        decided = decide_match(
            manager, khan_form, row["id"], decision="confirm", HTTP_IF_MATCH=etag
        )
        assert decided.status_code == 200, decided.content
        etag = decided["ETag"]
    allocated = allocate(manager, khan_form, practitioner, HTTP_IF_MATCH=etag)
    assert allocated.status_code == 200, allocated.content
    assert allocated.json()["status"] == "allocated"
    case = Case.objects.get()
    assert case.family == family
    assert case.locality.slug == "erdington"
    assert khan_form.members.get(position=0).person == ayesha


def _list_queries(user, form) -> int:
    client = api(user)
    with CaptureQueriesContext(connection) as queries:
        assert client.get(matches_url(form)).status_code == 200
    return len(queries)


def test_listing_takes_the_same_queries_however_many_candidates(manager, erdington):
    few, many = FormFactory(), FormFactory()
    for form, n in ((few, 1), (many, 6)):
        for i in range(n):
            member = form.members.create(
                position=i,
                role="child",
                given_name=f"Child{i}",
                family_name="Khan",
                date_of_birth=AYESHA_BORN,
            )
            family = FamilyFactory(locality=erdington)
            MatchCandidate.objects.create(
                form=form,
                member=member,
                person=PersonFactory(family=family, given_name=f"Child{i}"),
                score=70,
                evidence=["date of birth: same"],
                status="rejected",
                decided_by=manager,
            )
            MatchCandidate.objects.create(form=form, family=family, score=50)
    assert _list_queries(manager, few) == _list_queries(manager, many)
