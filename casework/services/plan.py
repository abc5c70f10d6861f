"""Our Family Plan (services): outcomes, actions and their progress."""

from __future__ import annotations

import datetime as dt

from django.db import transaction

from accounts.models import User
from casework import events
from casework.access import may_work_on
from casework.models import (
    OPEN_STATUSES,
    ActionStatus,
    Case,
    CaseMember,
    PlanAction,
    PlanOutcome,
    WheelDomain,
)
from casework.selectors.plan import plan_community_services
from core import clock
from core.change_log import change_record
from core.errors import Conflict, InvalidInput, NotAllowed, Problem, refuse_if_any
from core.periods import before_today
from localities.models import CommunityService

PAST_DUE_DATE = "The due date must be today or in the future"


def _open_case(case_id: int) -> Case:
    case = Case.objects.select_for_update().get(pk=case_id)
    if case.status not in OPEN_STATUSES:
        raise Conflict("The case is closed: the plan cannot change.")
    return case


OWNER_MISSING = "Select who will do it: a member of the team or the family"


def _action_problems(
    case: Case,
    *,
    what: str,
    owner: User | None,
    owner_is_family: bool,
    owner_before: object,
    due_on: dt.date,
    due_before: dt.date | None,
    community_service: CommunityService | None,
    service_before: int | None,
) -> list[Problem]:
    """Everything wrong with an action's what, who, by when and service, by
    field. An action keeps the owner, due date and service it has already (an
    owner since off the team, a date since passed, a service since closed)."""
    problems: list[Problem] = []
    if not what:
        problems.append(("what", "Enter what will be done"))
    if (owner is None) == (not owner_is_family):
        problems.append(("owner", OWNER_MISSING))
    elif (
        owner is not None
        and owner.pk != owner_before
        and not CaseMember.objects.filter(case=case, user=owner).exists()
    ):
        problems.append(("owner", "The owner must be on the team around the family"))
    problem = due_date_problem(before=due_before, after=due_on)
    if problem:
        problems.append(("due_on", problem))
    # A named service is an active one of the directory for the case's
    # locality or the whole city.
    if (
        community_service is not None
        and community_service.pk != service_before
        and not plan_community_services(case).filter(pk=community_service.pk).exists()
    ):
        problems.append(
            (
                "community_service",
                "Choose a service from the directory for the family's area",
            )
        )
    return problems


def _outcome_problems(text: str, domain: str) -> list[Problem]:
    problems: list[Problem] = []
    if not text:
        problems.append(("text", "Enter the outcome, in the family's words"))
    if domain not in WheelDomain.values:
        problems.append(("domain", "Choose the part of the family wheel it is about"))
    return problems


def plan_outcome_add(
    *, case_id: int, actor: User, text: str, domain: str
) -> PlanOutcome:
    """Add a family-set outcome. Preconditions: ``access.may_work_on``."""
    text = (text or "").strip()
    refuse_if_any(_outcome_problems(text, domain))
    with transaction.atomic():
        case = _open_case(case_id)
        outcome = PlanOutcome.objects.create(
            case=case, text=text, domain=domain, created_by=actor
        )
        events.plan_outcome_added(
            case, actor=actor, at=clock.now(), outcome_id=outcome.pk
        ).save()
    return outcome


def plan_action_add(
    *,
    case_id: int,
    actor: User,
    outcome_id: int,
    what: str,
    owner: User | None,
    owner_is_family: bool,
    due_on: dt.date,
    community: bool,
    community_service: CommunityService | None = None,
) -> PlanAction:
    """Add an action towards an outcome, owned by a team member or the family,
    perhaps delivered by a service of the community services directory (which
    makes it a community action). Preconditions: ``access.may_work_on``."""
    what = (what or "").strip()
    with transaction.atomic():
        case = _open_case(case_id)
        # Everything wrong is found first and refused at once.
        problems: list[Problem] = []
        outcome = PlanOutcome.objects.filter(pk=outcome_id, case=case).first()
        if outcome is None:
            problems.append(("outcome", "Choose one of the plan's outcomes"))
        problems += _action_problems(
            case,
            what=what,
            owner=owner,
            owner_is_family=owner_is_family,
            owner_before=None,
            due_on=due_on,
            due_before=None,
            community_service=community_service,
            service_before=None,
        )
        refuse_if_any(problems)
        assert outcome is not None  # refused above
        action = PlanAction.objects.create(
            case=case,
            outcome=outcome,
            what=what,
            owner=owner,
            owner_is_family=owner_is_family,
            due_on=due_on,
            community=community or community_service is not None,
            community_service=community_service,
        )
        events.plan_action_added(
            case, actor=actor, at=clock.now(), action_id=action.pk
        ).save()
    return action


