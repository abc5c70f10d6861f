from __future__ import annotations

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.contrib.auth.models import Group
from django.contrib.contenttypes.models import ContentType
from django.test import Client
from django.utils import timezone

from accounts.roles import ADMINISTRATORS_GROUP, Role
from accounts.services import user_save
from family_connect.models import FormDecision
from localities.models import CommunityService, Locality
from tests.factories import DEFAULT_PASSWORD, CaseFactory, FormFactory, UserFactory
from tests.helpers import sign_in_verified
from triage.models import Team, TeamMember
from triage.selectors import (
    QueueFilters,
    band_counts,
    breaches_this_month,
    triage_queue,
)

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


def test_the_team_page_and_the_queue_count_missed_targets_by_one_rule():
    """The queue's "Over 7 days" band and the team page's "waiting more than 7
    days now" are one count; "missed this month" differs only as the page
    says: it leaves out forms whose clock ran out last month and adds forms
    decided late this month. Exactly 168 hours is within the target."""
    erdington = Locality.objects.get(slug="erdington")
    manager = UserFactory(role=Role.LOCALITY_MANAGER, localities=["erdington"])
    now = datetime(2026, 11, 23, 12, 0, tzinfo=ZoneInfo("Europe/London"))
    FormFactory(received_at=now - timedelta(days=40))  # ran out in October
    FormFactory(received_at=now - timedelta(days=8))  # ran out this month
    FormFactory(received_at=now - timedelta(hours=168))  # exactly: within
    FormFactory(received_at=now - timedelta(hours=168, seconds=1))  # missed
    FormFactory(received_at=now - timedelta(days=2))  # in time
    decided_late = FormFactory(
        received_at=now - timedelta(days=9), status="no_further_action"
    )
    FormDecision.objects.create(
        form=decided_late,
        outcome="no_further_action",
        decided_by=manager,
        decided_at=decided_late.received_at + timedelta(days=8),
        reason="x",
    )
    queue = band_counts(triage_queue(manager, erdington, QueueFilters(), now), now)
    assert queue["breached"] == 3  # October's, this month's, 168 h + 1 s
    assert queue["red"] == 1  # exactly 168 hours
    # This month's: this month's waiting form, 168 h + 1 s, and the late one.
    assert breaches_this_month(erdington, now) == 3


def test_the_team_page_shows_the_queues_count_and_says_what_each_counts(
    client, manager
):
    FormFactory(received_at=timezone.now() - timedelta(days=40))
    FormFactory(received_at=timezone.now() - timedelta(days=8))
    FormFactory(received_at=timezone.now() - timedelta(days=2))
    queue = client.get("/triage/erdington/")
    in_queue = {band.code: n for band, n in queue.context["bands"]}["breached"]
    team = client.get("/triage/erdington/team/")
    assert team.status_code == 200
    assert team.context["past_target"] == in_queue == 2
    text = " ".join(team.content.decode().split())
    assert "waiting more than 7 days now" in text
    assert "in the first count but not the second" in text


def test_teams_kept_their_table_and_administrators_permissions_when_they_moved():
    """Team and TeamMember live in triage now, over the tables they had: the
    Administrators group still holds the permissions it was given on them, and
    the administration site lists them under triage."""
    assert Team._meta.db_table == "localities_team"
    assert TeamMember._meta.db_table == "localities_teammember"
    granted = set(
        Group.objects.get(name=ADMINISTRATORS_GROUP)
        .permissions.filter(content_type__model__in=["team", "teammember"])
        .values_list("content_type__app_label", "codename")
    )
    assert granted == {
        ("triage", "view_team"),
        ("triage", "add_team"),
        ("triage", "change_team"),
        ("triage", "view_teammember"),
        ("triage", "add_teammember"),
        ("triage", "change_teammember"),
        ("triage", "delete_teammember"),
    }
    assert not ContentType.objects.filter(
        app_label="localities", model__in=["team", "teammember"]
    ).exists()


def test_an_administrator_keeps_the_teams_in_the_administration_site(client):
    administrator = user_save(
        email="helen@council.example",
        role=Role.ADMINISTRATOR,
        password=DEFAULT_PASSWORD,
    ).user
    sign_in_verified(client, administrator)
    worker = UserFactory(role=Role.PRACTITIONER, localities=["erdington"])
    team = Team.objects.create(
        locality=Locality.objects.get(slug="erdington"), name="North"
    )
    TeamMember.objects.create(team=team, user=worker, capacity=9)
    assert client.get("/admin/triage/team/").status_code == 200
    page = client.get(f"/admin/triage/team/{team.pk}/change/")
    assert page.status_code == 200
    assert "North" in page.content.decode()
    assert client.get("/admin/localities/team/").status_code == 404
