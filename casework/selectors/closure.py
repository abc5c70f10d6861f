"""What the practitioner is warned about before closing a case."""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import QuerySet

from casework.models import ActionStatus, Assessment, PlanAction
from core.codes import MemberRole
from families.models import Person

CLOSED_ACTION = (ActionStatus.DONE, ActionStatus.CANCELLED)


def open_plan_actions(case_id: int) -> QuerySet[PlanAction]:
    """The plan's actions neither done nor cancelled, with who owns them."""
    return (
        PlanAction.objects.filter(case_id=case_id)
        .exclude(status__in=CLOSED_ACTION)
        .select_related("owner")
        .order_by("due_on", "pk")
    )


@dataclass(frozen=True)
class MissingAnswer:
    person: Person
    what: str


def children_without_answers(case_id: int, people: list[Person]) -> list[MissingAnswer]:
    """Each child on the case whose voice, or whose score, the baseline
    assessment does not hold: the closure has nothing of theirs to be
    measured against."""
    children = [p for p in people if p.role == MemberRole.CHILD]
    if not children:
        return []
    assessment = (
        Assessment.objects.filter(case_id=case_id).prefetch_related("people").first()
    )
    recorded = {p.person_id: p for p in assessment.people.all()} if assessment else {}
    missing: list[MissingAnswer] = []
    for child in children:
        answer = recorded.get(child.pk)
        if answer is None or not answer.voice.strip():
            missing.append(MissingAnswer(child, "the child's voice"))
        if answer is None or answer.score is None:
            missing.append(MissingAnswer(child, "a baseline score"))
    return missing
