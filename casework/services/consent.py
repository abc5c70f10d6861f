"""Consent per person (services): carried from the Family Connect Form when it
is allocated, recorded on the case, withdrawn, and a withdrawal of
information-sharing consent overridden by a manager. Every record is new — a
consent is never edited — and each writes the case's timeline and the change
log in its transaction. A withdrawal of information-sharing consent closes
partners' access at once (``casework.access``)."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date, datetime

from django.db import transaction

from accounts.models import User
from casework import events
from casework.consent_rules import giver_problem, givers_allowed
from casework.models import (
    Case,
    ConsentGiver,
    ConsentOverride,
    ConsentPurpose,
    ConsentWithdrawal,
    PersonConsent,
)
from casework.selectors.consent import case_consents, overridable, withdrawable
from core import clock
from core.change_log import change_record, fields_of
from core.codes import MemberRole
from core.errors import NotAllowed, Problem, refuse_if_any
from core.periods import local_date
from families.models import Person
from family_connect.models import FamilyConnectForm

NAME_NEEDED = "Enter the name of the parent or carer"


def _full_name(person: Person) -> str:
    return f"{person.given_name} {person.family_name}".strip()


def _named_in(person: Person, text: str) -> bool:
    """Whether the form's "who agreed" names this person (both names)."""
    words = text.casefold()
    return bool(person.given_name and person.family_name) and all(
        name.casefold() in words for name in (person.given_name, person.family_name)
    )


def _carried_giver(person: Person, agreed: str, day: date) -> str | None:
    """Who gave the form's consent for this person, as far as the form says:
    a child's parent or carer; a young person named as the one who agreed,
    themself; an adult, only when it was they who agreed. None when the form
    does not say that this person agreed (an adult's own consent is theirs to
    give; it is recorded on the case)."""
    allowed = givers_allowed(person.date_of_birth, day)
    named = _named_in(person, agreed)
    if allowed == {ConsentGiver.SELF} or (
        person.date_of_birth is None and person.role == MemberRole.ADULT
    ):
        return ConsentGiver.SELF if named else None
    if (
        named
        and person.date_of_birth is not None
        and ConsentGiver.COMPETENT_YOUNG_PERSON in allowed
    ):
        return ConsentGiver.COMPETENT_YOUNG_PERSON
    return ConsentGiver.PARENT_CARER


def _logged(actor: User | None, rows: Iterable[PersonConsent]) -> None:
    if actor is None:
        return
    for row in rows:
        change_record(actor=actor, obj=row, before=None, after=fields_of(row))


def consent_rows_from_form(
    *,
    case: Case,
    form: FamilyConnectForm,
    people: Iterable[Person],
    actor: User | None,
    at: datetime,
) -> list[PersonConsent]:
    """The consent rows (unsaved) an allocated form carries to the people it
    names on its case: its consent to the request for early help and to
    sharing information, as given by the person the form says agreed
    (``_carried_giver``), on the day it was recorded. None for a form without
    consent (a consultation). The records import batches the same rows."""
    if not form.consent:
        return []
    agreed = (form.consent_given_by or form.contact_name or "").strip()
    day = local_date(form.consent_recorded_at or form.received_at or at)
    rows = []
    for person in sorted(people, key=lambda p: p.pk):
        giver = _carried_giver(person, agreed, day)
        if giver is None:
            continue
        for purpose in ConsentPurpose.values:
            rows.append(
                PersonConsent(
                    case=case,
                    person=person,
                    purpose=purpose,
                    given_by=giver,
                    given_by_name=agreed[:200],
                    given_on=day,
                    form=form,
                    recorded_by=actor,
                    recorded_at=at,
                )
            )
    return rows


def consents_carry_from_form(
    *,
    case: Case,
    form: FamilyConnectForm,
    person_ids: Iterable[int],
    actor: User | None,
    at: datetime,
) -> list[PersonConsent]:
    """Record the consent an allocated form gives for each person it names
    (``consent_rows_from_form``), with the case's event and the change log.
    Preconditions: inside the allocation's transaction with the form locked
    and the case open (or joined)."""
    rows = consent_rows_from_form(
        case=case,
        form=form,
        people=Person.objects.filter(pk__in=list(person_ids)),
        actor=actor,
        at=at,
    )
    if not rows:
        return []
    created = PersonConsent.objects.bulk_create(rows)
    events.consent_recorded(
        case, actor=actor, at=at, consent_ids=[c.pk for c in created], form=form
    ).save()
    _logged(actor, created)
    return created