def plan_action_progress(*, action_id: int, actor: User, status: str) -> PlanAction:
    """Update an action's status: its owner (any organisation), or whoever works
    the case. Everybody else is refused."""
    if status not in ActionStatus.values:
        raise InvalidInput("Choose the action's status", field="status")
    with transaction.atomic():
        action = (
            PlanAction.objects.select_for_update()
            .select_related("case")
            .get(pk=action_id)
        )
        if action.owner_id != actor.pk and not may_work_on(actor, action.case):
            raise NotAllowed(
                "Only the action's owner or the case's workers can update it."
            )
        _open_case(action.case_id)
        before = action.status
        action.status = status
        action.save(update_fields=["status", "updated_at"])
        events.plan_action_updated(
            action.case_id,
            actor=actor,
            at=clock.now(),
            action_id=action.pk,
            before=before,
            after=status,
        ).save()
    return action


def due_date_problem(*, before: dt.date | None, after: dt.date) -> str | None:
    """Why a due date set on an action is refused, if it is: a new date must be
    today or later; an action already overdue may keep the date it has
    (``before``, None for a new action)."""
    if after != before and before_today(after):
        return PAST_DUE_DATE
    return None


def _changes(
    before: dict[str, object], after: dict[str, object]
) -> dict[str, dict[str, object]]:
    return {
        name: {"from": before[name], "to": after[name]}
        for name in after
        if before[name] != after[name]
    }


def _logged(changes: dict[str, dict[str, object]]) -> tuple[dict, dict]:
    return (
        {name: change["from"] for name, change in changes.items()},
        {name: change["to"] for name, change in changes.items()},
    )


def plan_outcome_edit(
    *, outcome_id: int, actor: User, text: str, domain: str
) -> tuple[PlanOutcome, bool]:
    """Correct an outcome's words or its part of the family wheel, on an open
    case. Preconditions: ``access.may_work_on`` for the outcome's case. Records
    what changed (before and after) in the case's events and the change log;
    returns whether anything changed — nothing is recorded when nothing did."""
    text = (text or "").strip()
    refuse_if_any(_outcome_problems(text, domain))
    with transaction.atomic():
        outcome = PlanOutcome.objects.select_for_update().get(pk=outcome_id)
        _open_case(outcome.case_id)
        changes = _changes(
            {"text": outcome.text, "domain": outcome.domain},
            {"text": text, "domain": domain},
        )
        if not changes:
            return outcome, False
        outcome.text, outcome.domain = text, domain
        outcome.save(update_fields=[*changes, "updated_at"])
        events.plan_outcome_edited(
            outcome.case_id,
            actor=actor,
            at=clock.now(),
            outcome_id=outcome.pk,
            changes=changes,
        ).save()
        before, after = _logged(changes)
        change_record(actor=actor, obj=outcome, before=before, after=after)
    return outcome, True


def plan_action_edit(
    *,
    action_id: int,
    actor: User,
    what: str,
    owner: User | None,
    owner_is_family: bool,
    due_on: dt.date,
    community: bool,
    community_service: CommunityService | None,
) -> tuple[PlanAction, bool]:
    """Correct an action: what, who (a member of the team or the family), by
    when and whether a community resource — perhaps a service of the
    directory — delivers it, on an open case.
    Preconditions: ``access.may_work_on`` for the action's case. A new due date
    must be today or later; the owner must be on the team unless they are the
    owner already. Records the changes (before and after) in the case's events
    and the change log; returns whether anything changed."""
    what = (what or "").strip()
    with transaction.atomic():
        action = PlanAction.objects.select_for_update().get(pk=action_id)
        case = _open_case(action.case_id)
        new_owner = "family" if owner is None else owner.pk
        old_owner = "family" if action.owner_is_family else action.owner_id
        # Everything wrong is found first and refused at once.
        refuse_if_any(
            _action_problems(
                case,
                what=what,
                owner=owner,
                owner_is_family=owner_is_family,
                owner_before=old_owner,
                due_on=due_on,
                due_before=action.due_on,
                community_service=community_service,
                service_before=action.community_service_id,
            )
        )
        community = community or community_service is not None
        changes = _changes(
            {
                "what": action.what,
                "owner": old_owner,
                "due_on": action.due_on.isoformat(),
                "community": action.community,
                "community_service": action.community_service_id,
            },
            {
                "what": what,
                "owner": new_owner,
                "due_on": due_on.isoformat(),
                "community": community,
                "community_service": community_service.pk
                if community_service
                else None,
            },
        )
        if not changes:
            return action, False
        action.what = what
        action.owner = owner
        action.owner_is_family = owner is None
        action.due_on = due_on
        action.community = community
        action.community_service = community_service
        fields = list(changes)
        if "owner" in changes:
            fields.append("owner_is_family")
        action.save(update_fields=[*fields, "updated_at"])
        events.plan_action_edited(
            case, actor=actor, at=clock.now(), action_id=action.pk, changes=changes
        ).save()
        before, after = _logged(changes)
        change_record(actor=actor, obj=action, before=before, after=after)
    return action, True
