"""Audit pages run a fixed number of queries whatever the number of audits."""

from __future__ import annotations

import datetime as dt

import pytest

from audits.models import AuditAnswer, CaseAudit
from audits.services import audit_sample_draw
from localities.models import Locality
from tests.audits.factories import make_round, questions
from tests.factories import CaseFactory
from tests.helpers import sign_in_verified

pytestmark = pytest.mark.django_db

IN_MAY = dt.datetime(2026, 5, 10, 10, 0, tzinfo=dt.UTC)


def round_of(n: int):
    erdington = Locality.objects.get(slug="erdington")
    for _ in range(n):
        CaseFactory(locality=erdington, opened_at=IN_MAY)
    audit_round, lead, auditors, moderator = make_round(sample_size=n)
    audits = audit_sample_draw(round_id=audit_round.pk, actor=lead, seed=1)
    return audit_round, lead, auditors, audits


def finalised(n: int, month: dt.datetime):
    audit_round, lead, auditors, audits = round_of(n)
    for audit in audits:
        for q in questions():
            AuditAnswer.objects.create(
                audit=audit, question=q, grade_id="requires_improvement"
            )
    CaseAudit.objects.filter(round=audit_round).update(
        status="finalised", grade_id="good", final_grade_id="good", finalised_at=month
    )
    return audit_round, lead, auditors


def count(client, url, django_assert_max_num_queries, limit):
    client.get(url)
    with django_assert_max_num_queries(limit) as ctx:
        assert client.get(url).status_code == 200
    return len(ctx.captured_queries)


@pytest.mark.parametrize("page", ["report", "round", "index"])
def test_lead_pages_are_constant_in_the_number_of_audits(
    client, django_assert_max_num_queries, page
):
    counts = []
    for n in (2, 12):
        audit_round, lead, _a = finalised(n, IN_MAY)
        client.logout()
        sign_in_verified(client, lead)
        url = {
            "report": "/audits/reports/?month=2026-05&kind=half_year",
            "round": f"/audits/rounds/{audit_round.pk}/",
            "index": "/audits/",
        }[page]
        counts.append(count(client, url, django_assert_max_num_queries, 20))
    assert counts[0] == counts[1]


def test_the_auditors_pages_are_constant(client, django_assert_max_num_queries):
    counts = []
    for n in (2, 12):
        _r, _l, auditors, audits = round_of(n)
        client.logout()
        sign_in_verified(client, auditors[0])
        mine = next(a for a in audits if a.auditor_id == auditors[0].pk)
        counts.append(
            (
                count(client, "/audits/", django_assert_max_num_queries, 20),
                count(
                    client,
                    f"/audits/case-audits/{mine.pk}/",
                    django_assert_max_num_queries,
                    20,
                ),
            )
        )
    assert counts[0] == counts[1]
