"""The assessment, closure and review pages list every problem at once in the
error summary, in GOV.UK words, each linked to its field; nothing is saved."""

from __future__ import annotations

import datetime as dt

import pytest

from casework.models import (
    Assessment,
    CaseClosure,
    CaseEvent,
    PlanOutcome,
    Review,
    WheelDomain,
)
from casework.selectors.cases import people_on_case
from casework.services.assessment import assessment_save
from tests.casework.test_assessment import whole
from tests.error_summary import error_summary, summary_messages
from tests.factories import CaseFactory, PersonFactory
from tests.helpers import date_boxes, days_from_today, sign_in_verified

pytestmark = pytest.mark.django_db

GENERIC = ("This field is required", "Enter a valid", "Select a valid choice")


@pytest.fixture
def case():
    case = CaseFactory()
    PersonFactory(family=case.family, given_name="Ayesha", role="child")
    PersonFactory(
        family=case.family,
        role="adult",
        given_name="Sara",
        relationship="mother",
        date_of_birth=dt.date(1988, 1, 19),
    )
    return case


def _people(case):
    return {p.given_name: p for p in case.family.people.all()}


def _in_page_order(case):
    return list(people_on_case(case.pk))


def test_completing_an_empty_assessment_lists_every_gap_linked_to_its_field(
    client, case
):
    sign_in_verified(client, case.lead_practitioner)
    response = client.post(f"/cases/{case.pk}/assessment/", {"complete": "1"})
    assert response.status_code == 200
    assert error_summary(response.content) == [
        ("id_worries", "Enter what we are worried about"),
        ("id_working_well", "Enter what is working well"),
        ("id_needs_to_happen", "Enter what needs to happen"),
        ("id_scaling", "Select the family's scaling score (0 to 10)"),
        *[
            (
                f"id_{d.value}",
                f"Select a score for the {d.label.lower()} part of the family wheel",
            )
            for d in WheelDomain
        ],
        *[
            (
                f"id_person_{p.pk}",
                f"Select an overall score for {p.given_name} (1 to 10)",
            )
            for p in _in_page_order(case)
        ],
    ]
    assert not Assessment.objects.filter(case=case, completed_at__isnull=False)
    case.refresh_from_db()
    assert case.status == "allocated"


def test_an_assessment_with_some_answers_lists_only_the_gaps(client, case):
    sign_in_verified(client, case.lead_practitioner)
    people = _people(case)
    data = {
        "complete": "1",
        "worries": "Money.",
        "working_well": "Grandma helps.",
        "scaling": "3",
        f"person_{people['Sara'].pk}": "5",
        **dict.fromkeys(WheelDomain.values[:2], "4"),
    }
    response = client.post(f"/cases/{case.pk}/assessment/", data)
    fields = [target for target, _ in error_summary(response.content)]
    assert fields == [
        "id_needs_to_happen",
        *[f"id_{d}" for d in WheelDomain.values[2:]],
        f"id_person_{people['Ayesha'].pk}",
    ]
    # What was typed is shown again, and not saved as complete.
    assert "Grandma helps." in response.content.decode()
    assert not CaseEvent.objects.filter(case=case, kind="assessment_completed")


def test_the_assessment_labels_say_optional_only_for_what_completing_does_not_need(
    client, case
):
    sign_in_verified(client, case.lead_practitioner)
    page = client.get(f"/cases/{case.pk}/assessment/").content.decode()
    optional = [
        line.strip()
        for line in page.splitlines()
        if "(optional)" in line and "govuk-label" in line
    ]
    assert any("The family&#x27;s voice" in line for line in optional)
    assert any("Ayesha&#x27;s voice" in line for line in optional)
    assert len(optional) == 2, optional


def test_a_junk_score_is_refused_in_words_not_a_server_error(client, case):
    sign_in_verified(client, case.lead_practitioner)
    response = client.post(
        f"/cases/{case.pk}/assessment/",
        {"scaling": "eleven", WheelDomain.values[0]: "99"},
    )
    assert response.status_code == 200
    messages = summary_messages(response.content)
    assert messages == [
        "Select the family's scaling score, from 0 to 10",
        f"Select a score for the {WheelDomain(WheelDomain.values[0]).label.lower()} "
        "part of the family wheel, from 1 to 10",
    ]
    assert not Assessment.objects.filter(case=case).exists()


def test_closing_with_outcomes_met_and_no_scores_lists_every_score(client, case):
    assessment_save(
        case_id=case.pk, actor=case.lead_practitioner, data=whole(case), complete=True
    )
    sign_in_verified(client, case.lead_practitioner)
    response = client.post(f"/cases/{case.pk}/close/", {"reason": "outcomes_met"})
    links = error_summary(response.content)
    people = _people(case)
    assert [target for target, _ in links] == [
        *[f"id_{d}" for d in WheelDomain.values],
        *[f"id_person_{p.pk}" for p in _in_page_order(case)],
    ]
    assert (
        f"id_person_{people['Ayesha'].pk}",
        "Select an overall score at closure for Ayesha (1 to 10)",
    ) in links
    assert not CaseClosure.objects.filter(case=case).exists()


