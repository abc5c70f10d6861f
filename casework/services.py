"""Writes to families, people and cases."""

from __future__ import annotations

from datetime import datetime

from django.db import transaction
from django.utils import timezone

from accounts.models import User
from casework.grants import (
    TEAM_ROLES,
    may_hold_team_place,
    team_member_create,
    team_member_delete,
)
from casework.models import (
    OPEN_STATUSES,
    Case,
    CaseEvent,
    CaseMember,
    CaseNote,
    CasePerson,
    CasePersonSource,
    NoteKind,
    SocialCareReferral,
    StepUpOutcome,
)
from core import clock
from core.change_log import change_record, fields_of
from core.codes import MemberRole
from core.errors import Conflict, InvalidInput
from core.history import LIVE, Mode, Rule
from families.models import Family, Person
from family_connect.matching import name_key
from family_connect.models import FamilyConnectForm, FormMember


def case_open_for_form(
    *,
    form: FamilyConnectForm,
    lead_practitioner: User,
    actor: User,
    at: datetime,
    mode: Mode = LIVE,
) -> tuple[Case, bool]:
    """The case an allocated form belongs to, and whether it was created now.

    Preconditions: runs inside the caller's transaction with the form's row
    locked, and the form has a locality. A form already attached to an open case,
    or whose family has one, joins that case (a family has one open episode);
    otherwise the household and its people are created (or the family confirmed
    at triage is used) and a case opens with the chosen lead practitioner.
    """
    # Historical truth wins: each imported allocation opened its own case
    # (IMPORT.md); joining the open case is the rule for live triage.
    if mode.holds(Rule.OPEN_CASE_JOINED):
        joined = _open_case_to_join(form, actor, at)
        if joined is not None:
            if household_of_form(form) is None:
                form.family = joined.family  # the household of the case it joins
            _family, members = family_and_people_for_form(form)
            _people_join(joined, members, actor, at, form, CasePersonSource.LATER_FORM)
            return joined, False
    known = household_of_form(form)
    family, members = family_and_people_for_form(form)
    assert form.locality is not None
    if known is not None and mode.holds(Rule.HOUSEHOLD_FOLLOWS_MOVE):
        _household_moved(family, form, actor)
    case = Case.objects.create(
        family=family,
        locality=form.locality,
        lead_practitioner=lead_practitioner,
        opened_at=at,
    )
    team_member_create(case=case, user=lead_practitioner, added_by=actor, is_lead=True)
    _people_join(case, members, actor, at, form, CasePersonSource.OPENING_FORM)
    _event(case, actor, at, "opened", form)
    return case, True


def _people_join(
    case: Case,
    members: list[FormMember],
    actor: User | None,
    at: datetime,
    form: FamilyConnectForm,
    source: str,
) -> None:
    """The people a form names join the case it opened or was added to
    (INDICATORS.md, settled reading 23); anyone already on it stays as they
    were."""
    CasePerson.objects.bulk_create(
        [
            CasePerson(
                case=case,
                person_id=member.person_id,
                added_at=at,
                added_by=actor,
                source=source,
                form=form,
            )
            for member in members
            if member.person_id is not None
        ],
        ignore_conflicts=True,
    )


def _open_case_to_join(
    form: FamilyConnectForm, actor: User, at: datetime
) -> Case | None:
    """The open case a newly allocated form joins: the one intake attached it
    to, or its confirmed family's (locked so two allocations cannot both open
    one)."""
    if form.case_id is not None:
        case = Case.objects.select_for_update().get(pk=form.case_id)
        if case.status in OPEN_STATUSES:
            _event(case, actor, at, "form_linked", form)
            return case
    family = household_of_form(form)
    if family is None:
        return None
    Family.objects.select_for_update().get(pk=family.pk)
    form.family = family
    open_case = (
        Case.objects.select_for_update()
        .filter(family=family, status__in=OPEN_STATUSES)
        .order_by("-opened_at")
        .first()
    )
    if open_case is not None:
        _event(open_case, actor, at, "form_linked", form)
    return open_case


