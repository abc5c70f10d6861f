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
from core import clock
from core.errors import Conflict, InvalidInput, NotAllowed


def _open_case(case_id: int) -> Case:
    case = Case.objects.select_for_update().get(pk=case_id)
    if case.status not in OPEN_STATUSES:
        raise Conflict("The case is closed: the plan cannot change.")
    return case


def plan_outcome_add(
    *, case_id: int, actor: User, text: str, domain: str
) -> PlanOutcome:
    """Add a family-set outcome. Preconditions: ``access.may_work_on``."""
    text = (text or "").strip()
    if not text:
        raise InvalidInput("Enter the outcome, in the family's words", field="text")
    if domain not in WheelDomain.values:
        raise InvalidInput(
            "Choose the part of the family wheel it is about", field="domain"
        )
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
) -> PlanAction:
    """Add an action towards an outcome, owned by a team member or the family.
    Preconditions: ``access.may_work_on``."""
    what = (what or "").strip()
    if not what:
        raise InvalidInput("Enter what will be done", field="what")
    if (owner is None) == (not owner_is_family):
        raise InvalidInput(
            "Choose who will do it: a member of the team or the family", field="owner"
        )
    with transaction.atomic():
        case = _open_case(case_id)
        outcome = PlanOutcome.objects.filter(pk=outcome_id, case=case).first()
        if outcome is None:
            raise InvalidInput("Choose one of the plan's outcomes", field="outcome")
        if (
            owner is not None
            and not CaseMember.objects.filter(case=case, user=owner).exists()
        ):
            raise InvalidInput(
                "The owner must be on the team around the family", field="owner"
            )
        action = PlanAction.objects.create(
            case=case,
            outcome=outcome,
            what=what,
            owner=owner,
            owner_is_family=owner_is_family,
            due_on=due_on,
            community=community,
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
