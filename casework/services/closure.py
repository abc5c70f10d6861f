"""Closing a case (services): reason, scores, the children's answers, feedback,
sign-off, and the post-closure check 3 calendar months later."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

from django.db import transaction
from django.utils import timezone

from accounts.models import User
from casework import events
from casework.models import (
    Answer,
    Assessment,
    Case,
    CaseClosure,
    CasePerson,
    CaseStatus,
    ClosurePerson,
    ClosureReason,
    PostClosureCheck,
    SocialCareReferral,
    WheelDomain,
)
from casework.selectors.cases import people_on_case
from casework.selectors.closure import open_plan_actions
from casework.transitions import can_move
from casework.wording import domain_missing, person_missing
from core import clock
from core.errors import Conflict, InvalidInput, Problem, refuse_if_any
from core.history import LIVE, Mode, Rule
from core.periods import add_months_to_moment
from families.models import Person

POST_CLOSURE_MONTHS = 3


@dataclass(frozen=True)
class ClosureInput:
    reason: str
    wheel: dict[str, int | None] = field(default_factory=dict)
    person_scores: dict[int, int | None] = field(default_factory=dict)
    # person id → {"happy": "yes", "healthy": "no", "safe": "not_asked"}
    children: dict[int, dict[str, str]] = field(default_factory=dict)
    feedback_score: int | None = None
    feedback_comment: str = ""
    # The practitioner has checked the plan's open actions (needed only when
    # there are any).
    open_actions_checked: bool = False


OPEN_ACTIONS_UNCHECKED = (
    "Confirm that you have checked the plan's open actions before closing the case"
)


def _check(data: ClosureInput, case: Case, people: list[Person], mode: Mode) -> None:
    """Everything wrong with the closure, refused at once (each against its
    field)."""
    problems: list[Problem] = []
    if data.reason not in ClosureReason.values:
        problems.append(("reason", "Select a reason for closing the case"))
    if data.feedback_score is not None and not 1 <= data.feedback_score <= 5:
        problems.append(
            (
                "feedback_score",
                "Select how helpful the family found early help, from 1 to 5",
            )
        )
    for child, answers in data.children.items():
        for question, answer in answers.items():
            if (
                question not in ("happy", "healthy", "safe")
                or answer not in Answer.values
            ):
                problems.append(
                    (
                        f"{question}_{child}",
                        "Answer happy, healthy and safe with yes, no or not asked",
                    )
                )
    if data.reason == ClosureReason.OUTCOMES_MET:
        completed = Assessment.objects.filter(
            case=case, completed_at__isnull=False
        ).exists()
        if not completed and mode.holds(Rule.BASELINE_BEFORE_OUTCOMES_MET):
            problems.append(
                (
                    "reason",
                    "A case can close with outcomes met only after its Early Help "
                    "Assessment is completed: there is no baseline to measure "
                    "progress against.",
                )
            )
        # History keeps the scores the old system held.
        if mode.holds(Rule.CLOSURE_SCORED):
            for domain in WheelDomain:
                if data.wheel.get(domain.value) is None:
                    problems.append(
                        (domain.value, domain_missing(domain, at_closure=True))
                    )
            for person in people:
                if data.person_scores.get(person.pk) is None:
                    problems.append(
                        (
                            f"person_{person.pk}",
                            person_missing(person.given_name, at_closure=True),
                        )
                    )
    if (
        not data.open_actions_checked
        and mode.holds(Rule.OPEN_ACTIONS_CHECKED)
        and open_plan_actions(case.pk).exists()
    ):
        problems.append(("open_actions_checked", OPEN_ACTIONS_UNCHECKED))
    refuse_if_any(problems)


def case_close(
    *, case_id: int, actor: User, data: ClosureInput, mode: Mode = LIVE
) -> CaseClosure:
    """Close a case. Preconditions: the caller checked ``access.may_work_on``.
    While the plan has open actions, the practitioner must say they checked
    them (``open_actions_checked``); every problem is refused at once.
    Locks the case: of two closures at the same moment, one succeeds and the
    other gets ``Conflict``. Schedules the post-closure check."""
    now = clock.now()
    with transaction.atomic():
        case = Case.objects.select_for_update().get(pk=case_id)
        if not can_move(case.status, CaseStatus.CLOSED):
            raise Conflict("This case is already closed. Nothing was changed.")
        people = list(people_on_case(case.pk))
        _check(data, case, people, mode)
        # A reopened case closes again: its earlier closure is replaced, the
        # events keep the history.
        CaseClosure.objects.filter(case=case).delete()
        closure = CaseClosure.objects.create(
            case=case,
            closed_at=now,
            closed_by=actor,
            reason=data.reason,
            family_feedback_score=data.feedback_score,
            family_feedback_comment=data.feedback_comment.strip(),
            **{domain: data.wheel.get(domain) for domain in WheelDomain.values},
        )
        ClosurePerson.objects.bulk_create(
            [
                ClosurePerson(
                    closure=closure,
                    person=person,
                    score=data.person_scores.get(person.pk),
                    **(
                        {
                            q: data.children.get(person.pk, {}).get(q, Answer.NOT_ASKED)
                            for q in ("happy", "healthy", "safe")
                        }
                        if person.role == "child"
                        else {}
                    ),
                )
                for person in people
            ]
        )
        case.status = CaseStatus.CLOSED
        case.closed_at = now
        case.save(update_fields=["status", "closed_at", "updated_at"])
        PostClosureCheck.objects.update_or_create(
            case=case,
            defaults={
                "closed_at": now,
                "window_end": add_months_to_moment(now, POST_CLOSURE_MONTHS),
                "done_at": None,
                "results": {},
            },
        )
        events.closed(case, actor=actor, at=now, reason=data.reason).save()
    return closure


def sign_off_refusal(closure: CaseClosure | None, actor: User) -> str | None:
    """Why ``actor`` (a manager of the case's locality) may not sign this
    closure off, if they may not: the case is not closed, the closure is
    signed off already, or they made it themselves."""
    if closure is None:
        return "The case is not closed."
    if closure.signed_off_at is not None:
        return "The closure is already signed off."
    if closure.closed_by_id == actor.pk:
        return "Another manager must sign off a closure you made."
    return None


def case_closure_sign_off(*, case_id: int, actor: User) -> CaseClosure:
    """A locality manager signs the closure off. Preconditions: the caller
    manages the case's locality."""
    now = clock.now()
    with transaction.atomic():
        case = Case.objects.select_for_update().get(pk=case_id)
        closure = (
            CaseClosure.objects.filter(case=case).first()
            if case.status == CaseStatus.CLOSED
            else None
        )
        refusal = sign_off_refusal(closure, actor)
        if refusal or closure is None:
            raise Conflict(refusal or "The case is not closed.")
        closure.signed_off_by = actor
        closure.signed_off_at = now
        closure.save(update_fields=["signed_off_by", "signed_off_at", "updated_at"])
        events.closure_signed_off(case_id, actor=actor, at=now).save()
    return closure


def _children_with_new_support_form(
    children: list[int], window: tuple[datetime, datetime]
) -> set[int]:
    """The children named on a support form received in the window (not closed as
    a duplicate or withdrawn): linked to them by triage, or, when triage has not
    linked it yet, with the same names and date of birth."""
    from django.db.models import Q

    from family_connect.models import (
        FamilyConnectForm,
        FormMember,
        FormStatus,
        RequestType,
    )

    people = {p.pk: p for p in Person.objects.filter(pk__in=children)}
    forms = FamilyConnectForm.objects.filter(
        request_type=RequestType.SUPPORT,
        received_at__gt=window[0],
        received_at__lte=window[1],
    ).exclude(status__in=[FormStatus.DUPLICATE, FormStatus.WITHDRAWN])
    same_child = Q(person_id__in=children)
    for person in people.values():
        if person.date_of_birth is not None:
            same_child |= Q(
                person__isnull=True,
                date_of_birth=person.date_of_birth,
                given_name__iexact=person.given_name,
                family_name__iexact=person.family_name,
            )
    found: set[int] = set()
    for member in FormMember.objects.filter(same_child, form__in=forms):
        if member.person_id in people:
            found.add(member.person_id)
            continue
        for person in people.values():
            if (
                member.date_of_birth == person.date_of_birth
                and member.given_name.casefold() == person.given_name.casefold()
                and member.family_name.casefold() == person.family_name.casefold()
            ):
                found.add(person.pk)
    return found


def post_closure_checks_run(*, now: datetime | None = None, limit: int = 500) -> int:
    """Complete the post-closure checks whose window has ended: for each child,
    whether a social care referral or a new support form for them arrived in
    ``(closed_at, window_end]``. Idempotent: a done check is not redone."""
    moment = now or timezone.now()
    done = 0
    due = PostClosureCheck.objects.filter(
        done_at__isnull=True, window_end__lte=moment
    ).order_by("window_end")[:limit]
    for check_id in list(due.values_list("pk", flat=True)):
        with transaction.atomic():
            check = (
                PostClosureCheck.objects.select_for_update()
                .filter(pk=check_id, done_at__isnull=True)
                .first()
            )
            if check is None:
                continue
            window = (check.closed_at, check.window_end)
            children = list(
                CasePerson.objects.filter(
                    case_id=check.case_id, person__role="child"
                ).values_list("person_id", flat=True)
            )
            referred = set(
                SocialCareReferral.objects.filter(
                    person_id__in=children,
                    referred_at__gt=window[0],
                    referred_at__lte=window[1],
                ).values_list("person_id", flat=True)
            )
            new_form = _children_with_new_support_form(children, window)
            check.results = {
                str(pk): {
                    "social_care_referral": pk in referred,
                    "new_support_form": pk in new_form,
                }
                for pk in children
            }
            check.done_at = moment
            check.save(update_fields=["results", "done_at"])
            done += 1
    return done


def case_reopen(*, case_id: int, actor: User, reason: str) -> Case:
    """Reopen a case closed within the last 28 days, back to ``plan``; its
    post-closure check is cancelled. Preconditions: ``access.may_work_on``."""
    from casework.transitions import REOPEN_WITHIN

    reason = (reason or "").strip()
    if not reason:
        raise InvalidInput("Enter why the case is reopening", field="reason")
    now = clock.now()
    with transaction.atomic():
        case = Case.objects.select_for_update().get(pk=case_id)
        if not can_move(case.status, CaseStatus.PLAN) or case.closed_at is None:
            raise Conflict("Only a closed case can be reopened.")
        if now - case.closed_at > REOPEN_WITHIN:
            raise Conflict(
                "The case closed more than 28 days ago: ask for a new Family "
                "Connect Form instead."
            )
        case.status = CaseStatus.PLAN
        case.closed_at = None
        case.save(update_fields=["status", "closed_at", "updated_at"])
        # The case is open again: its closure (kept in the events) no longer
        # counts, and there is nothing to check three months on.
        CaseClosure.objects.filter(case=case).delete()
        PostClosureCheck.objects.filter(case=case, done_at__isnull=True).delete()
        events.reopened(case, actor=actor, at=now, reason=reason).save()
    return case
