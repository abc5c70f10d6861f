from __future__ import annotations

import datetime as dt

import pytest
from django.test import Client

from accounts.roles import Role
from casework.models import Assessment, AssessmentPerson, CaseEvent, WheelDomain
from casework.services.assessment import AssessmentInput, assessment_save
from core.errors import Conflict, InvalidInput
from tests.factories import CaseFactory, PersonFactory, UserFactory
from tests.helpers import sign_in_verified

pytestmark = pytest.mark.django_db


@pytest.fixture
def case():
    case = CaseFactory()
    PersonFactory(family=case.family, given_name="Ayesha")
    PersonFactory(
        family=case.family,
        role="adult",
        given_name="Sara",
        relationship="mother",
        date_of_birth=dt.date(1988, 1, 19),
    )
    return case


def whole(case) -> AssessmentInput:
    people = list(case.family.people.all())
    return AssessmentInput(
        worries="Money and sleep.",
        working_well="Grandma helps every day.",
        needs_to_happen="Debt advice; a bedtime routine.",
        family_voice="We want things calmer.",
        scaling=3,
        wheel=dict.fromkeys(WheelDomain.values, 4),
        person_scores={p.pk: 5 for p in people},
        child_voices={p.pk: "I worry about mum." for p in people if p.role == "child"},
    )


def test_saving_starts_the_assessment_and_completing_moves_to_plan(case):
    lead = case.lead_practitioner
    assessment_save(
        case_id=case.pk, actor=lead, data=AssessmentInput(worries="x"), complete=False
    )
    case.refresh_from_db()
    assert case.status == "assessment"
    assessment_save(case_id=case.pk, actor=lead, data=whole(case), complete=True)
    case.refresh_from_db()
    assert case.status == "plan"
    assessment = Assessment.objects.get(case=case)
    assert assessment.completed_at is not None and assessment.completed_by == lead
    assert assessment.scaling == 3 and assessment.relationships == 4
    scores = {
        row.person.given_name: row.score
        for row in AssessmentPerson.objects.filter(assessment=assessment)
    }
    assert scores == {"Ayesha": 5, "Sara": 5}
    kinds = list(CaseEvent.objects.filter(case=case).values_list("kind", flat=True))
    assert (
        kinds.count("assessment_started") == 1
        and kinds.count("assessment_completed") == 1
    )


def test_an_incomplete_assessment_cannot_be_completed_and_nothing_changes(case):
    data = whole(case)
    data.person_scores.pop(next(iter(data.person_scores)))
    with pytest.raises(InvalidInput) as raised:
        assessment_save(
            case_id=case.pk, actor=case.lead_practitioner, data=data, complete=True
        )
    assert raised.value.field.startswith("person_")
    case.refresh_from_db()
    assert case.status == "allocated"
    assert not Assessment.objects.exists()


def test_a_completed_assessment_is_the_baseline_and_cannot_change(case):
    assessment_save(
        case_id=case.pk, actor=case.lead_practitioner, data=whole(case), complete=True
    )
    with pytest.raises(Conflict):
        assessment_save(
            case_id=case.pk,
            actor=case.lead_practitioner,
            data=AssessmentInput(),
            complete=False,
        )
    assert Assessment.objects.get().scaling == 3


def test_the_assessment_page_for_the_lead_and_not_for_others(client, case):
    sign_in_verified(client, case.lead_practitioner)
    url = f"/cases/{case.pk}/assessment/"
    page = client.get(url).content.decode()
    assert "Overall score for Ayesha" in page and "Ayesha&#x27;s voice" in page
    post = {"worries": "Money.", "scaling": "2", "save": ""}
    assert client.post(url, post).status_code == 302
    incomplete = client.post(url, {**post, "complete": ""})
    assert (
        incomplete.status_code == 200
        and "There is a problem" in incomplete.content.decode()
    )
    case.refresh_from_db()
    assert case.status == "assessment"
    people = {p.given_name: p.pk for p in case.family.people.all()}
    full = {
        "worries": "Money.",
        "working_well": "Grandma.",
        "needs_to_happen": "Advice.",
        "scaling": "2",
        **dict.fromkeys(WheelDomain.values, "6"),
        **{f"person_{pk}": "4" for pk in people.values()},
        "complete": "",
    }
    assert client.post(url, full).status_code == 302
    case.refresh_from_db()
    assert case.status == "plan"
    for user in [
        UserFactory(role=Role.PRACTITIONER, localities=["erdington"]),
        UserFactory(role=Role.PRACTITIONER, localities=["yardley"]),
        UserFactory(role=Role.AUDITOR),
    ]:
        other = Client()
        sign_in_verified(other, user)
        assert other.get(url).status_code == 404
        assert other.post(url, full).status_code == 404
