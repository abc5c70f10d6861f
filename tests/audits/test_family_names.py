"""Audit pages name the family of each audited case only for those who may
open the case (the auditor while the round is open); performance leads, who
see every case audit, see case numbers only."""

from __future__ import annotations

import datetime as dt
import re

import pytest

from audits.services import audit_sample_draw
from localities.models import Locality
from tests.audits.factories import auditor, make_round
from tests.factories import CaseFactory, PersonFactory
from tests.helpers import sign_in_verified

pytestmark = pytest.mark.django_db

IN_MAY = dt.datetime(2026, 5, 10, 10, 0, tzinfo=dt.UTC)


@pytest.fixture
def world():
    case = CaseFactory(
        locality=Locality.objects.get(slug="erdington"), opened_at=IN_MAY
    )
    PersonFactory(family=case.family, given_name="Mia", family_name="Taylor")
    grader = auditor("Health")
    audit_round, lead, _a, _m = make_round(
        sample_size=1, auditors=[grader], moderator=auditor("Council")
    )
    (audit,) = audit_sample_draw(round_id=audit_round.pk, actor=lead, seed=1)
    return case, audit, grader, lead


def test_the_auditor_sees_the_family_by_name(client, world):
    case, audit, grader, _lead = world
    sign_in_verified(client, grader)
    index = client.get("/audits/").content.decode()
    assert re.search(
        rf'href="/audits/case-audits/{audit.pk}/">Taylor family</a>', index
    )
    page = client.get(f"/audits/case-audits/{audit.pk}/").content.decode()
    assert 'data-testid="audit-heading">Audit: Taylor family</h1>' in page
    assert f"case {case.pk}" in page
    crumbs = re.search(r'data-testid="breadcrumbs">(.*?)</nav>', page, re.S)
    assert crumbs
    assert re.findall(r'href="([^"]+)">([^<]+)</a>', crumbs.group(1)) == [
        ("/", "Home"),
        ("/audits/", "Audits"),
        (f"/audits/rounds/{audit.round_id}/", audit.round.title),
    ]


def test_the_performance_lead_sees_case_numbers_only(client, world):
    case, audit, _grader, lead = world
    sign_in_verified(client, lead)
    for url in (
        f"/audits/rounds/{audit.round_id}/",
        f"/audits/case-audits/{audit.pk}/",
    ):
        html = client.get(url).content.decode()
        assert "Taylor" not in html and "Mia" not in html
        assert f"Case {case.pk}" in html or f"case {case.pk}" in html
