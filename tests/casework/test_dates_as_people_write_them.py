"""Dates as people write them: the staff pages take day, month and year in
the GOV.UK date input, say what is wrong the GOV.UK way (each problem linked to
the first box in error, every problem at once), refuse a due date set in the
past and accept a date something happened in the past. The services hold the
rules, so whoever calls them is refused the same, every problem at once."""

from __future__ import annotations

import datetime as dt
import re

import pytest

from casework.models import CaseNote, NoteAmendment, PlanAction, PlanOutcome, Review
from casework.services.assessment import assessment_save
from casework.services.cases import case_note_amend
from casework.services.plan import (
    plan_action_add,
    plan_action_edit,
    plan_outcome_add,
    plan_outcome_edit,
)
from casework.services.reviews import review_record
from core.errors import InvalidInput
from core.history import HISTORY
from tests.casework.test_assessment import whole
from tests.casework.test_reviews import review_of
from tests.error_summary import error_summary
from tests.factories import CaseFactory, PersonFactory
from tests.helpers import date_boxes, days_from_today, sign_in_verified

pytestmark = pytest.mark.django_db

PAST_DUE = "The due date must be today or in the future"


@pytest.fixture
def plan():
    case = CaseFactory()
    outcome = PlanOutcome.objects.create(
        case=case,
        text="Calmer mornings",
        domain="relationships",
        created_by=case.lead_practitioner,
    )
    return case, outcome


def _add(client, case, outcome, **dates):
    return client.post(
        f"/cases/{case.pk}/plan/",
        {
            "add": "action",
            "outcome": outcome.pk,
            "what": "Breakfast club place",
            "owner": "family",
            **dates,
        },
    )


def test_an_action_is_added_with_its_due_date_in_day_month_and_year(client, plan):
    case, outcome = plan
    sign_in_verified(client, case.lead_practitioner)
    response = _add(
        client, case, outcome, due_on_0="18", due_on_1="12", due_on_2="2099"
    )
    assert response.status_code == 302
    assert PlanAction.objects.get().due_on == dt.date(2099, 12, 18)
    # Today is not in the past.
    _add(client, case, outcome, **date_boxes("due_on", days_from_today(0)))
    assert PlanAction.objects.filter(due_on=days_from_today(0)).exists()


@pytest.mark.parametrize(
    ("boxes", "anchor", "message"),
    [
        (("", "", ""), "id_due_on_0", "Enter the due date"),
        (("18", "", "2099"), "id_due_on_1", "Due date must include a month"),
        (("18", "12", ""), "id_due_on_2", "Due date must include a year"),
        (("", "", "2099"), "id_due_on_0", "Due date must include a day and month"),
        (("31", "2", "2099"), "id_due_on_0", "Due date must be a real date"),
        (("1", "13", "2099"), "id_due_on_1", "Due date must be a real date"),
        (("1", "1", "99"), "id_due_on_2", "Due date must be a real date"),
    ],
)
def test_a_due_date_with_a_part_missing_or_not_real_is_said_the_govuk_way(
    client, plan, boxes, anchor, message
):
    case, outcome = plan
    sign_in_verified(client, case.lead_practitioner)
    response = _add(
        client, case, outcome, **{f"due_on_{i}": p for i, p in enumerate(boxes)}
    )
    assert response.status_code == 200
    assert error_summary(response.content) == [(anchor, message)]
    page = response.content.decode()
    # Only the boxes in error are marked.
    marked = [
        i
        for i in range(3)
        if "govuk-input--error"
        in re.search(rf'<input[^>]*id="id_due_on_{i}"[^>]*>', page).group(0)
    ]
    assert f"id_due_on_{marked[0]}" == anchor
    assert not PlanAction.objects.exists()


def test_a_past_due_date_is_refused_with_every_other_problem(client, plan):
    case, outcome = plan
    sign_in_verified(client, case.lead_practitioner)
    response = client.post(
        f"/cases/{case.pk}/plan/",
        {
            "add": "action",
            "outcome": outcome.pk,
            "what": "",
            "owner": "family",
            **date_boxes("due_on", days_from_today(-1)),
        },
    )
    assert error_summary(response.content) == [
        ("id_what", "Enter what will be done"),
        ("id_due_on_0", PAST_DUE),
    ]
    assert not PlanAction.objects.exists()


def test_the_edit_page_says_which_part_of_the_due_date_is_missing(client, plan):
    case, outcome = plan
    action = PlanAction.objects.create(
        case=case,
        outcome=outcome,
        what="Call",
        owner_is_family=True,
        due_on=days_from_today(5),
    )
    sign_in_verified(client, case.lead_practitioner)
    response = client.post(
        f"/cases/{case.pk}/plan/actions/{action.pk}/",
        {"what": "Call", "owner": "family", "due_on_0": "1", "due_on_1": ""},
    )
    assert error_summary(response.content) == [
        ("id_due_on_1", "Due date must include a month and year")
    ]


