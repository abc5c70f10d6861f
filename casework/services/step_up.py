"""Stepping up to children's social care (services): from an open case, or at
triage for the children on a form (and withdrawing that step-up), and the
outcome social care records."""

from __future__ import annotations

from datetime import datetime

from django.db import transaction

from accounts.models import User
from casework import events
from casework.models import (
    OPEN_STATUSES,
    Case,
    SocialCareReferral,
    StepUpOutcome,
)
from casework.services.cases import family_and_people_for_form
from core import clock
from core.change_log import change_record, fields_of
from core.codes import MemberRole
from core.errors import Conflict, InvalidInput
from core.history import LIVE, Mode, Rule
from families.models import Person
from family_connect.models import FamilyConnectForm


def social_care_referrals_for_step_up(
    *, form: FamilyConnectForm, actor: User, at: datetime, reason: str
) -> list[SocialCareReferral]:
    """A referral to social care for every child on a form stepped up at triage,
    dated at the decision (PRODUCT §6). Preconditions: inside the caller's
    transaction with the form locked."""
    _family, members = family_and_people_for_form(form)
    referrals = [
        SocialCareReferral(
            person=member.person,
            referred_at=at,
            source=SocialCareReferral.Source.TRIAGE,
            form=form,
            reason=reason,
            recorded_by=actor,
        )
        for member in members
        if member.role == MemberRole.CHILD and member.person is not None
    ]
    return SocialCareReferral.objects.bulk_create(referrals)


def social_care_referrals_withdraw_for_form(
    *, form: FamilyConnectForm, actor: User
) -> list[int]:
    """Remove the referrals a step-up at triage made, when that step-up is
    withdrawn: the family was never passed on, so it must not count as stepped up.
    Refused (``Conflict``) once social care has recorded an outcome for any of
    them: the referral was acted on and is no longer triage's to take back. Each
    removal is in the change log. Preconditions: inside the caller's transaction
    with the form locked. Returns the ids removed."""
    referrals = list(
        SocialCareReferral.objects.select_for_update()
        .filter(form=form, source=SocialCareReferral.Source.TRIAGE)
        .order_by("pk")
    )
    if any(r.outcome for r in referrals):
        raise Conflict(
            "Children's social care has recorded an outcome for this step-up, so "
            "it cannot be withdrawn here. Nothing was changed."
        )
    for referral in referrals:
        change_record(actor=actor, obj=referral, before=fields_of(referral), after=None)
    ids = [r.pk for r in referrals]
    SocialCareReferral.objects.filter(pk__in=ids).delete()
    return ids


def case_step_up(
    *,
    case_id: int,
    actor: User,
    person_ids: list[int],
    reason: str,
    mode: Mode = LIVE,
) -> list[SocialCareReferral]:
    """Refer people on an open case to the social care front door. The case stays
    open (PRODUCT §3.3) unless it is later closed with reason ``stepped_up``.
    Preconditions: ``access.may_work_on``."""
    reason = (reason or "").strip()
    if not reason and mode.holds(Rule.REASON_WRITTEN):
        raise InvalidInput("Enter why you are stepping up", field="reason")
    now = clock.now()
    with transaction.atomic():
        case = Case.objects.select_for_update().get(pk=case_id)
        if case.status not in OPEN_STATUSES:
            raise Conflict("The case is closed.")
        people = list(Person.objects.filter(case_places__case=case, pk__in=person_ids))
        if not people:
            raise InvalidInput("Choose who you are referring", field="people")
        referrals = SocialCareReferral.objects.bulk_create(
            [
                SocialCareReferral(
                    person=person,
                    referred_at=now,
                    source=SocialCareReferral.Source.CASE,
                    case=case,
                    reason=reason,
                    recorded_by=actor,
                )
                for person in people
            ]
        )
        events.stepped_up(
            case,
            actor=actor,
            at=now,
            person_ids=[p.pk for p in people],
            actor_role="lead_practitioner"
            if case.lead_practitioner_id == actor.pk
            else actor.role,
        ).save()
    return referrals


def step_up_outcome_record(
    *, referral_id: int, actor: User, outcome: str
) -> SocialCareReferral:
    """Record what social care decided about a step-up referral."""
    if outcome not in StepUpOutcome.values:
        raise InvalidInput("Choose the outcome", field="outcome")
    now = clock.now()
    with transaction.atomic():
        referral = SocialCareReferral.objects.select_for_update().get(pk=referral_id)
        referral.outcome = outcome
        referral.outcome_recorded_at = now
        referral.save(update_fields=["outcome", "outcome_recorded_at", "updated_at"])
        if referral.case_id is not None:
            events.step_up_outcome(
                referral.case_id,
                actor=actor,
                at=now,
                referral_id=referral.pk,
                outcome=outcome,
            ).save()
    return referral
