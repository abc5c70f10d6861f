"""Drawing a round's sample: reproducible, stratified by locality, never a case
audited in the previous six months."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import transaction
from django.utils import timezone

from audits.models import AuditRound, CaseAudit
from audits.sampling import assign, draw
from audits.services import audit_sample_draw
from core.errors import Conflict, InvalidInput
from localities.models import Locality
from tests.audits.factories import make_round
from tests.factories import CaseFactory

pytestmark = pytest.mark.django_db

IN_MAY = dt.datetime(2026, 5, 10, 10, 0, tzinfo=dt.UTC)


def cases(n: int, locality: str = "erdington", **kwargs):
    loc = Locality.objects.get(slug=locality)
    return [CaseFactory(locality=loc, opened_at=IN_MAY, **kwargs) for _ in range(n)]


class _Rollback(Exception):
    pass


def test_the_draw_is_a_pure_function_of_ids_size_seed_and_stratum():
    ids = list(range(1, 101))
    assert draw(ids, 5, seed=7, stratum="erdington") == draw(
        list(reversed(ids)), 5, seed=7, stratum="erdington"
    )
    assert draw(ids, 5, seed=7, stratum="erdington") != draw(
        ids, 5, seed=8, stratum="erdington"
    )
    assert draw(ids[:3], 5, seed=7, stratum="x") == [1, 2, 3]


def test_the_same_round_inputs_and_seed_give_the_same_sample():
    cases(12)
    samples = []
    for _ in range(2):
        try:
            with transaction.atomic():
                audit_round, lead, _a, _m = make_round(sample_size=4)
                audits = audit_sample_draw(round_id=audit_round.pk, actor=lead, seed=42)
                samples.append(sorted(a.case_id for a in audits))
                raise _Rollback
        except _Rollback:
            pass
    assert len(samples[0]) == 4
    assert samples[0] == samples[1]
    audit_round, lead, _a, _m = make_round(sample_size=4)
    audit_sample_draw(round_id=audit_round.pk, actor=lead, seed=42)
    audit_round.refresh_from_db()
    assert audit_round.seed == 42 and audit_round.status == AuditRound.Status.OPEN
    assert sorted(audit_round.audits.values_list("case_id", flat=True)) == samples[0]


def test_a_case_audited_four_months_ago_is_never_drawn():
    recent, old, *others = cases(6)
    auditor_user = others[0].lead_practitioner
    now = timezone.now()
    for case, months_ago in ((recent, 4), (old, 7)):
        at = now - dt.timedelta(days=30 * months_ago)
        CaseAudit.objects.create(
            case=case,
            locality=case.locality,
            type="monthly_citywide",
            auditor=auditor_user,
            assigned_at=at,
            status="finalised",
            final_grade_id="good",
            finalised_at=at,
        )
    for seed in range(20):
        try:
            with transaction.atomic():
                audit_round, lead, _a, _m = make_round(sample_size=6)
                drawn = {
                    a.case_id
                    for a in audit_sample_draw(
                        round_id=audit_round.pk, actor=lead, seed=seed
                    )
                }
                raise _Rollback
        except _Rollback:
            pass
        assert recent.pk not in drawn
        assert old.pk in drawn  # six months have passed: eligible again


def test_the_sample_is_stratified_by_locality_and_shared_between_agencies():
    cases(5, "erdington")
    cases(5, "ladywood")
    cases(5, "yardley")  # not in the round
    audit_round, lead, auditors, moderator = make_round(
        sample_size=2, locality_slugs=["erdington", "ladywood"]
    )
    audits = audit_sample_draw(round_id=audit_round.pk, actor=lead, seed=1)
    by_locality = sorted(a.locality.slug for a in audits)
    assert by_locality == ["erdington", "erdington", "ladywood", "ladywood"]
    per_auditor = sorted(
        CaseAudit.objects.filter(round=audit_round).values_list(
            "auditor__email", flat=True
        )
    )
    assert per_auditor.count(auditors[0].email) == 2
    assert per_auditor.count(auditors[1].email) == 2


def test_cases_not_open_in_the_period_are_not_eligible():
    before = Locality.objects.get(slug="erdington")
    CaseFactory(
        locality=before,
        opened_at=dt.datetime(2026, 1, 5, tzinfo=dt.UTC),
        closed_at=dt.datetime(2026, 4, 20, tzinfo=dt.UTC),
        status="closed",
    )
    CaseFactory(locality=before, opened_at=dt.datetime(2026, 6, 2, tzinfo=dt.UTC))
    audit_round, lead, _a, _m = make_round()
    with pytest.raises(InvalidInput, match="No case is eligible"):
        audit_sample_draw(round_id=audit_round.pk, actor=lead, seed=1)
    assert not CaseAudit.objects.exists()
    audit_round.refresh_from_db()
    assert audit_round.status == AuditRound.Status.DRAFT


def test_a_round_is_drawn_once():
    cases(3)
    audit_round, lead, _a, _m = make_round()
    audit_sample_draw(round_id=audit_round.pk, actor=lead, seed=1)
    with pytest.raises(Conflict):
        audit_sample_draw(round_id=audit_round.pk, actor=lead, seed=2)
    assert CaseAudit.objects.filter(round=audit_round).count() == 2


def test_cases_go_to_auditors_from_other_agencies_than_the_lead_practitioners():
    from types import SimpleNamespace as NS

    health, police = (
        NS(pk=1, email="a@x", organisation_id=10),
        NS(pk=2, email="b@x", organisation_id=20),
    )
    cases = [
        NS(pk=100 + i, lead_practitioner=NS(organisation_id=10)) for i in range(3)
    ] + [NS(pk=200, lead_practitioner=NS(organisation_id=None))]
    chosen = assign(cases, [health, police])
    # Nobody audits their own agency's case while another agency can.
    assert all(chosen[c.pk] is police for c in cases[:3])
    assert chosen[200] is health  # the load evens out where the agency allows
    only_health = assign(cases[:1], [health])
    assert only_health[100] is health  # a one-agency panel still audits
