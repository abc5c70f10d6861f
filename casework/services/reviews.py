"""Reviews of Our Family Plan (services and due dates)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from accounts.models import User
from casework import events
from casework.models import (
    OPEN_STATUSES,
    Case,
    CaseStatus,
    Review,
    ReviewPerson,
    WheelDomain,
)
from casework.selectors.cases import people_on_case
from casework.wording import SCALING_MISSING, domain_missing, person_missing
from core import clock
from core.errors import Conflict, Problem, refuse_if_any
from core.history import LIVE, Mode, Rule
from core.periods import local_date


@dataclass(frozen=True)
class ReviewInput:
    held_on: dt.date
    attendees: str
    progress: str
    scaling: int
    wheel: dict[str, int | None]
    person_scores: dict[int, int | None]
    plan_changes: str = ""
    next_review_on: dt.date | None = None


def review_interval() -> dt.timedelta:
    return dt.timedelta(weeks=settings.REVIEW_INTERVAL_WEEKS)


def next_review_due(
    case: Case, last: Review | None, assessed_at: dt.datetime | None
) -> dt.date | None:
    """When the next review falls due: as the last review set it, else one
    interval after the assessment was completed; None before the plan stage."""
    if last is not None:
        return last.next_review_on
    if assessed_at is not None:
        return local_date(assessed_at) + review_interval()
    return None


HELD_IN_FUTURE = "The review date must be today or in the past"
NEXT_BEFORE_THIS = "The next review must come after this one"
NEXT_IN_PAST = "The date of the next review must be today or in the future"


def review_date_problems(
    *, held_on: dt.date, next_review_on: dt.date | None, mode: Mode = LIVE
) -> list[Problem]:
    """What is wrong with a review's dates: it was held today or before; the
    next one comes after it and, when set, is due today or later (history
    keeps the next review the old system set, past or not)."""
    # Against the real present, not a moment ``core.clock`` replays.
    today = timezone.localdate()
    problems: list[Problem] = []
    if held_on > today:
        problems.append(("held_on", HELD_IN_FUTURE))
    next_on = next_review_on or held_on + review_interval()
    if next_on <= held_on:
        problems.append(("next_review_on", NEXT_BEFORE_THIS))
    elif (
        next_review_on is not None
        and next_review_on < today
        and mode.holds(Rule.DUE_DATE_AHEAD)
    ):
        problems.append(("next_review_on", NEXT_IN_PAST))
    return problems


def review_record(
    *, case_id: int, actor: User, data: ReviewInput, mode: Mode = LIVE
) -> Review:
    """Record a review with its scores. Preconditions: ``access.may_work_on``;
    the case is at the plan stage (its assessment is completed)."""
    # Everything wrong is found first and refused at once, each against its
    # field.
    problems = review_date_problems(
        held_on=data.held_on, next_review_on=data.next_review_on, mode=mode
    )
    # History keeps the scores the old system held, without the written
    # record; live reviews are whole.
    whole = mode.holds(Rule.REVIEW_WRITTEN_IN_FULL)
    if whole and not data.attendees.strip():
        problems.append(("attendees", "Enter who attended the review"))
    if whole and not data.progress.strip():
        problems.append(("progress", "Enter the progress made since the plan began"))
    if not 0 <= data.scaling <= 10:
        problems.append(("scaling", SCALING_MISSING))
    for domain in WheelDomain:
        score = data.wheel.get(domain.value)
        if (whole or score is not None) and not 1 <= (score or 0) <= 10:
            problems.append((domain.value, domain_missing(domain)))
    with transaction.atomic():
        case = Case.objects.select_for_update().get(pk=case_id)
        # History keeps the reviews the old system held, with or without an
        # assessment before them, while the case was open.
        if case.status != CaseStatus.PLAN and (
            mode.holds(Rule.REVIEW_AFTER_PLAN) or case.status not in OPEN_STATUSES
        ):
            raise Conflict(
                "Reviews are held once the assessment is completed and the plan is "
                "in place."
            )
        people = list(people_on_case(case.pk))
        for person in people:
            score = data.person_scores.get(person.pk)
            if (whole or score is not None) and not 1 <= (score or 0) <= 10:
                problems.append(
                    (f"person_{person.pk}", person_missing(person.given_name))
                )
        refuse_if_any(problems)
        held_at = (
            clock.now()
            if mode.history
            else dt.datetime.combine(
                data.held_on, dt.time(12), tzinfo=timezone.get_current_timezone()
            )
        )
        review = Review.objects.create(
            case=case,
            held_at=held_at,
            attendees=data.attendees.strip(),
            progress=data.progress.strip(),
            plan_changes=data.plan_changes.strip(),
            scaling=data.scaling,
            next_review_on=data.next_review_on or data.held_on + review_interval(),
            recorded_by=actor,
            **{d: data.wheel.get(d) for d in WheelDomain.values},
        )
        ReviewPerson.objects.bulk_create(
            [
                ReviewPerson(review=review, person=p, score=score)
                for p in people
                if (score := data.person_scores.get(p.pk)) is not None
            ]
        )
        events.review_held(
            case, actor=actor, at=clock.now(), review_id=review.pk
        ).save()
    return review