def family_and_people_for_form(
    form: FamilyConnectForm,
) -> tuple[Family, list[FormMember]]:
    """The household and people a form is about: the family confirmed at triage
    (or the one intake attached), else a new one; each member's confirmed person,
    else a new one. Links the form's members to them. Preconditions: inside the
    caller's transaction with the form locked."""
    family = household_of_form(form)
    if family is None:
        family = Family.objects.create(
            postcode=form.postcode,
            address_line=form.address_line,
            locality=form.locality,
        )
        form.family = family
    members = list(form.members.order_by("position"))
    new_people = [
        _person_from(member, family) for member in members if member.person_id is None
    ]
    Person.objects.bulk_create(new_people)
    created = iter(new_people)
    for member in members:
        if member.person_id is None:
            member.person = next(created)
    FormMember.objects.bulk_update(members, ["person"])
    return family, members


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


def _household_moved(family: Family, form: FamilyConnectForm, actor: User) -> None:
    """A new case for a household we know, in another locality than the one it
    lived in: the family has moved, and lives where the form says (the link
    across localities was confirmed with a reason at triage). Its address and
    locality follow, with the change in the household's history."""
    if family.locality_id == form.locality_id:
        return
    before = {
        "postcode": family.postcode,
        "address_line": family.address_line,
        "locality": family.locality_id,
    }
    if form.postcode:
        family.postcode = form.postcode
        family.address_line = form.address_line
    family.locality = form.locality
    family.save(update_fields=["postcode", "address_line", "locality", "updated_at"])
    after = {
        "postcode": family.postcode,
        "address_line": family.address_line,
        "locality": family.locality_id,
    }
    change_record(
        actor=actor,
        obj=family,
        before={k: v for k, v in before.items() if after[k] != v},
        after={k: v for k, v in after.items() if before[k] != v},
    )


def household_of_form(form: FamilyConnectForm) -> Family | None:
    """The household we already know that a form is linked to: the one triage
    confirmed (or intake attached), else the household of a person triage
    confirmed as one of its members; None for a family new to us."""
    if form.family is not None:
        return form.family
    return (
        Family.objects.filter(people__form_memberships__form=form)
        .order_by("pk")
        .first()
    )


def _person_from(member: FormMember, family: Family) -> Person:
    return Person(
        family=family,
        role=member.role,
        given_name=member.given_name,
        family_name=member.family_name,
        given_name_key=name_key(member.given_name),
        family_name_key=name_key(member.family_name),
        date_of_birth=member.date_of_birth,
        expected=member.expected,
        sex=member.sex,
        ethnicity=member.ethnicity,
        relationship=member.relationship,
    )


def _event(
    case: Case, actor: User, at: datetime, kind: str, form: FamilyConnectForm
) -> None:
    CaseEvent.objects.create(
        case=case, actor=actor, at=at, kind=kind, data={"form": form.reference}
    )


# --- Team around the family -------------------------------------------------------


def case_member_add(*, case_id: int, actor: User, email: str) -> CaseMember:
    """Add a user from any organisation to the team around the family.
    Preconditions: the caller checked ``access.may_work_on``."""
    member_user = User.objects.filter(
        email__iexact=(email or "").strip(), is_active=True, role__in=TEAM_ROLES
    ).first()
    if member_user is None:
        raise InvalidInput(
            "No partner or early help worker has this e-mail address", field="email"
        )
    now = clock.now()
    with transaction.atomic():
        case = Case.objects.select_for_update().get(pk=case_id)
        if case.status not in OPEN_STATUSES:
            raise Conflict("The case is closed.")
        if not may_hold_team_place(
            member_user.role,
            set(member_user.memberships.values_list("locality_id", flat=True)),
            case,
        ):
            raise InvalidInput(
                f"{member_user.display_name} works in another locality: ask their "
                "manager to transfer the case, or add a partner instead",
                field="email",
            )
        if CaseMember.objects.filter(case=case, user=member_user).exists():
            raise InvalidInput(
                f"{member_user.display_name} is already on the team", field="email"
            )
        member = team_member_create(case=case, user=member_user, added_by=actor)
        CaseEvent.objects.create(
            case=case,
            actor=actor,
            at=now,
            kind="team_member_added",
            data={"user": member_user.pk},
        )
    return member


