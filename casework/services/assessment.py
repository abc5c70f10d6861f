"""Writing the Early Help Assessment (services).

Saving the first answers moves a case from ``allocated`` to ``assessment``;
completing it — every answer the baseline needs — moves it to ``plan``.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from django.db import transaction

from accounts.models import User
from casework import events
from casework.models import (
    Assessment,
    AssessmentPerson,
    Case,
    CaseEvent,
    CaseStatus,
    WheelDomain,
)
from casework.selectors.cases import people_on_case
from casework.transitions import can_move
from casework.wording import SCALING_MISSING, domain_missing, person_missing
from core import clock
from core.errors import Conflict, Problem, refuse_if_any
from core.history import LIVE, Mode, Rule
from families.models import Person

TEXTS = ("worries", "working_well", "needs_to_happen", "family_voice")


@dataclass(frozen=True)
class AssessmentInput:
    worries: str = ""
    working_well: str = ""
    needs_to_happen: str = ""
    family_voice: str = ""
    scaling: int | None = None
    wheel: dict[str, int | None] = field(default_factory=dict)
    person_scores: dict[int, int | None] = field(default_factory=dict)
    child_voices: dict[int, str] = field(default_factory=dict)


def _missing(data: AssessmentInput, people: list[Person]) -> list[Problem]:
    missing: list[Problem] = []
    for name, label in (
        ("worries", "what we are worried about"),
        ("working_well", "what is working well"),
        ("needs_to_happen", "what needs to happen"),
    ):
        if not getattr(data, name).strip():
            missing.append((name, f"Enter {label}"))
    if data.scaling is None:
        missing.append(("scaling", SCALING_MISSING))
    for domain in WheelDomain:
        if data.wheel.get(domain.value) is None:
            missing.append((domain.value, domain_missing(domain)))
    for person in people:
        if data.person_scores.get(person.pk) is None:
            missing.append((f"person_{person.pk}", person_missing(person.given_name)))
    return missing


def assessment_save(
    *,
    case_id: int,
    actor: User,
    data: AssessmentInput,
    complete: bool,
    mode: Mode = LIVE,
) -> Assessment:
    """Save the assessment; with ``complete`` it must be whole and the case moves
    to ``plan``. Preconditions: the caller checked ``access.may_work_on``. A
    completed assessment is the baseline and cannot be changed."""
    now = clock.now()
    with transaction.atomic():
        case = Case.objects.select_for_update().get(pk=case_id)
        if case.status == CaseStatus.CLOSED:
            raise Conflict("The case is closed.")
        assessment, _ = Assessment.objects.get_or_create(case=case)
        if assessment.completed_at is not None:
            raise Conflict(
                "The assessment was completed on "
                f"{assessment.completed_at:%-d %B %Y} and is the baseline: it "
                "cannot be changed. Record new scores in a review."
            )
        people = list(people_on_case(case.pk))
        # History keeps what the old system held: its scores, without the
        # written questions.
        if complete and mode.holds(Rule.ASSESSMENT_WRITTEN_IN_FULL):
            # Every gap at once, each against its question.
            refuse_if_any(_missing(data, people))
        for name in TEXTS:
            setattr(assessment, name, getattr(data, name).strip())
        assessment.scaling = data.scaling
        for domain in WheelDomain.values:
            setattr(assessment, domain, data.wheel.get(domain))
        if complete:
            assessment.completed_at = now
            assessment.completed_by = actor
        assessment.save()
        known = {p.pk for p in people}
        AssessmentPerson.objects.filter(assessment=assessment).delete()
        AssessmentPerson.objects.bulk_create(
            [
                AssessmentPerson(
                    assessment=assessment,
                    person_id=pk,
                    score=data.person_scores.get(pk),
                    voice=data.child_voices.get(pk, "").strip(),
                )
                for pk in sorted(known)
            ]
        )
        rows = []
        if case.status == CaseStatus.ALLOCATED and can_move(
            case.status, CaseStatus.ASSESSMENT
        ):
            case.status = CaseStatus.ASSESSMENT
            rows.append(events.assessment_started(case, actor=actor, at=now))
        if complete:
            # A case reopened before its assessment was completed is at the plan
            # stage already: completing the assessment gives it its baseline.
            if case.status != CaseStatus.PLAN and not can_move(
                case.status, CaseStatus.PLAN
            ):
                raise Conflict("The case is not at the assessment stage.")
            case.status = CaseStatus.PLAN
            rows.append(events.assessment_completed(case, actor=actor, at=now))
        case.save(update_fields=["status", "updated_at"])
        CaseEvent.objects.bulk_create(rows)
    return assessment