def _date_problems(
    field: str, day: date | None, *, what: str, not_before: date | None, before: str
) -> list[Problem]:
    if day is None:
        return [(field, f"Enter the date {what}")]
    if day > local_date(clock.now()):
        return [(field, f"The date {what} must be today or in the past")]
    if not_before is not None and day < not_before:
        return [(field, before)]
    return []


def _giver_problems(
    *,
    person: Person | None,
    giver: str,
    giver_name: str,
    day: date | None,
    withdrawing: bool,
) -> list[Problem]:
    prefix = "withdrawn_by" if withdrawing else "given_by"
    if giver not in ConsentGiver.values:
        return [
            (
                prefix,
                "Select who withdrew consent"
                if withdrawing
                else "Select who gave consent",
            )
        ]
    problems: list[Problem] = []
    if person is not None:
        # Without a date yet, judged as of today, so that every problem is
        # listed at once; checked again on the date given.
        problem = giver_problem(
            name=_full_name(person),
            date_of_birth=person.date_of_birth,
            day=day or local_date(clock.now()),
            giver=giver,
            withdrawing=withdrawing,
        )
        if problem:
            problems.append((prefix, problem))
    if giver == ConsentGiver.PARENT_CARER and not giver_name:
        problems.append((f"{prefix}_name", NAME_NEEDED))
    return problems


def consent_problems(
    *,
    person: Person | None,
    purposes: list[str],
    agencies: str,
    given_by: str,
    given_by_name: str,
    given_on: date | None,
) -> list[Problem]:
    """Everything wrong with a consent to record (``person`` None: nobody on
    the case was chosen), each with its field; empty when it may be recorded.
    Text is taken as already stripped."""
    problems: list[Problem] = []
    if person is None:
        problems.append(("person", "Select whose consent this is"))
    if not purposes or not set(purposes) <= set(ConsentPurpose.values):
        problems.append(("purposes", "Select what they consented to"))
    if ConsentPurpose.INFORMATION_SHARING in purposes and not agencies:
        problems.append(
            ("agencies", "Enter the agencies information may be shared with")
        )
    problems += _giver_problems(
        person=person,
        giver=given_by,
        giver_name=given_by_name,
        day=given_on,
        withdrawing=False,
    )
    problems += _date_problems(
        "given_on",
        given_on,
        what="consent was given",
        not_before=person.date_of_birth
        if person is not None and not person.expected
        else None,
        before="The date consent was given must be after they were born",
    )
    return problems


def withdrawal_problems(
    *,
    consent: PersonConsent | None,
    withdrawn_by: str,
    withdrawn_by_name: str,
    withdrawn_on: date | None,
) -> list[Problem]:
    """Everything wrong with a withdrawal to record (``consent`` None: no
    standing consent of the case was chosen), each with its field."""
    problems: list[Problem] = []
    if consent is None:
        problems.append(("consent", "Select the consent that was withdrawn"))
    problems += _giver_problems(
        person=consent.person if consent is not None else None,
        giver=withdrawn_by,
        giver_name=withdrawn_by_name,
        day=withdrawn_on,
        withdrawing=True,
    )
    problems += _date_problems(
        "withdrawn_on",
        withdrawn_on,
        what="consent was withdrawn",
        not_before=consent.given_on if consent is not None else None,
        before="The date consent was withdrawn must be on or after the day "
        "it was given",
    )
    return problems


def override_problems(
    *, withdrawal: ConsentWithdrawal | None, reason: str
) -> list[Problem]:
    """Everything wrong with an override to record, each with its field."""
    problems: list[Problem] = []
    if withdrawal is None:
        problems.append(("withdrawal", "Select the withdrawal to override"))
    if not reason:
        problems.append(
            ("reason", "Enter the safeguarding reason partners must keep access")
        )
    return problems


