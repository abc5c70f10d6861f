from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from casework.models import CaseEvent, Review, ReviewPerson, WheelDomain
from casework.services.assessment import assessment_save
from casework.services.reviews import ReviewInput, next_review_due, review_record
from core.errors import Conflict, InvalidInput
from tests.casework.test_assessment import whole
from tests.factories import CaseFactory, PersonFactory
from tests.helpers import sign_in_verified

pytestmark = pytest.mark.django_db


@pytest.fixture
def case():
    case = CaseFactory()
    PersonFactory(family=case.family, given_name="Ayesha")
    return case


def review_of(case, held_on, **changes) -> ReviewInput:
    base = {
        "held_on": held_on,
        "attendees": "Mum, school, lead practitioner",
        "progress": "Mornings calmer.",
        "scaling": 6,
        "wheel": dict.fromkeys(WheelDomain.values, 6),
        "person_scores": {p.pk: 6 for p in case.family.people.all()},
    }
    base.update(changes)
    return ReviewInput(**base)


def test_reviews_need_the_plan_stage_then_two_are_recorded_six_weeks_apart(case):
    lead = case.lead_practitioner
    today = timezone.localdate()
    with pytest.raises(Conflict):
        review_record(case_id=case.pk, actor=lead, data=review_of(case, today))
    assessment_save(case_id=case.pk, actor=lead, data=whole(case), complete=True)
    first = review_record(
        case_id=case.pk, actor=lead, data=review_of(case, today - dt.timedelta(days=50))
    )
    assert first.next_review_on == today - dt.timedelta(days=50) + dt.timedelta(weeks=6)
    second = review_record(
        case_id=case.pk,
        actor=lead,
        data=review_of(case, today, next_review_on=today + dt.timedelta(weeks=4)),
    )
    assert ReviewPerson.objects.filter(review=second).get().score == 6
    assert CaseEvent.objects.filter(case=case, kind="review_held").count() == 2
    assert next_review_due(case, second, None) == today + dt.timedelta(weeks=4)


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"held_on": "FUTURE"}, "held_on"),
        ({"attendees": " "}, "attendees"),
        ({"scaling": 11}, "scaling"),
        ({"wheel": {}}, "healthy_lifestyles"),
        ({"person_scores": {}}, "person_"),
    ],
)
def test_bad_reviews_are_refused_and_save_nothing(case, changes, field):
    lead = case.lead_practitioner
    assessment_save(case_id=case.pk, actor=lead, data=whole(case), complete=True)
    held_on = timezone.localdate()
    if changes.pop("held_on", None) == "FUTURE":
        held_on += dt.timedelta(days=1)
    with pytest.raises(InvalidInput) as raised:
        review_record(
            case_id=case.pk, actor=lead, data=review_of(case, held_on, **changes)
        )
    assert raised.value.field.startswith(field)
    assert not Review.objects.exists()


def test_the_reviews_page_shows_an_overdue_review(client, case):
    lead = case.lead_practitioner
    assessment_save(case_id=case.pk, actor=lead, data=whole(case), complete=True)
    review_record(
        case_id=case.pk,
        actor=lead,
        data=review_of(case, timezone.localdate() - dt.timedelta(weeks=8)),
    )
    sign_in_verified(client, lead)
    html = client.get(f"/cases/{case.pk}/reviews/").content.decode()
    assert "Overdue" in html
