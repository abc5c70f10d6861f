"""A finished record, or one the reader may not change, is shown as GOV.UK
summary lists, not as a form of disabled inputs: a completed assessment, an
assessment an auditor reads, the reviews held, a closed case's closure."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from casework.models import Assessment
from casework.services.assessment import AssessmentInput, assessment_save
from casework.services.closure import ClosureInput, case_close
from casework.services.reviews import review_record
from tests.audits.test_pages import world  # noqa: F401  (fixture)
from tests.casework.test_assessment import whole
from tests.casework.test_reviews import review_of
from tests.factories import CaseFactory, PersonFactory
from tests.helpers import sign_in_verified
from tests.reveals import reveals

pytestmark = pytest.mark.django_db


@pytest.fixture
def case():
    case = CaseFactory()
    PersonFactory(family=case.family, given_name="Ayesha")
    return case


def _no_form(page: str) -> None:
    """Nothing to fill in: no inputs (disabled or not), selects or text boxes."""
    main = page[page.index('id="main-content"') :]
    assert reveals(main).disabled == []
    for tag in ("<select", "<textarea", 'type="radio"', 'type="text"'):
        assert tag not in main, tag
    assert 'class="govuk-summary-list"' in main


def test_a_completed_assessment_is_shown_as_answers(client, case):
    lead = case.lead_practitioner
    assessment_save(case_id=case.pk, actor=lead, data=whole(case), complete=True)
    sign_in_verified(client, lead)
    page = client.get(f"/cases/{case.pk}/assessment/").content.decode()
    _no_form(page)
    assert page.count('data-testid="assessment-answers"') == 3
    for text in ("Money and sleep.", "Family wheel: Relationships", "I worry about"):
        assert text in page
    assert "Complete the assessment</button>" not in page


def test_a_page_from_before_completion_changes_nothing_and_says_why(client, case):
    lead = case.lead_practitioner
    assessment_save(case_id=case.pk, actor=lead, data=whole(case), complete=True)
    sign_in_verified(client, lead)
    url = f"/cases/{case.pk}/assessment/"
    response = client.post(url, {"worries": "Changed.", "save": ""}, follow=True)
    assert response.redirect_chain == [(url, 302)]
    page = response.content.decode()
    assert "govuk-notification-banner" in page
    _no_form(page)
    assert Assessment.objects.get().worries == "Money and sleep."


def test_an_assessment_the_reader_cannot_change_is_shown_as_answers(
    client,
    world,  # noqa: F811
):
    # The auditor reads the case file while the round is open; the assessment
    # is still being written.
    case = world["audit"].case
    assessment_save(
        case_id=case.pk,
        actor=case.lead_practitioner,
        data=AssessmentInput(worries="Rent arrears."),
        complete=False,
    )
    sign_in_verified(client, world["auditor"])
    page = client.get(f"/cases/{case.pk}/assessment/").content.decode()
    _no_form(page)
    assert "Rent arrears." in page and "Not given" in page
    assert "workers can change it" in page


def test_the_reviews_held_are_shown_as_summary_lists(client, case):
    lead = case.lead_practitioner
    assessment_save(case_id=case.pk, actor=lead, data=whole(case), complete=True)
    today = timezone.localdate()
    review_record(
        case_id=case.pk,
        actor=lead,
        data=review_of(case, today - dt.timedelta(days=3), plan_changes="Add CAB."),
    )
    sign_in_verified(client, lead)
    page = client.get(f"/cases/{case.pk}/reviews/").content.decode()
    held = page[page.index('data-testid="review"') :]
    held = held[: held.index("</dl>")]
    for text in (
        "Mum, school, lead practitioner",
        "Mornings calmer.",
        "Add CAB.",
        "Overall score for Ayesha",
        "Recorded by",
    ):
        assert text in held
    assert reveals(held).disabled == [] and "<select" not in held


def test_a_closed_case_shows_its_closure_not_the_form(client, case):
    lead = case.lead_practitioner
    child = case.family.people.get()
    case_close(
        case_id=case.pk,
        actor=lead,
        data=ClosureInput(
            reason="moved_away",
            wheel={},
            person_scores={},
            children={child.pk: {"happy": "yes", "healthy": "no", "safe": "yes"}},
            feedback_score=4,
            feedback_comment="Thank you.",
        ),
    )
    sign_in_verified(client, lead)
    url = f"/cases/{case.pk}/close/"
    page = client.get(url).content.decode()
    _no_form(page)
    summary = page[page.index('data-testid="closure-summary"') :]
    for text in (
        "Moved away",
        "happy: yes, healthy: no, safe: yes",
        "4 out of 5",
        "Thank you.",
        "Not yet",
    ):
        assert text in summary, text
    # A page from before it closed is told so, above the closure.
    again = client.post(url, {"reason": "other"}).content.decode()
    assert "already closed" in again
    _no_form(again)
