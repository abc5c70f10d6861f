from __future__ import annotations

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from accounts.roles import Role
from casework.models import PlanAction, PlanOutcome
from casework.services.assessment import assessment_save
from casework.services.closure import ClosureInput, case_close
from casework.services.reviews import review_record
from tests.casework.test_assessment import whole
from tests.casework.test_reviews import review_of
from tests.factories import CaseFactory, PersonFactory, UserFactory
from tests.helpers import sign_in_verified

pytestmark = pytest.mark.django_db


def test_the_dashboard_lists_what_is_due(client):
    worker = UserFactory(role=Role.PRACTITIONER, localities=["erdington"])
    manager = UserFactory(role=Role.LOCALITY_MANAGER, localities=["erdington"])
    now = timezone.now()
    late = CaseFactory(lead_practitioner=worker, opened_at=now - dt.timedelta(days=40))
    fresh = CaseFactory(lead_practitioner=worker, opened_at=now - dt.timedelta(days=2))
    reviewed = CaseFactory(lead_practitioner=worker)
    PersonFactory(family=reviewed.family)
    assessment_save(
        case_id=reviewed.pk, actor=worker, data=whole(reviewed), complete=True
    )
    review_record(
        case_id=reviewed.pk,
        actor=worker,
        data=review_of(reviewed, timezone.localdate() - dt.timedelta(weeks=8)),
    )
    outcome = PlanOutcome.objects.create(
        case=reviewed, text="Calm", domain="relationships", created_by=worker
    )
    PlanAction.objects.create(
        case=reviewed,
        outcome=outcome,
        what="Call school",
        owner=worker,
        due_on=timezone.localdate() + dt.timedelta(days=3),
    )
    closed = CaseFactory(lead_practitioner=worker)
    case_close(case_id=closed.pk, actor=worker, data=ClosureInput(reason="moved_away"))

    sign_in_verified(client, worker)
    response = client.get("/cases/dashboard/")
    assert response.status_code == 200
    work = response.context["work"]
    # The fresh case's assessment is due in 28 days: beyond the next 14.
    assert {(i.kind, i.case_id) for i in work.overdue} == {
        ("assessment", late.pk),
        ("review", reviewed.pk),
    }
    assert [(i.kind, i.detail) for i in work.due] == [("action", "Call school")]
    assert response.context["awaiting_sign_off"] == []
    del fresh

    from django.test import Client

    other = Client()
    sign_in_verified(other, manager)
    manager_view = other.get("/cases/dashboard/")
    assert [
        row["closure"].case_id for row in manager_view.context["awaiting_sign_off"]
    ] == [closed.pk]


def test_the_dashboard_query_count_does_not_grow(client):
    worker = UserFactory(role=Role.PRACTITIONER, localities=["erdington"])
    sign_in_verified(client, worker)
    CaseFactory.create_batch(10, lead_practitioner=worker)

    def count() -> int:
        with CaptureQueriesContext(connection) as ctx:
            assert client.get("/cases/dashboard/").status_code == 200
        return len(ctx.captured_queries)

    ten = count()
    CaseFactory.create_batch(190, lead_practitioner=worker)
    assert count() == ten


@pytest.mark.parametrize("role", [Role.REQUESTER, Role.AUDITOR, Role.PERFORMANCE_LEAD])
def test_other_roles_have_no_dashboard(client, role):
    user = UserFactory(role=role)
    sign_in_verified(client, user)
    assert client.get("/cases/dashboard/").status_code == 404