def case_member_remove(*, case_id: int, actor: User, member_id: int) -> None:
    """Take someone off the team; the lead practitioner cannot be removed (change
    the lead instead)."""
    now = clock.now()
    with transaction.atomic():
        case = Case.objects.select_for_update().get(pk=case_id)
        if case.status not in OPEN_STATUSES:
            raise Conflict("The case is closed.")
        member = (
            CaseMember.objects.select_related("user")
            .filter(case=case, pk=member_id)
            .first()
        )
        if member is None:
            raise InvalidInput("That person is not on the team")
        if member.is_lead:
            raise InvalidInput("The lead practitioner cannot be taken off the team")
        user_id = member.user_id
        team_member_delete(member)
        CaseEvent.objects.create(
            case=case,
            actor=actor,
            at=now,
            kind="team_member_removed",
            data={"user": user_id},
        )


def social_care_referral_record(
    *, person: Person, actor: User, referred_at: datetime, reason: str = ""
) -> tuple[SocialCareReferral, bool]:
    """Record a referral to children's social care made outside early help (for
    the post-closure check); returns it and whether it is new. The same person
    referred at the same moment is one referral, so keying it in, the API and
    a CSV uploaded twice never count it twice. Preconditions: the caller
    resolved the person through ``access.person_queryset_for_user``."""
    if referred_at > timezone.now():
        raise InvalidInput(
            "The referral date cannot be in the future", field="referred_at"
        )
    reason = (reason or "").strip()
    if len(reason) > 5000:
        raise InvalidInput(
            "The reason must be 5000 characters or fewer", field="reason"
        )
    with transaction.atomic():
        Person.objects.select_for_update().get(pk=person.pk)
        existing = SocialCareReferral.objects.filter(
            person=person,
            referred_at=referred_at,
            source=SocialCareReferral.Source.EXTERNAL,
        ).first()
        if existing is not None:
            return existing, False
        referral = SocialCareReferral.objects.create(
            person=person,
            referred_at=referred_at,
            source=SocialCareReferral.Source.EXTERNAL,
            reason=reason,
            recorded_by=actor,
        )
    return referral, True


def case_note_add(
    *,
    case_id: int,
    actor: User,
    kind: str,
    text: str,
    significant: bool,
    happened_at: datetime | None = None,
) -> CaseNote:
    """Add a chronology note. Preconditions: ``access.may_work_on``. Notes stay
    possible after closure (a late message still belongs to the record)."""
    text = (text or "").strip()
    if kind not in NoteKind.values:
        raise InvalidInput("Choose what kind of note it is", field="kind")
    if not text:
        raise InvalidInput("Enter the note", field="text")
    when = happened_at or clock.now()
    if when > timezone.now():
        raise InvalidInput("A note cannot be in the future", field="happened_at")
    with transaction.atomic():
        case = Case.objects.select_for_update().get(pk=case_id)
        return CaseNote.objects.create(
            case=case,
            kind=kind,
            text=text,
            significant=significant,
            happened_at=when,
            author=actor,
        )


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
        CaseEvent.objects.create(
            case=case,
            actor=actor,
            at=now,
            kind="stepped_up",
            data={"people": [p.pk for p in people]},
        )
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
            CaseEvent.objects.create(
                case_id=referral.case_id,
                actor=actor,
                at=now,
                kind="step_up_outcome",
                data={"referral": referral.pk, "outcome": outcome},
            )
    return referral
