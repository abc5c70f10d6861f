from __future__ import annotations

from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from accounts.roles import Role
from core.models import AccessLog
from localities.models import Locality
from tests.factories import FormFactory, UserFactory, grant_citywide_triage
from tests.helpers import sign_in_verified
from triage.selectors import band_for

pytestmark = pytest.mark.django_db


@pytest.fixture
def manager(client):
    user = UserFactory(role=Role.LOCALITY_MANAGER, localities=["erdington"])
    sign_in_verified(client, user)
    return user


def ago(**kwargs):
    return timezone.now() - timedelta(**kwargs)


@pytest.mark.parametrize(
    ("hours", "band"),
    [
        (0, "green"),
        (71, "green"),
        (72, "amber"),
        (119, "amber"),
        (120, "red"),
        (167, "red"),
        (168, "red"),  # exactly 168 hours is within the target
        (500, "breached"),
    ],
)
def test_bands(hours, band):
    assert band_for(timedelta(hours=hours)).code == band


def test_the_target_is_missed_a_second_after_168_hours():
    assert band_for(timedelta(hours=168, seconds=1)).code == "breached"


def test_the_queue_shows_the_localitys_waiting_forms_oldest_first_with_bands(
    client, manager
):
    newest = FormFactory(received_at=ago(hours=2))
    oldest = FormFactory(received_at=ago(days=8))
    middle = FormFactory(received_at=ago(days=4))
    FormFactory(received_at=ago(days=6), status="allocated")  # decided: not waiting
    yardley = FormFactory(locality=Locality.objects.get(slug="yardley"))
    response = client.get("/triage/erdington/")
    assert response.status_code == 200
    refs = [row.reference for row in response.context["rows"]]
    assert refs == [oldest.reference, middle.reference, newest.reference]
    html = response.content.decode()
    assert yardley.reference not in html
    assert "Over 7 days: target missed" in html and "3 to 5 days" in html
    counts = {band.code: n for band, n in response.context["bands"]}
    assert counts == {"green": 1, "amber": 1, "red": 0, "breached": 1}
    assert AccessLog.objects.filter(user=manager, action="list").count() == 3


def test_filters(client, manager):
    flagged = FormFactory(safeguarding_concern=True, front_door_contacted=True)
    consultation = FormFactory(
        request_type="consultation", consent=False, reason_codes=["neglect"]
    )
    phone = FormFactory(route="phone", level_of_need="universal")

    def refs(query):
        response = client.get(f"/triage/erdington/?{query}")
        return {row.reference for row in response.context["rows"]}

    assert refs("safeguarding=1") == {flagged.reference}
    assert refs("request_type=consultation") == {consultation.reference}
    assert refs("reason=neglect") == {consultation.reference}
    assert refs("route=phone") == {phone.reference}
    assert refs("level_of_need=universal") == {phone.reference}
    assert refs("band=green") == {
        flagged.reference,
        consultation.reference,
        phone.reference,
    }
    assert refs("band=breached") == set()


def test_scope_of_queues(client, manager):
    unresolved = FormFactory(locality=None, postcode="ZZ9 9ZZ")
    assert client.get("/triage/yardley/").status_code == 404
    # The unresolved queue needs city-wide triage.
    assert client.get("/triage/").status_code == 302  # straight to their queue
    assert client.get("/triage/unresolved/").status_code == 404
    assert client.get(f"/triage/forms/{unresolved.reference}/").status_code == 404
    grant_citywide_triage(manager)
    response = client.get("/triage/unresolved/")
    assert response.status_code == 200
    assert [r.reference for r in response.context["rows"]] == [unresolved.reference]
    index = client.get("/triage/")
    assert index.status_code == 200  # one locality and the unresolved queue
    assert "/triage/unresolved/" in index.content.decode()


@pytest.mark.parametrize(
    "role",
    [
        Role.PRACTITIONER,
        Role.REQUESTER,
        Role.AUDITOR,
        Role.PERFORMANCE_LEAD,
        Role.ADMINISTRATOR,
    ],
)
def test_other_roles_have_no_queue(client, role):
    user = UserFactory(role=role, localities=["erdington"])
    sign_in_verified(client, user)
    FormFactory()
    assert client.get("/triage/").status_code == 404
    assert client.get("/triage/erdington/").status_code == 404
    assert client.get("/triage/unresolved/").status_code == 404


def _queries(client) -> int:
    with CaptureQueriesContext(connection) as ctx:
        response = client.get("/triage/erdington/")
    assert response.status_code == 200
    return len(ctx.captured_queries)


def test_the_queue_query_count_is_the_same_for_10_and_200_forms(client, manager):
    FormFactory.create_batch(10)
    ten = _queries(client)
    FormFactory.create_batch(190)
    assert _queries(client) == ten
    assert ten <= 20


@pytest.mark.parametrize("band", ["", "amber"])
def test_the_queue_pages_by_its_band_counts_without_counting_again(
    client, manager, monkeypatch, band
):
    """How many forms the queue lists comes from the bands' counts the page
    shows: one aggregate, no second COUNT; the pages still come out right."""
    monkeypatch.setattr("triage.views.PAGE_SIZE", 2)
    FormFactory.create_batch(3, received_at=ago(hours=80))  # amber
    FormFactory(received_at=ago(hours=1))  # green
    query = {"band": band} if band else {}
    with CaptureQueriesContext(connection) as ctx:
        response = client.get("/triage/erdington/", query)
    counts = [q["sql"] for q in ctx.captured_queries if "COUNT(" in q["sql"]]
    assert len(counts) == 1 and "FILTER" in counts[0]
    page = response.context["page"]
    assert page.paginator.count == (3 if band else 4)
    assert page.paginator.num_pages == 2
    last = client.get("/triage/erdington/", {**query, "page": 2}).context["page"]
    assert len(last.object_list) == (1 if band else 2)


def test_citywide_triage_comes_directly_or_through_a_group_and_is_read_once():
    from django.contrib.auth.models import Group, Permission

    from family_connect.access import triages_citywide

    permission = Permission.objects.get(codename="triage_citywide")
    direct = grant_citywide_triage(
        UserFactory(role=Role.LOCALITY_MANAGER, localities=["erdington"])
    )
    grouped = UserFactory(role=Role.LOCALITY_MANAGER, localities=["erdington"])
    group = Group.objects.create(name="City-wide triage")
    group.permissions.add(permission)
    grouped.groups.add(group)
    without = UserFactory(role=Role.LOCALITY_MANAGER, localities=["erdington"])
    practitioner = UserFactory(role=Role.PRACTITIONER, localities=["erdington"])
    practitioner.user_permissions.add(permission)
    for user, expected in (
        (direct, True),
        (grouped, True),
        (without, False),
        (practitioner, False),  # only locality managers triage
    ):
        with CaptureQueriesContext(connection) as ctx:
            answers = {triages_citywide(user) for _ in range(3)}
        assert answers == {expected}
        assert len(ctx.captured_queries) == (1 if user is not practitioner else 0)
