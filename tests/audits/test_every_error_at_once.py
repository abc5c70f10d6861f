"""Setting up a round and submitting a grading list every problem at once, in
GOV.UK words, each linked to its field; nothing is saved."""

from __future__ import annotations

import datetime as dt

import pytest

from audits.models import AuditAction, AuditRound, CaseAudit
from tests.audits.factories import questions
from tests.audits.test_pages import world  # noqa: F401  (a fixture)
from tests.error_summary import error_summary
from tests.helpers import date_boxes, days_from_today, sign_in_verified

pytestmark = pytest.mark.django_db


def test_an_empty_round_set_up_lists_every_field(client, world):  # noqa: F811
    sign_in_verified(client, world["lead"])
    rounds = AuditRound.objects.count()
    response = client.post("/audits/rounds/new/", {})
    assert response.status_code == 200
    assert error_summary(response.content) == [
        ("id_title", "Enter a title for the round"),
        ("id_type_0", "Select the type of audit"),
        ("id_period_start_0", "Enter the date the period starts"),
        ("id_period_end_0", "Enter the date the period ends"),
        ("id_localities_0", "Select at least one locality"),
        ("id_sample_size", "Enter how many cases to draw"),
        ("id_due_on_0", "Enter the date the audits are due by"),
        ("id_auditors", "Enter at least one auditor's e-mail address"),
        ("id_moderator", "Enter the moderator's e-mail address"),
    ]
    assert AuditRound.objects.count() == rounds


def test_a_round_with_several_rules_broken_says_each(client, world):  # noqa: F811
    sign_in_verified(client, world["lead"])
    rounds = AuditRound.objects.count()
    response = client.post(
        "/audits/rounds/new/",
        {
            "title": "Themed audit",
            "type": "themed",
            **date_boxes("period_start", dt.date(2026, 5, 31)),
            **date_boxes("period_end", dt.date(2026, 5, 1)),
            "localities": ["erdington"],
            "sample_size": "3",
            **date_boxes("due_on", days_from_today(-1)),
            "auditors": "not-an-auditor@example.org",
            "moderator": "nobody@example.org",
        },
    )
    assert dict(error_summary(response.content)) == {
        "id_period_end_0": "The period must end on or after the day it starts",
        "id_due_on_0": "The date the audits are due by must be today or in the future",
        "id_auditors": "These are not active auditors: not-an-auditor@example.org",
        "id_moderator": "These are not active auditors: nobody@example.org",
    }
    assert AuditRound.objects.count() == rounds


def test_junk_in_a_round_is_refused_in_words(client, world):  # noqa: F811
    sign_in_verified(client, world["lead"])
    response = client.post(
        "/audits/rounds/new/",
        {
            "title": "x" * 201,
            "type": "x",
            **{"period_start_0": "x", "period_start_1": "5", "period_start_2": "2026"},
            **{"period_end_0": "30", "period_end_1": "2", "period_end_2": "2026"},
            "localities": ["x"],
            "sample_size": "x",
            **{"due_on_0": "1", "due_on_1": "", "due_on_2": "2027"},
            "auditors": "x",
            "moderator": "x",
        },
    )
    assert response.status_code == 200
    assert dict(error_summary(response.content)) == {
        "id_title": "Title must be 200 characters or fewer",
        "id_type_0": "Select one of the types of audit listed",
        "id_period_start_0": "Period starts must be a real date",
        "id_period_end_0": "Period ends must be a real date",
        "id_localities_0": "Select localities from the list",
        "id_sample_size": "Enter a whole number",
        "id_due_on_1": "Audits due by must include a month",
        "id_moderator": "Enter an e-mail address, like name@example.org",
    }


def test_submitting_an_empty_grading_lists_every_question_and_answer(
    client,
    world,  # noqa: F811
):
    audit = world["audit"]
    sign_in_verified(client, world["auditor"])
    response = client.post(
        f"/audits/case-audits/{audit.pk}/", {"form": "grading", "submit": "1"}
    )
    assert response.status_code == 200
    links = error_summary(response.content)
    asked = questions()
    # In the order of the page: the questions, then the overall judgement.
    assert links == [
        *[(f"id_q{q.pk}_0", f"Grade every question: {q.text}") for q in asked],
        ("id_grade_0", "Select the overall grade"),
        ("id_strengths", "Enter the strengths"),
        ("id_improvements", "Enter the areas for improvement"),
    ]
    audit.refresh_from_db()
    assert audit.status == "assigned"
    assert not CaseAudit.objects.filter(pk=audit.pk, status="submitted").exists()


def test_feedback_sought_but_not_recorded_is_said_with_the_rest(
    client,
    world,  # noqa: F811
):
    audit = world["audit"]
    sign_in_verified(client, world["auditor"])
    data = {
        "form": "grading",
        "submit": "1",
        "grade": "good",
        "family_feedback_sought": "on",
        **{f"q{q.pk}": "good" for q in questions()},
    }
    response = client.post(f"/audits/case-audits/{audit.pk}/", data)
    assert error_summary(response.content) == [
        ("id_strengths", "Enter the strengths"),
        ("id_improvements", "Enter the areas for improvement"),
        (
            "id_family_feedback",
            "Enter what the family said, or untick that their feedback was sought",
        ),
    ]
    audit.refresh_from_db()
    assert audit.status == "assigned"


def test_the_grading_labels_say_when_the_familys_words_are_needed(
    client,
    world,  # noqa: F811
):
    sign_in_verified(client, world["auditor"])
    page = client.get(f"/audits/case-audits/{world['audit'].pk}/").content.decode()
    assert "What the family said (if their feedback was sought)" in page
    for line in page.splitlines():
        if "(optional)" in line:
            assert "Overall grade" not in line and "Strengths" not in line, line


def test_a_follow_up_action_due_in_the_past_is_refused_with_the_rest(
    client,
    world,  # noqa: F811
):
    audit = world["audit"]
    sign_in_verified(client, world["auditor"])
    url = f"/audits/case-audits/{audit.pk}/"
    response = client.post(
        url,
        {
            "form": "action",
            "what": "Hold a review",
            "owner": "nobody@example.org",
            **date_boxes("due_on", days_from_today(-1)),
        },
    )
    assert dict(error_summary(response.content)) == {
        "id_owner": "The owner must be someone with an active account",
        "id_due_on_0": "The date the action is due by must be today or in the future",
    }
    missing = client.post(
        url,
        {
            "form": "action",
            "what": "Hold a review",
            "owner": world["moderator"].email,
            **{"due_on_0": "", "due_on_1": "7", "due_on_2": "2099"},
        },
    )
    assert error_summary(missing.content) == [
        ("id_due_on_0", "Due by must include a day")
    ]
    assert not AuditAction.objects.exists()
    # A date ahead, typed in day, month and year, is taken.
    client.post(
        url,
        {
            "form": "action",
            "what": "Hold a review",
            "owner": world["moderator"].email,
            **date_boxes("due_on", days_from_today(0)),
        },
    )
    assert AuditAction.objects.get().due_on == days_from_today(0)
