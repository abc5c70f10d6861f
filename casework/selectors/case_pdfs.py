"""What the case's PDFs say: Our Family Plan in the family's words, and the
case summary for the team. Each reads the case in a fixed number of queries,
however many outcomes, actions, reviews or notes it has."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from django.db.models import Prefetch
from django.utils import timezone

from accounts.models import User
from casework.models import (
    ActionStatus,
    Assessment,
    AssessmentPerson,
    Case,
    CaseClosure,
    CaseStatus,
    PlanAction,
    PlanOutcome,
    Review,
    ReviewPerson,
    WheelDomain,
)
from casework.selectors.cases import case_team, people_on_case
from casework.selectors.consent import (
    case_consents,
    latest_consents,
    override_of,
    withdrawal_of,
)
from casework.selectors.names import FamilyName, case_family_name
from core.codes import MemberRole

# Each part of the family wheel, as a family would say it.
DOMAIN_FOR_FAMILIES = {
    WheelDomain.HEALTHY_LIFESTYLES: "Staying healthy",
    WheelDomain.RELATIONSHIPS: "Getting on well together",
    WheelDomain.LEARNING_DEVELOPMENT: "Learning and growing",
    WheelDomain.COMMUNITY_ENGAGEMENT: "Being part of the community",
    WheelDomain.SAFEGUARDING: "Keeping everyone safe",
}

# Where an action stands, as a family would say it.
STATUS_FOR_FAMILIES = {
    ActionStatus.NOT_STARTED: "Not started yet",
    ActionStatus.IN_PROGRESS: "Happening now",
    ActionStatus.DONE: "Done",
    ActionStatus.CANCELLED: "No longer needed",
}


def case_for_documents(case_id: int) -> Case:
    """The case with what every PDF shows of it: family, locality, and its lead
    practitioner with their organisation."""
    return Case.objects.select_related(
        "family", "locality", "lead_practitioner__organisation"
    ).get(pk=case_id)


def local_day(moment: dt.datetime | None) -> dt.date | None:
    return timezone.localtime(moment).date() if moment is not None else None


@dataclass(frozen=True)
class PlanActionLine:
    what: str
    who: str
    service: str  # the community service's name, or ""
    service_contact: str
    due_on: dt.date
    status: str  # in plain words
    status_code: str


@dataclass(frozen=True)
class PlanOutcomeLine:
    text: str
    domain: str  # the part of the family wheel, in plain words
    domain_label: str  # as practitioners name it
    actions: list[PlanActionLine] = field(default_factory=list)


def _who(action: PlanAction, *, for_family: bool) -> str:
    if action.owner_is_family or action.owner is None:
        return "Your family" if for_family else "The family"
    owner = action.owner
    organisation = owner.organisation.name if owner.organisation else ""
    return (
        f"{owner.display_name}, {organisation}" if organisation else owner.display_name
    )


def plan_lines(case: Case, *, for_family: bool) -> list[PlanOutcomeLine]:
    """The plan's outcomes, oldest first, each with its actions by due date:
    what, who (the owner and their organisation, or the family; and the
    community service that delivers it), by when, and the status — in plain
    words when ``for_family``. Two queries."""
    outcomes = PlanOutcome.objects.filter(case=case).prefetch_related(
        Prefetch(
            "actions",
            queryset=PlanAction.objects.select_related(
                "owner__organisation", "community_service"
            ),
        )
    )
    lines = []
    for outcome in outcomes:
        domain = WheelDomain(outcome.domain)
        lines.append(
            PlanOutcomeLine(
                text=outcome.text,
                domain=DOMAIN_FOR_FAMILIES[domain],
                domain_label=str(domain.label),
                actions=[
                    PlanActionLine(
                        what=action.what,
                        who=_who(action, for_family=for_family),
                        service=action.community_service.name
                        if action.community_service
                        else "",
                        service_contact=action.community_service.contact
                        if action.community_service
                        else "",
                        due_on=action.due_on,
                        status=STATUS_FOR_FAMILIES[ActionStatus(action.status)]
                        if for_family
                        else action.get_status_display(),
                        status_code=action.status,
                    )
                    for action in outcome.actions.all()
                ],
            )
        )
    return lines


def family_plan_document(case: Case) -> dict[str, Any]:
    """What Our Family Plan PDF shows: the family's name, the plan in plain
    words, and who leads the work with the family and how to reach them."""
    family: FamilyName = case_family_name(case.pk)
    lead: User = case.lead_practitioner
    return {
        "family": family,
        "family_named": family.title != f"Case {case.pk}",
        "outcomes": plan_lines(case, for_family=True),
        "lead": lead,
        "lead_organisation": lead.organisation.name if lead.organisation else "",
        "closed": case.status == CaseStatus.CLOSED,
    }


@dataclass(frozen=True)
class ConsentLine:
    """One person's consent to one purpose, as it stands: whom it covers, to
    what, whether it stands, by whom and when it was given."""

    about: str
    what: str
    status: str
    given_by: str
    given_on: dt.date | None


def case_consent(case: Case) -> list[ConsentLine]:
    """Consent as recorded on the case today: each person's consent that
    stands for each purpose (the records kept per person,
    ``selectors.consent``), oldest first, with its withdrawal and any
    override. One query."""
    lines = []
    for consent in latest_consents(case_consents(case.pk)).values():
        withdrawal = withdrawal_of(consent)
        if withdrawal is None:
            status = "Given"
        else:
            status = f"Withdrawn {withdrawal.withdrawn_on:%-d %B %Y}"
            if override_of(withdrawal) is not None:
                status += "; a manager keeps the team's access (safeguarding)"
        what = consent.get_purpose_display()
        if consent.agencies:
            what = f"{what}: {consent.agencies}"
        given_by = consent.get_given_by_display()
        if consent.given_by_name:
            given_by = f"{given_by}, {consent.given_by_name}"
        person = consent.person
        lines.append(
            ConsentLine(
                about=f"{person.given_name} {person.family_name}".strip(),
                what=str(what),
                status=status,
                given_by=str(given_by),
                given_on=consent.given_on,
            )
        )
    return lines


def _wheel(record: Any) -> list[tuple[str, int | None]]:
    return [(str(d.label), getattr(record, d.value)) for d in WheelDomain]


def case_summary_document(case: Case) -> dict[str, Any]:
    """What the case summary PDF shows the team: the people, consent, the
    assessment, the plan, the reviews, the closure and the chronology's
    significant events. A fixed number of queries."""
    family = case_family_name(case.pk)
    people = list(people_on_case(case.pk))
    assessment = (
        Assessment.objects.filter(case=case)
        .select_related("completed_by")
        .prefetch_related(
            Prefetch(
                "people",
                queryset=AssessmentPerson.objects.select_related("person").order_by(
                    "person__role", "person__date_of_birth", "person_id"
                ),
            )
        )
        .first()
    )
    reviews = list(
        Review.objects.filter(case=case)
        .select_related("recorded_by")
        .prefetch_related(
            Prefetch(
                "people",
                queryset=ReviewPerson.objects.select_related("person").order_by(
                    "person__role", "person__date_of_birth", "person_id"
                ),
            )
        )
    )
    closure = (
        CaseClosure.objects.filter(case=case)
        .select_related("closed_by", "signed_off_by")
        .first()
    )
    significant = list(
        case.notes.filter(significant=True)
        .select_related("author")
        .order_by("happened_at", "pk")
    )
    return {
        "family": family,
        "people": [
            {
                "name": f"{p.given_name} {p.family_name}".strip(),
                "date_of_birth": p.date_of_birth,
                "expected": p.expected,
                "relationship": p.get_relationship_display()
                if p.relationship
                else ("Child" if p.role == MemberRole.CHILD else "Adult"),
                "role": p.get_role_display(),
            }
            for p in people
        ],
        "consent": case_consent(case),
        "team": case_team(case),
        "assessment": assessment,
        "assessment_completed_on": local_day(assessment.completed_at)
        if assessment
        else None,
        "assessment_answers": _assessment_answers(assessment),
        "assessment_wheel": _wheel(assessment) if assessment else [],
        "assessment_people": list(assessment.people.all()) if assessment else [],
        "outcomes": plan_lines(case, for_family=False),
        "reviews": [
            {
                "review": review,
                "held_on": local_day(review.held_at),
                "wheel": _wheel(review),
                "people": list(review.people.all()),
            }
            for review in reviews
        ],
        "closure": closure,
        "closure_closed_on": local_day(closure.closed_at) if closure else None,
        "closure_signed_off_on": local_day(closure.signed_off_at) if closure else None,
        "closure_wheel": _wheel(closure) if closure else [],
        "significant": [
            {
                "on": local_day(note.happened_at),
                "kind": note.get_kind_display(),
                "who": note.author.display_name,
                "text": note.text,
            }
            for note in significant
        ],
        "status": case.get_status_display(),
        "opened_on": local_day(case.opened_at),
        "closed_on": local_day(case.closed_at),
    }


# The assessment's written answers, each with its question as the page asks it.
ASSESSMENT_QUESTIONS = {
    "worries": "What we are worried about",
    "working_well": "What is working well",
    "needs_to_happen": "What needs to happen",
    "family_voice": "The family's voice",
}


def _assessment_answers(assessment: Assessment | None) -> list[tuple[str, str]]:
    """The assessment's answers that were given, each with its question."""
    if assessment is None:
        return []
    answers = [
        (question, getattr(assessment, name))
        for name, question in ASSESSMENT_QUESTIONS.items()
    ]
    out = [(question, text) for question, text in answers if text.strip()]
    if assessment.scaling is not None:
        out.append(
            (
                "The family's scaling (0 to 10: how close things are to being "
                "good enough to close)",
                str(assessment.scaling),
            )
        )
    return out
