"""The plan and reviews pages read a fixed number of queries however much the
case holds (the shape that keeps them fast on a long case)."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from accounts.roles import Role
from casework.services.assessment import assessment_save
from casework.services.plan import plan_action_add, plan_outcome_add
from casework.services.reviews import review_record
from tests.casework.test_assessment import whole
from tests.casework.test_reviews import review_of
from tests.factories import (
    CaseFactory,
    OrganisationFactory,
    PersonFactory,
    UserFactory,
    join_team,
)
from tests.helpers import sign_in_verified

pytestmark = pytest.mark.django_db


def queries(client, url) -> int:
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(url).status_code == 200
    return len(ctx.captured_queries)


@pytest.fixture
def case():
    case = CaseFactory()
    PersonFactory(family=case.family, given_name="Ayesha")
    assessment_save(
        case_id=case.pk, actor=case.lead_practitioner, data=whole(case), complete=True
    )
    return case


def add_outcomes(case, n: int) -> None:
    lead = case.lead_practitioner
    for i in range(n):
        outcome = plan_outcome_add(
            case_id=case.pk, actor=lead, text=f"Outcome {i}", domain="relationships"
        )
        partner: Any = UserFactory(
            role=Role.REQUESTER, organisation=OrganisationFactory()
        )
        join_team(case, partner)
        for owner in (lead, partner):
            plan_action_add(
                case_id=case.pk,
                actor=lead,
                outcome_id=outcome.pk,
                what=f"Action {i}",
                owner=owner,
                owner_is_family=False,
                due_on=timezone.localdate() + dt.timedelta(days=7),
                community=owner is partner,
            )


def test_plan_page_query_count_is_the_same_for_2_and_20_outcomes(client, case):
    sign_in_verified(client, case.lead_practitioner)
    url = f"/cases/{case.pk}/plan/"
    add_outcomes(case, 2)
    queries(client, url)
    few = queries(client, url)
    add_outcomes(case, 18)
    assert queries(client, url) == few


def test_reviews_page_query_count_is_the_same_for_1_and_10_reviews(client, case):
    sign_in_verified(client, case.lead_practitioner)
    url = f"/cases/{case.pk}/reviews/"
    start = timezone.localdate() - dt.timedelta(weeks=60)

    def add(first: int, last: int) -> None:
        for i in range(first, last):
            review_record(
                case_id=case.pk,
                actor=case.lead_practitioner,
                data=review_of(case, start + dt.timedelta(weeks=6 * i)),
            )

    add(0, 1)
    queries(client, url)
    one = queries(client, url)
    add(1, 10)
    assert queries(client, url) == one