def consent_record(
    *,
    case_id: int,
    actor: User,
    person_id: int | None,
    purposes: Iterable[str],
    agencies: str,
    given_by: str,
    given_by_name: str,
    given_on: date | None,
) -> list[PersonConsent]:
    """Record one person's consent to one or both purposes, as a new record
    each (consent given again after a withdrawal stands from now on).
    Preconditions: ``access.may_lead`` on the case. Refuses, listing every
    problem: someone not on the case, no purpose, sharing without the agencies
    named, a giver the person's age does not allow (a child under 13 gives
    consent through a parent or carer), a date in the future or before the
    person was born."""
    purposes = list(dict.fromkeys(purposes))
    agencies = (agencies or "").strip()
    given_by_name = (given_by_name or "").strip()
    with transaction.atomic():
        case = Case.objects.select_for_update().get(pk=case_id)
        person = (
            Person.objects.filter(pk=person_id, case_places__case=case).first()
            if person_id is not None
            else None
        )
        refuse_if_any(
            consent_problems(
                person=person,
                purposes=purposes,
                agencies=agencies,
                given_by=given_by,
                given_by_name=given_by_name,
                given_on=given_on,
            )
        )
        assert person is not None and given_on is not None
        now = clock.now()
        created = [
            PersonConsent.objects.create(
                case=case,
                person=person,
                purpose=purpose,
                agencies=agencies
                if purpose == ConsentPurpose.INFORMATION_SHARING
                else "",
                given_by=given_by,
                given_by_name=given_by_name,
                given_on=given_on,
                recorded_by=actor,
                recorded_at=now,
            )
            for purpose in ConsentPurpose.values
            if purpose in purposes
        ]
        events.consent_recorded(
            case, actor=actor, at=now, consent_ids=[c.pk for c in created]
        ).save()
        _logged(actor, created)
    return created


def consent_withdraw(
    *,
    case_id: int,
    actor: User,
    consent_id: int | None,
    withdrawn_by: str,
    withdrawn_by_name: str,
    withdrawn_on: date | None,
    details: str,
) -> ConsentWithdrawal:
    """Record the withdrawal of a consent that stands, as a new record (the
    consent is kept as it was given). Withdrawing information sharing closes
    partners' access to the case at once. Preconditions: ``access.may_lead``.
    Refuses, listing every problem: a consent that is not the case's, no
    longer stands or is already withdrawn; a withdrawer the person's age does
    not allow; a date in the future or before the consent was given."""
    withdrawn_by_name = (withdrawn_by_name or "").strip()
    details = (details or "").strip()
    with transaction.atomic():
        case = Case.objects.select_for_update().get(pk=case_id)
        standing = {c.pk: c for c in withdrawable(case_consents(case.pk))}
        consent = standing.get(consent_id) if consent_id is not None else None
        refuse_if_any(
            withdrawal_problems(
                consent=consent,
                withdrawn_by=withdrawn_by,
                withdrawn_by_name=withdrawn_by_name,
                withdrawn_on=withdrawn_on,
            )
        )
        assert consent is not None and withdrawn_on is not None
        now = clock.now()
        withdrawal = ConsentWithdrawal.objects.create(
            consent=consent,
            withdrawn_by=withdrawn_by,
            withdrawn_by_name=withdrawn_by_name,
            withdrawn_on=withdrawn_on,
            details=details,
            recorded_by=actor,
            recorded_at=now,
        )
        events.consent_withdrawn(
            case,
            actor=actor,
            at=now,
            consent_id=consent.pk,
            withdrawal_id=withdrawal.pk,
        ).save()
        change_record(
            actor=actor, obj=withdrawal, before=None, after=fields_of(withdrawal)
        )
    return withdrawal


def consent_override_record(
    *, case_id: int, actor: User, withdrawal_id: int | None, reason: str
) -> ConsentOverride:
    """Keep partners' access to the case despite a withdrawal of
    information-sharing consent, for a safeguarding reason that is always
    written; the data protection officer reviews every override.
    Preconditions: ``access.may_override_consent`` (a manager of the case's
    locality). Refuses a withdrawal that does not close partners' access (not
    of sharing, given again since, or already overridden)."""
    reason = (reason or "").strip()
    with transaction.atomic():
        case = Case.objects.select_for_update().get(pk=case_id)
        open_withdrawals = {w.pk: w for w in overridable(case_consents(case.pk))}
        withdrawal = (
            open_withdrawals.get(withdrawal_id) if withdrawal_id is not None else None
        )
        if not open_withdrawals:
            raise NotAllowed(
                "No withdrawal of information sharing closes partners' access to "
                "this case, so there is nothing to override.",
                field="withdrawal",
            )
        refuse_if_any(override_problems(withdrawal=withdrawal, reason=reason))
        assert withdrawal is not None
        now = clock.now()
        override = ConsentOverride.objects.create(
            withdrawal=withdrawal, reason=reason, recorded_by=actor, recorded_at=now
        )
        events.consent_overridden(
            case,
            actor=actor,
            at=now,
            withdrawal_id=withdrawal.pk,
            override_id=override.pk,
        ).save()
        change_record(actor=actor, obj=override, before=None, after=fields_of(override))
    return override