def test_closing_with_nothing_chosen_says_to_select_a_reason(client, case):
    sign_in_verified(client, case.lead_practitioner)
    response = client.post(f"/cases/{case.pk}/close/", {})
    assert error_summary(response.content) == [
        ("id_reason_0", "Select a reason for closing the case")
    ]
    case.refresh_from_db()
    assert case.status == "allocated"


def test_closure_labels_do_not_call_the_scores_optional(client, case):
    sign_in_verified(client, case.lead_practitioner)
    page = client.get(f"/cases/{case.pk}/close/").content.decode()
    for line in page.splitlines():
        if "(optional)" in line:
            assert "Family wheel" not in line and "Overall score" not in line, line


def test_an_empty_review_lists_every_problem_in_its_own_words(client, case):
    assessment_save(
        case_id=case.pk, actor=case.lead_practitioner, data=whole(case), complete=True
    )
    sign_in_verified(client, case.lead_practitioner)
    response = client.post(f"/cases/{case.pk}/reviews/", {})
    assert response.status_code == 200
    links = error_summary(response.content)
    messages = [m for _, m in links]
    assert not [m for m in messages if m.startswith(GENERIC)]
    assert len(set(messages)) == len(messages), "each problem once, in its words"
    assert links[:4] == [
        ("id_held_on_0", "Enter the date of the review"),
        ("id_attendees", "Enter who attended the review"),
        ("id_progress", "Enter the progress made since the plan began"),
        ("id_scaling", "Select the family's scaling score (0 to 10)"),
    ]
    assert [t for t, _ in links[4:]] == [
        *[f"id_{d}" for d in WheelDomain.values],
        *[f"id_person_{p.pk}" for p in _in_page_order(case)],
    ]
    assert not Review.objects.filter(case=case).exists()


def test_a_review_with_bad_dates_says_so_with_the_rest(client, case):
    assessment_save(
        case_id=case.pk, actor=case.lead_practitioner, data=whole(case), complete=True
    )
    sign_in_verified(client, case.lead_practitioner)
    response = client.post(
        f"/cases/{case.pk}/reviews/",
        {
            **{"held_on_0": "30", "held_on_1": "2", "held_on_2": "2026"},
            **{
                "next_review_on_0": "15",
                "next_review_on_1": "",
                "next_review_on_2": "",
            },
            "scaling": "x",
        },
    )
    links = dict(error_summary(response.content))
    assert links["id_held_on_0"] == "Date of the review must be a real date"
    # The first box missing is the one linked.
    assert links["id_next_review_on_1"] == (
        "Date of the next review must include a month and year"
    )
    assert links["id_scaling"] == "Select the family's scaling score, from 0 to 10"
    assert "id_attendees" in links and "id_progress" in links
    assert not Review.objects.filter(case=case).exists()


def test_a_review_held_in_the_future_or_next_due_in_the_past_is_refused_with_the_rest(
    client, case
):
    assessment_save(
        case_id=case.pk, actor=case.lead_practitioner, data=whole(case), complete=True
    )
    sign_in_verified(client, case.lead_practitioner)
    url = f"/cases/{case.pk}/reviews/"
    response = client.post(url, date_boxes("held_on", days_from_today(1)))
    links = dict(error_summary(response.content))
    assert links["id_held_on_0"] == "The review date must be today or in the past"
    assert "id_attendees" in links
    response = client.post(
        url,
        {
            **date_boxes("held_on", days_from_today(-20)),
            **date_boxes("next_review_on", days_from_today(-1)),
        },
    )
    links = dict(error_summary(response.content))
    assert "id_held_on_0" not in links, "a review held in the past is fine"
    assert links["id_next_review_on_0"] == (
        "The date of the next review must be today or in the future"
    )
    assert "id_attendees" in links and "id_scaling" in links
    assert not Review.objects.filter(case=case).exists()


def test_an_empty_outcome_or_action_lists_every_field(client, case):
    sign_in_verified(client, case.lead_practitioner)
    url = f"/cases/{case.pk}/plan/"
    outcome = client.post(url, {"add": "outcome"})
    assert error_summary(outcome.content) == [
        ("id_text", "Enter the outcome, in the family's words"),
        ("id_domain", "Select the part of the family wheel it is about"),
    ]
    assert not case.outcomes.exists()
    PlanOutcome.objects.create(
        case=case,
        text="Calmer mornings",
        domain=WheelDomain.values[0],
        created_by=case.lead_practitioner,
    )
    action = client.post(url, {"add": "action"})
    assert error_summary(action.content) == [
        ("id_outcome", "Select the outcome the action works towards"),
        ("id_what", "Enter what will be done"),
        ("id_owner", "Select who will do it: a member of the team or the family"),
        ("id_due_on_0", "Enter the due date"),
    ]
    junk = client.post(
        url,
        {
            "add": "action",
            "outcome": "x",
            "what": "Call",
            "owner": "x",
            **{"due_on_0": "x", "due_on_1": "12", "due_on_2": "2026"},
        },
    )
    assert error_summary(junk.content) == [
        ("id_outcome", "Select an outcome of this plan"),
        ("id_owner", "Select who will do it: a member of the team or the family"),
        ("id_due_on_0", "Due date must be a real date"),
    ]
    assert not case.actions.exists()
