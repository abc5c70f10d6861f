"""A change of role or localities revisits team places and case grants in the
same transaction (TRAPS: "Grants and roles"): access never outlives the role
that gave it."""

from __future__ import annotations

import datetime as dt
import io
import json

import pytest
from django.contrib.admin.models import LogEntry
from django.core.management import call_command
from django.utils import timezone
from rest_framework.test import APIClient

from accounts.models import User
from accounts.roles import Role
from accounts.services import api_token_issue, user_save
from audits.services import audit_sample_draw
from casework.grants import VIEW, case_grant
from casework.models import CaseEvent, CaseMember, CaseUserObjectPermission
from core.errors import InvalidInput
from localities.models import Locality
from tests.audits.factories import make_round
from tests.factories import (
    CaseFactory,
    OrganisationFactory,
    PersonFactory,
    UserFactory,
    join_team,
)

pytestmark = pytest.mark.django_db

IN_MAY = dt.datetime(2026, 5, 10, 10, 0, tzinfo=dt.UTC)


def api(user) -> APIClient:
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {api_token_issue(user=user)}")
    return client


def grants(user) -> set[tuple[int, str]]:
    return set(
        CaseUserObjectPermission.objects.filter(user=user).values_list(
            "content_object_id", "permission__codename"
        )
    )


def places(user) -> set[int]:
    return set(CaseMember.objects.filter(user=user).values_list("case_id", flat=True))


def change(user, role, localities=None, **kwargs):
    slugs = (
        localities
        if localities is not None
        else list(user.memberships.values_list("locality__slug", flat=True))
    )
    return user_save(email=user.email, role=role, locality_slugs=slugs, **kwargs)


def test_a_requester_on_the_team_made_an_auditor_no_longer_reads_the_case():
    case = CaseFactory()
    PersonFactory(family=case.family, given_name="Ayesha")
    dsl = UserFactory(role=Role.REQUESTER, organisation=OrganisationFactory())
    join_team(case, dsl)

    change(dsl, Role.AUDITOR)

    response = api(dsl).get(f"/api/v1/cases/{case.pk}/")
    assert response.status_code == 404
    assert "Ayesha" not in response.content.decode()
    assert places(dsl) == set() and grants(dsl) == set()
    # The case's history says who left its team and why.
    event = CaseEvent.objects.get(case=case, kind="team_member_removed")
    assert event.data == {"user": dsl.pk, "reason": "role_change"}


def test_a_practitioner_made_an_auditor_lists_none_of_their_cases():
    worker = UserFactory(role=Role.PRACTITIONER, localities=["erdington"])
    on_team = CaseFactory()
    join_team(on_team, worker)
    led_and_closed = CaseFactory(
        lead_practitioner=worker, status="closed", closed_at=timezone.now()
    )
    client = api(worker)
    listed = client.get("/api/v1/cases/?status=all").json()["results"]
    assert {row["id"] for row in listed} == {on_team.pk, led_and_closed.pk}

    change(worker, Role.AUDITOR, localities=[])

    assert client.get("/api/v1/cases/?status=all").json()["results"] == []
    for case in (on_team, led_and_closed):
        assert client.get(f"/api/v1/cases/{case.pk}/").status_code == 404
    assert places(worker) == set() and grants(worker) == set()
    # The closed case still records who led it.
    led_and_closed.refresh_from_db()
    assert led_and_closed.lead_practitioner_id == worker.pk


def test_moving_out_of_a_locality_drops_the_team_places_there_and_keeps_the_rest():
    worker = UserFactory(role=Role.PRACTITIONER, localities=["erdington", "ladywood"])
    ladywood = Locality.objects.get(slug="ladywood")
    erdington_case = CaseFactory()
    ladywood_case = CaseFactory(
        locality=ladywood,
        lead_practitioner=UserFactory(role=Role.PRACTITIONER, localities=["ladywood"]),
    )
    join_team(erdington_case, worker)
    join_team(ladywood_case, worker)

    change(worker, Role.PRACTITIONER, localities=["erdington"])

    assert places(worker) == {erdington_case.pk}
    assert grants(worker) == {
        (erdington_case.pk, "view_case"),
        (erdington_case.pk, "change_case"),
    }
    assert api(worker).get(f"/api/v1/cases/{ladywood_case.pk}/").status_code == 404


