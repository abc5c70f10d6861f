"""Writes to families, people and cases."""

from __future__ import annotations

from datetime import datetime

from accounts.models import User
from casework.models import OPEN_STATUSES, Case, CaseEvent, CaseMember, Family, Person
from family_connect.matching import name_key
from family_connect.models import FamilyConnectForm, FormMember


def case_open_for_form(
    *, form: FamilyConnectForm, lead_practitioner: User, actor: User, at: datetime
) -> tuple[Case, bool]:
    """The case an allocated form belongs to, and whether it was created now.

    Preconditions: runs inside the caller's transaction with the form's row
    locked, and the form has a locality. A form already attached to an open case,
    or whose family has one, joins that case (a family has one open episode);
    otherwise the household and its people are created (or the family confirmed
    at triage is used) and a case opens with the chosen lead practitioner.
    """
    if form.case_id is not None:
        case = Case.objects.select_for_update().get(pk=form.case_id)
        if case.status in OPEN_STATUSES:
            _event(case, actor, at, "form_linked", form)
            return case, False
    family = form.family
    if family is not None:
        open_case = (
            Case.objects.select_for_update()
            .filter(family=family, status__in=OPEN_STATUSES)
            .order_by("-opened_at")
            .first()
        )
        if open_case is not None:
            _event(open_case, actor, at, "form_linked", form)
            return open_case, False
    else:
        family = Family.objects.create(
            postcode=form.postcode,
            address_line=form.address_line,
            locality=form.locality,
        )
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
    assert form.locality is not None
    case = Case.objects.create(
        family=family,
        locality=form.locality,
        lead_practitioner=lead_practitioner,
        opened_at=at,
    )
    CaseMember.objects.create(
        case=case, user=lead_practitioner, is_lead=True, added_by=actor
    )
    _event(case, actor, at, "opened", form)
    form.family = family
    return case, True


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
