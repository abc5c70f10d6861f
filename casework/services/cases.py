"""Opening cases (services): the case an allocated form opens or joins, with its
household and people, and the notes of its chronology."""

from __future__ import annotations

from datetime import datetime

from django.db import transaction
from django.utils import timezone

from accounts.models import User
from casework import events
from casework.grants import team_member_create
from casework.models import (
    OPEN_STATUSES,
    Case,
    CaseNote,
    CasePerson,
    CasePersonSource,
    NoteAmendment,
    NoteKind,
)
from casework.services.consent import consents_carry_from_form
from core import clock
from core.change_log import change_record
from core.errors import InvalidInput, Problem, refuse_if_any
from core.history import LIVE, Mode, Rule
from families.models import Family, Person
from families.names import name_key
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
            _consent_carry(joined, members, actor, at, form)
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
    events.opened(case, actor=actor, at=at, form=form).save()
    _consent_carry(case, members, actor, at, form)
    return case, True


def _consent_carry(
    case: Case,
    members: list[FormMember],
    actor: User | None,
    at: datetime,
    form: FamilyConnectForm,
) -> None:
    """The consent the form records, carried to each person it names on the
    case it opened or joined (``consents_carry_from_form``)."""
    consents_carry_from_form(
        case=case,
        form=form,
        person_ids=[m.person_id for m in members if m.person_id is not None],
        actor=actor,
        at=at,
    )


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
                locality_id=case.locality_id,
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
            events.form_linked(case, actor=actor, at=at, form=form).save()
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
        events.form_linked(open_case, actor=actor, at=at, form=form).save()
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
    problems: list[Problem] = []
    if kind not in NoteKind.values:
        problems.append(("kind", "Select the kind of note"))
    if not text:
        problems.append(("text", "Enter the note"))
    when = happened_at or clock.now()
    if when > timezone.now():
        problems.append(("happened_at", "A note cannot be in the future"))
    if problems:
        raise InvalidInput.every(problems)
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


def note_amendment_problems(*, current: str, text: str, reason: str) -> dict[str, str]:
    """Everything wrong with an amendment of a note whose text is ``current``,
    by field (empty when it may be made)."""
    problems: dict[str, str] = {}
    text = (text or "").strip()
    if not text:
        problems["text"] = "Enter the note as it should read"
    elif text == current.strip():
        problems["text"] = "Change the note's text to amend it"
    if not (reason or "").strip():
        problems["reason"] = "Enter why you are amending the note"
    return problems


def case_note_amend(
    *, note_id: int, actor: User, text: str, reason: str
) -> NoteAmendment:
    """Correct a chronology note: the note takes the new text and an amendment
    keeps the text before, who amended it, when and why (nothing is ever
    deleted). Preconditions: ``access.may_amend_note``. As with adding notes,
    a closed case's notes may still be corrected: the record must be right."""
    with transaction.atomic():
        note = CaseNote.objects.select_for_update().get(pk=note_id)
        problems = note_amendment_problems(current=note.text, text=text, reason=reason)
        # Every problem at once, each against its field.
        refuse_if_any(list(problems.items()))
        now = clock.now()
        amendment = NoteAmendment.objects.create(
            note=note,
            text_before=note.text,
            text_after=text.strip(),
            reason=reason.strip(),
            amended_by=actor,
            amended_at=now,
        )
        note.text = amendment.text_after
        note.save(update_fields=["text", "updated_at"])
        events.note_amended(
            note.case_id,
            actor=actor,
            at=now,
            note_id=note.pk,
            amendment_id=amendment.pk,
        ).save()
        change_record(
            actor=actor,
            obj=note,
            before={"text": amendment.text_before},
            after={"text": amendment.text_after, "reason": amendment.reason},
        )
    return amendment
