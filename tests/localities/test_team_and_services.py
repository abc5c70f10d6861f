from __future__ import annotations

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.test import Client

from accounts.roles import Role
from family_connect.models import FormDecision
from localities.models import CommunityService, Locality, TeamMember
from localities.selectors import breaches_this_month
from tests.factories import CaseFactory, FormFactory, UserFactory
from tests.helpers import sign_in_verified

pytestmark = pytest.mark.django_db


@pytest.fixture
def manager(client):
    user = UserFactory(role=Role.LOCALITY_MANAGER, localities=["erdington"])
    sign_in_verified(client, user)
    return user


def test_breaches_this_month_count_forms_whose_clock_ran_out_undecided():
    erdington = Locality.objects.get(slug="erdington")
    now = datetime(2026, 11, 23, 12, 0, tzinfo=ZoneInfo("Europe/London"))
    FormFactory(received_at=now - timedelta(days=8))  # waiting, clock ran out: counts
    FormFactory(received_at=now - timedelta(days=2))  # still in time
    FormFactory(received_at=now - timedelta(days=40))  # ran out last month
    decided_late = FormFactory(
        received_at=now - timedelta(days=9), status="no_further_action"
    )
    decided_in_time = FormFactory(
        received_at=now - timedelta(days=9), status="no_further_action"
    )
    manager = UserFactory(role=Role.LOCALITY_MANAGER, localities=["erdington"])
    for form, after in [(decided_late, 8), (decided_in_time, 6)]:
        FormDecision.objects.create(
            form=form,
            outcome="no_further_action",
            decided_by=manager,
            decided_at=form.received_at + timedelta(days=after),
            reason="x",
        )
    assert breaches_this_month(erdington, now) == 2


def test_the_team_page_shows_caseloads_against_capacity_and_sets_capacity(
    client, manager
):
    worker = UserFactory(
        role=Role.PRACTITIONER, localities=["erdington"], full_name="Grace Okafor"
    )
    UserFactory(
        role=Role.PRACTITIONER, localities=["yardley"], full_name="Elsewhere Person"
    )
    CaseFactory(lead_practitioner=worker)
    CaseFactory(lead_practitioner=worker, status="closed")
    FormFactory()
    page = client.get("/triage/erdington/team/")
    assert page.status_code == 200
    html = page.content.decode()
    assert "Grace Okafor" in html and "Elsewhere Person" not in html
    row = [p for p in page.context["practitioners"] if p == worker][0]
    assert (row.caseload, row.capacity, row.headroom) == (1, 15, 14)
    assert page.context["waiting"] == 1
    response = client.post(
        "/triage/erdington/team/", {"practitioner": worker.pk, "capacity": "8"}
    )
    assert response.status_code == 302
    assert TeamMember.objects.get(user=worker).capacity == 8
    bad = client.post(
        "/triage/erdington/team/", {"practitioner": worker.pk, "capacity": "lots"}
    )
    assert "whole number" in bad.content.decode()
    outsider = UserFactory(role=Role.PRACTITIONER, localities=["yardley"])
    refused = client.post(
        "/triage/erdington/team/", {"practitioner": outsider.pk, "capacity": "5"}
    )
    assert "practitioner of this locality" in refused.content.decode()
    assert not TeamMember.objects.filter(user=outsider).exists()


def test_the_community_services_directory(client, manager):
    response = client.post(
        "/triage/erdington/services/",
        {"name": "Erdington Food Bank", "category": "Food", "contact": "0121 000 0000"},
    )
    assert response.status_code == 302
    service = CommunityService.objects.get()
    assert service.locality.slug == "erdington" and service.active
    client.post("/triage/erdington/services/", {"service": service.pk, "active": "0"})
    service.refresh_from_db()
    assert not service.active
    empty = client.post(
        "/triage/erdington/services/", {"name": "", "category": "", "contact": ""}
    )
    assert "There is a problem" in empty.content.decode()
    assert CommunityService.objects.count() == 1


def test_other_managers_and_roles_cannot_open_a_localitys_team_or_services(client):
    for user in [
        UserFactory(role=Role.LOCALITY_MANAGER, localities=["yardley"]),
        UserFactory(role=Role.PRACTITIONER, localities=["erdington"]),
    ]:
        other = Client()
        sign_in_verified(other, user)
        assert other.get("/triage/erdington/team/").status_code == 404
        assert other.get("/triage/erdington/services/").status_code == 404
        assert (
            other.post(
                "/triage/erdington/services/",
                {"name": "x", "category": "y", "contact": "z"},
            ).status_code
            == 404
        )
    assert not CommunityService.objects.exists()


def test_capacity_and_directory_changes_record_who_and_what(client, manager):
    import json

    from django.contrib.admin.models import LogEntry

    worker = UserFactory(role=Role.PRACTITIONER, localities=["erdington"])
    client.post("/triage/erdington/team/", {"practitioner": worker.pk, "capacity": "8"})
    client.post(
        "/triage/erdington/team/", {"practitioner": worker.pk, "capacity": "10"}
    )
    client.post(
        "/triage/erdington/services/",
        {"name": "Food Bank", "category": "Food", "contact": "0121 000 0000"},
    )
    entries = list(LogEntry.objects.filter(user=manager).order_by("pk"))
    changes = [json.loads(e.change_message) for e in entries]
    assert changes[0] == {"before": None, "after": {"capacity": 8}}
    assert changes[1] == {"before": {"capacity": 8}, "after": {"capacity": 10}}
    assert changes[2]["after"]["name"] == "Food Bank"
