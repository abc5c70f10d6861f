"""EH24, EH25a–c audit results by final grade; EH26 and EH27 mean feedback."""

from __future__ import annotations

import datetime as dt

import pytest

from audits.models import CaseAudit
from casework.models import CaseClosure
from family_connect.models import FormFeedback
from scorecard.measures import quality
from scorecard.measures.base import CITY
from tests.audits.factories import auditor
from tests.factories import CaseFactory, FormFactory
from tests.scorecard.helpers import UTC, loc, period

pytestmark = pytest.mark.django_db

MID_MAY = dt.datetime(2024, 5, 15, 10, 0, tzinfo=UTC)


def audit(audit_type, grade, *, final=None, at=MID_MAY, where="erdington"):
    case = CaseFactory(locality=loc(where))
    CaseAudit.objects.create(
        case=case,
        locality=case.locality,
        type=audit_type,
        auditor=auditor(),
        assigned_at=at,
        status="finalised",
        grade_id=grade,
        moderated_grade_id=final,
        moderation_reason="reason" if final else "",
        final_grade_id=final or grade,
        finalised_at=at,
    )


def test_audit_results_count_the_final_grade_by_type():
    audit("monthly_citywide", "outstanding")
    audit("monthly_citywide", "good")
    audit("monthly_citywide", "good", final="requires_improvement")  # moderated down
    audit("themed", "inadequate")
    audit("locality_bimonthly", "good", where="ladywood")
    audit("step_up", "good")
    audit("step_down", "requires_improvement")
    # 00:30 BST on 1 June: June's.
    audit("monthly_citywide", "good", at=dt.datetime(2024, 5, 31, 23, 30, tzinfo=UTC))
    rows = quality.measure(period(2024, 5))
    eh24 = rows["EH24"]["erdington"]
    assert (eh24.numerator, eh24.denominator, eh24.value) == (2, 4, 50.0)
    assert rows["EH24"][CITY].numerator == 3 and rows["EH24"][CITY].denominator == 5
    assert rows["EH25b"]["erdington"].value == 100.0
    assert rows["EH25c"]["erdington"].value == 0.0
    empty = rows["EH25a"][CITY]
    assert (empty.value, empty.numerator, empty.denominator) == (None, 0, 0)


def test_feedback_means():
    for score in (4, 5, None):
        case = CaseFactory(
            locality=loc("erdington"), closed_at=MID_MAY, status="closed"
        )
        CaseClosure.objects.create(
            case=case,
            closed_at=MID_MAY,
            closed_by=case.lead_practitioner,
            reason="outcomes_met",
            family_feedback_score=score,
        )
    for score, status in ((2, "allocated"), (4, "signposted"), (5, "duplicate")):
        form = FormFactory(received_at=MID_MAY, locality=loc("ladywood"), status=status)
        FormFeedback.objects.create(form=form, score=score, given_at=MID_MAY)
    rows = quality.measure(period(2024, 5))
    eh26 = rows["EH26"]["erdington"]
    assert (eh26.value, eh26.numerator, eh26.denominator) == (4.5, 9, 2)
    eh27 = rows["EH27"]["ladywood"]
    assert (eh27.value, eh27.numerator, eh27.denominator) == (3.0, 6, 2)
    assert rows["EH27"][CITY].value == 3.0
    none = rows["EH27"]["erdington"]
    assert (none.value, none.denominator) == (None, 0)
