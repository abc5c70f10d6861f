"""Grading, moderation, follow-up actions and closing a round; the auditor's
read-only access to exactly the assigned case while the round is open."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from audits.models import AuditAction, AuditRound, CaseAudit
from audits.services import (
    GradingInput,
    audit_action_add,
    audit_action_complete,
    audit_round_close,
    audit_sample_draw,
    case_audit_moderate,
    case_audit_save,
)
from casework.models import CaseNote
from core.errors import Conflict, InvalidInput, NotAllowed
from core.models import AccessLog
from localities.models import Locality
from tests.audits.factories import auditor, make_round, questions
from tests.factories import CaseFactory, PersonFactory
from tests.helpers import sign_in_verified

pytestmark = pytest.mark.django_db

IN_MAY = dt.datetime(2026, 5, 10, 10, 0, tzinfo=dt.UTC)


@pytest.fixture
def drawn():
    erdington = Locality.objects.get(slug="erdington")
    for _ in range(2):
        case = CaseFactory(locality=erdington, opened_at=IN_MAY)
        PersonFactory(family=case.family)
    audit_round, lead, auditors, moderator = make_round(sample_size=2)
    audits = audit_sample_draw(round_id=audit_round.pk, actor=lead, seed=3)
    return audit_round, lead, auditors, moderator, audits


def full_grading(grade: str = "good") -> GradingInput:
    return GradingInput(
        answers={q.pk: grade for q in questions()},
        grade=grade,
        strengths="The child's voice runs through the plan.",
        improvements="Reviews slipped by two weeks.",
    )


def test_submitting_needs_every_question_and_changes_nothing_when_refused(drawn):
    _r, _l, _a, _m, audits = drawn
    audit = audits[0]
    partial = full_grading()
    first = questions()[0].pk
    partial = GradingInput(
        answers={k: v for k, v in partial.answers.items() if k != first},
        grade="good",
        strengths="x",
        improvements="y",
    )
    with pytest.raises(InvalidInput, match="Grade every question"):
        case_audit_save(
            audit_id=audit.pk, actor=audit.auditor, data=partial, submit=True
        )
    audit.refresh_from_db()
    assert audit.status == "assigned" and not audit.answers.exists()
    case_audit_save(audit_id=audit.pk, actor=audit.auditor, data=partial)
    audit.refresh_from_db()
    assert audit.status == "in_progress" and audit.answers.count() == len(questions())
    case_audit_save(
        audit_id=audit.pk, actor=audit.auditor, data=full_grading(), submit=True
    )
    audit.refresh_from_db()
    assert audit.status == "submitted" and audit.grade_id == "good"
    with pytest.raises(Conflict):
        case_audit_save(audit_id=audit.pk, actor=audit.auditor, data=full_grading())


def test_only_the_assigned_auditor_grades(drawn):
    _r, _l, auditors, moderator, audits = drawn
    audit = audits[0]
    other = next(a for a in auditors if a.pk != audit.auditor_id)
    with pytest.raises(NotAllowed):
        case_audit_save(audit_id=audit.pk, actor=other, data=full_grading())
    audit.refresh_from_db()
    assert audit.status == "assigned"


def test_a_moderated_grade_is_final_and_the_original_and_reason_stay(drawn):
    _r, _l, _a, moderator, audits = drawn
    audit = audits[0]
    case_audit_save(
        audit_id=audit.pk, actor=audit.auditor, data=full_grading(), submit=True
    )
    with pytest.raises(InvalidInput, match="reason"):
        case_audit_moderate(
            audit_id=audit.pk, actor=moderator, grade="requires_improvement"
        )
    audit.refresh_from_db()
    assert audit.status == "submitted" and audit.final_grade_id is None
    with pytest.raises(NotAllowed):
        case_audit_moderate(
            audit_id=audit.pk, actor=audit.auditor, grade="outstanding", reason="x"
        )
    case_audit_moderate(
        audit_id=audit.pk,
        actor=moderator,
        grade="requires_improvement",
        reason="No evidence of management oversight.",
    )
    audit.refresh_from_db()
    assert audit.status == "finalised" and audit.finalised_at is not None
    assert audit.grade_id == "good"  # the auditor's grade is kept
    assert audit.moderated_grade_id == "requires_improvement"
    assert audit.final_grade_id == "requires_improvement"
    assert audit.moderation_reason == "No evidence of management oversight."


def test_agreeing_keeps_the_auditors_grade(drawn):
    _r, _l, _a, moderator, audits = drawn
    audit = audits[0]
    case_audit_save(
        audit_id=audit.pk,
        actor=audit.auditor,
        data=full_grading("outstanding"),
        submit=True,
    )
    case_audit_moderate(audit_id=audit.pk, actor=moderator)
    audit.refresh_from_db()
    assert audit.final_grade_id == "outstanding" and audit.moderated_grade_id is None


def test_follow_up_actions_have_an_owner_and_due_date(drawn):
    _r, _l, _a, moderator, audits = drawn
    audit = audits[0]
    owner = audit.case.lead_practitioner
    with pytest.raises(InvalidInput) as refused:
        audit_action_add(
            audit_id=audit.pk,
            actor=audit.auditor,
            what="Hold a review",
            owner_email="nobody@example.org",
            due_on=timezone.localdate() - dt.timedelta(days=1),
        )
    # Every problem at once: the owner, and a due date already past.
    assert refused.value.problems == (
        ("owner", "The owner must be someone with an active account"),
        ("due_on", "The date the action is due by must be today or in the future"),
    )
    action = audit_action_add(
        audit_id=audit.pk,
        actor=audit.auditor,
        what="Hold a review",
        owner_email=owner.email,
        due_on=timezone.localdate() + dt.timedelta(days=7),
    )
    assert action.owner == owner and action.status == "open"
    audit_action_complete(action_id=action.pk, actor=owner)
    action.refresh_from_db()
    assert action.status == "done" and action.done_at is not None
    assert AuditAction.objects.count() == 1


def finalise_all(audits, moderator):
    for audit in audits:
        case_audit_save(
            audit_id=audit.pk, actor=audit.auditor, data=full_grading(), submit=True
        )
        case_audit_moderate(audit_id=audit.pk, actor=moderator)


def test_a_round_closes_only_when_every_audit_is_finalised(drawn):
    audit_round, lead, _a, moderator, audits = drawn
    with pytest.raises(NotAllowed, match="2 of the round's 2 audits are not"):
        audit_round_close(round_id=audit_round.pk, actor=lead)
    audit_round.refresh_from_db()
    assert audit_round.status == "open"
    finalise_all(audits, moderator)
    audit_round_close(round_id=audit_round.pk, actor=lead)
    audit_round.refresh_from_db()
    assert audit_round.status == AuditRound.Status.CLOSED


def test_the_auditor_reads_exactly_the_assigned_case_only_while_the_round_is_open(
    client,
):
    erdington = Locality.objects.get(slug="erdington")
    assigned = CaseFactory(locality=erdington, opened_at=IN_MAY)
    PersonFactory(family=assigned.family)
    other = CaseFactory(
        locality=Locality.objects.get(slug="ladywood"), opened_at=IN_MAY
    )
    the_auditor = auditor("Health")
    sign_in_verified(client, the_auditor)
    url = f"/cases/{assigned.pk}/"
    assert client.get(url).status_code == 404  # before assignment

    audit_round, lead, _a, moderator = make_round(sample_size=1, auditors=[the_auditor])
    (audit,) = audit_sample_draw(round_id=audit_round.pk, actor=lead, seed=1)
    assert audit.case_id == assigned.pk
    before = AccessLog.objects.filter(user=the_auditor, object_id=str(assigned.pk))
    assert not before.exists()
    response = client.get(url)
    assert response.status_code == 200
    assert AccessLog.objects.filter(
        user=the_auditor, object_type="casework.case", object_id=str(assigned.pk)
    ).exists()
    assert client.get(f"/cases/{other.pk}/").status_code == 404
    # The whole file reads: assessment, plan and reviews, without their forms.
    for page in ("assessment", "plan", "reviews"):
        response = client.get(f"/cases/{assigned.pk}/{page}/")
        assert response.status_code == 200, page
        assert b"Complete the assessment" not in response.content
        assert b"Record the review" not in response.content

    # Read-only: every write on the case answers 404 and changes nothing.
    notes = CaseNote.objects.count()
    for path, data in (
        (f"/cases/{assigned.pk}/notes/", {"kind": "note", "text": "x"}),
        (f"/cases/{assigned.pk}/assessment/", {"worries": "x"}),
        (f"/cases/{assigned.pk}/close/", {"reason": "moved_away"}),
        (f"/cases/{assigned.pk}/team/", {"email": the_auditor.email}),
        (f"/cases/{assigned.pk}/step-up/", {"reason": "x"}),
        (f"/cases/{assigned.pk}/reviews/", {"scaling": "5"}),
    ):
        assert client.post(path, data).status_code == 404, path
    assert CaseNote.objects.count() == notes
    assigned.refresh_from_db()
    assert assigned.status == "allocated"

    finalise_all([audit], moderator)
    audit_round_close(round_id=audit_round.pk, actor=lead)
    assert client.get(url).status_code == 404  # after the round closes
    assert CaseAudit.objects.get(pk=audit.pk).status == "finalised"