def test_a_review_held_in_the_past_is_recorded_from_day_month_and_year(client):
    case = CaseFactory()
    PersonFactory(family=case.family, given_name="Ayesha", role="child")
    lead = case.lead_practitioner
    assessment_save(case_id=case.pk, actor=lead, data=whole(case), complete=True)
    sign_in_verified(client, lead)
    held = days_from_today(-30)
    people = {f"person_{p.pk}": "6" for p in case.family.people.all()}
    response = client.post(
        f"/cases/{case.pk}/reviews/",
        {
            **date_boxes("held_on", held),
            **date_boxes("next_review_on", days_from_today(14)),
            "attendees": "Mum, school",
            "progress": "Calmer mornings",
            "scaling": "6",
            **dict.fromkeys(whole(case).wheel, "6"),
            **people,
        },
    )
    assert response.status_code == 302, error_summary(response.content)
    review = Review.objects.get(case=case)
    assert review.next_review_on == days_from_today(14)
    assert review.held_at.date() == held


# --- The services: every problem at once, whoever calls them -----------------


def test_adding_an_action_refuses_every_problem_at_once(plan):
    case, outcome = plan
    with pytest.raises(InvalidInput) as refused:
        plan_action_add(
            case_id=case.pk,
            actor=case.lead_practitioner,
            outcome_id=outcome.pk + 999,
            what=" ",
            owner=None,
            owner_is_family=False,
            due_on=days_from_today(-1),
            community=False,
        )
    assert [field for field, _ in refused.value.problems] == [
        "outcome",
        "what",
        "owner",
        "due_on",
    ]
    assert dict(refused.value.problems)["due_on"] == PAST_DUE
    assert not PlanAction.objects.exists()


def test_correcting_an_action_or_outcome_refuses_every_problem_at_once(plan):
    case, outcome = plan
    lead = case.lead_practitioner
    action = plan_action_add(
        case_id=case.pk,
        actor=lead,
        outcome_id=outcome.pk,
        what="Call",
        owner=None,
        owner_is_family=True,
        due_on=days_from_today(3),
        community=False,
    )
    with pytest.raises(InvalidInput) as refused:
        plan_action_edit(
            action_id=action.pk,
            actor=lead,
            what="",
            owner=None,
            owner_is_family=False,
            due_on=days_from_today(-2),
            community=False,
            community_service=None,
        )
    assert refused.value.problems == (
        ("what", "Enter what will be done"),
        ("owner", "Select who will do it: a member of the team or the family"),
        ("due_on", PAST_DUE),
    )
    with pytest.raises(InvalidInput) as refused:
        plan_outcome_edit(outcome_id=outcome.pk, actor=lead, text=" ", domain="x")
    assert [field for field, _ in refused.value.problems] == ["text", "domain"]
    with pytest.raises(InvalidInput) as refused:
        plan_outcome_add(case_id=case.pk, actor=lead, text="", domain="")
    assert [field for field, _ in refused.value.problems] == ["text", "domain"]
    action.refresh_from_db()
    assert (action.what, action.due_on) == ("Call", days_from_today(3))


def test_amending_a_note_refuses_every_problem_at_once():
    case = CaseFactory()
    note = CaseNote.objects.create(
        case=case,
        kind="visit",
        text="Home visit.",
        happened_at=case.opened_at,
        author=case.lead_practitioner,
    )
    with pytest.raises(InvalidInput) as refused:
        case_note_amend(
            note_id=note.pk, actor=case.lead_practitioner, text=" ", reason=""
        )
    assert refused.value.problems == (
        ("text", "Enter the note as it should read"),
        ("reason", "Enter why you are amending the note"),
    )
    assert not NoteAmendment.objects.exists()


def test_a_next_review_set_in_the_past_is_refused_live_but_kept_from_history():
    case = CaseFactory()
    lead = case.lead_practitioner
    assessment_save(case_id=case.pk, actor=lead, data=whole(case), complete=True)
    data = review_of(case, days_from_today(-60), next_review_on=days_from_today(-18))
    with pytest.raises(InvalidInput) as refused:
        review_record(case_id=case.pk, actor=lead, data=data)
    assert refused.value.problems == (
        (
            "next_review_on",
            "The date of the next review must be today or in the future",
        ),
    )
    assert not Review.objects.exists()
    review = review_record(case_id=case.pk, actor=lead, data=data, mode=HISTORY)
    assert review.next_review_on == days_from_today(-18)