def test_a_practitioner_who_becomes_a_requester_stays_on_the_team_with_the_plan_view():
    worker = UserFactory(role=Role.PRACTITIONER, localities=["erdington"])
    case = CaseFactory()
    join_team(case, worker)

    change(worker, Role.REQUESTER, localities=[])

    # Requesters of any organisation may be on a team: the place stays, the
    # right to work the case goes.
    assert places(worker) == {case.pk}
    assert grants(worker) == {(case.pk, "view_case")}
    body = api(worker).get(f"/api/v1/cases/{case.pk}/").json()
    assert body["people"] is None


def test_the_lead_of_an_open_case_cannot_leave_its_locality_until_it_is_reallocated():
    lead = UserFactory(role=Role.PRACTITIONER, localities=["erdington"])
    case = CaseFactory(lead_practitioner=lead)
    before = (places(lead), grants(lead))

    for role, localities in (
        (Role.AUDITOR, []),
        (Role.PRACTITIONER, ["ladywood"]),
        (Role.REQUESTER, []),
    ):
        with pytest.raises(InvalidInput) as refused:
            change(lead, role, localities=localities)
        assert f"Case {case.pk}" in refused.value.message
        assert "reallocate" in refused.value.message

    lead.refresh_from_db()
    assert lead.role == Role.PRACTITIONER
    assert list(lead.memberships.values_list("locality__slug", flat=True)) == [
        "erdington"
    ]
    assert (places(lead), grants(lead)) == before
    assert not LogEntry.objects.exists()


def test_an_auditors_grants_come_only_from_open_rounds():
    erdington = Locality.objects.get(slug="erdington")
    for _ in range(2):
        CaseFactory(locality=erdington, opened_at=IN_MAY)
    audit_round, lead, auditors, moderator = make_round(sample_size=2)
    audits = audit_sample_draw(round_id=audit_round.pk, actor=lead, seed=3)
    assigned = {(a.case_id, "view_case") for a in audits if a.auditor == auditors[0]}
    assert assigned and grants(auditors[0]) == assigned
    stray = CaseFactory()
    case_grant(auditors[0], stray, VIEW)  # from no round at all

    change(auditors[0], Role.PERFORMANCE_LEAD)
    assert grants(auditors[0]) == set()
    assert grants(moderator) == {(a.case_id, "view_case") for a in audits}

    # Made an auditor again while the round is open: the assigned cases only.
    change(auditors[0], Role.AUDITOR)
    assert grants(auditors[0]) == assigned


def test_the_change_log_records_the_change_and_what_was_removed():
    admin = UserFactory(role=Role.ADMINISTRATOR)
    worker = UserFactory(role=Role.PRACTITIONER, localities=["erdington"])
    case = CaseFactory()
    join_team(case, worker)

    change(worker, Role.AUDITOR, localities=[], actor=admin)

    entry = LogEntry.objects.get(object_id=str(worker.pk))
    assert entry.user_id == admin.pk
    logged = json.loads(entry.change_message)
    assert logged["before"] == {"role": "practitioner", "localities": ["erdington"]}
    assert logged["after"]["role"] == "auditor"
    assert logged["after"]["localities"] == []
    assert logged["after"]["removed"] == [f"team place on Case {case.pk}"]


def test_create_user_goes_through_the_same_revisit():
    dsl = UserFactory(role=Role.REQUESTER, organisation=OrganisationFactory())
    case = CaseFactory()
    join_team(case, dsl)

    call_command("create_user", dsl.email, "--role", "auditor", stdout=io.StringIO())

    assert User.objects.get(pk=dsl.pk).role == Role.AUDITOR
    assert places(dsl) == set() and grants(dsl) == set()
    entry = LogEntry.objects.get(object_id=str(dsl.pk))
    assert json.loads(entry.change_message)["after"]["by"] == "command line"


def test_saving_without_a_change_of_role_revisits_nothing():
    worker = UserFactory(role=Role.PRACTITIONER, localities=["erdington"])
    case = CaseFactory()
    join_team(case, worker)

    change(worker, Role.PRACTITIONER)
    assert not LogEntry.objects.exists()  # nothing changed, nothing logged

    change(worker, Role.PRACTITIONER, full_name="Grace Okafor")
    assert places(worker) == {case.pk}
    logged = json.loads(LogEntry.objects.get().change_message)
    assert logged["after"] == {"full_name": "Grace Okafor", "by": "command line"}
