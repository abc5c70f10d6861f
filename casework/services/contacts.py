"""The professionals around a family (services): added to a case and
corrected, each change a case event and in the change log."""

from __future__ import annotations

from dataclasses import asdict, dataclass
from typing import Any

from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import transaction

from accounts.models import User
from accounts.phone import phone_clean
from casework import events
from casework.models import OPEN_STATUSES, Case, CaseContact, ContactKind
from core import clock
from core.change_log import change_record, fields_of
from core.errors import Conflict, DomainError, Problem, refuse_if_any

BAD_EMAIL = "Enter an e-mail address in the correct format, like name@example.org"
NO_WAY_TO_REACH = (
    "Enter a telephone number or an e-mail address, so the team can reach them"
)
# The longest each text may be, and what to say when it is longer.
LIMITS = {
    "name": (200, "The name must be 200 characters or fewer"),
    "role": (200, "Their role must be 200 characters or fewer"),
    "organisation": (200, "The organisation must be 200 characters or fewer"),
    "email": (254, "The e-mail address must be 254 characters or fewer"),
}


@dataclass(frozen=True)
class ContactInput:
    kind: str
    name: str
    role: str = ""
    organisation: str = ""
    phone: str = ""
    email: str = ""


def contact_clean(data: ContactInput) -> tuple[ContactInput, list[Problem]]:
    """The contact as it will be kept (spaces tidied, the phone number as typed
    but tidied) and every problem with it, each against its field."""
    text = {
        name: " ".join(str(value or "").split()) for name, value in asdict(data).items()
    }
    problems: list[Problem] = []
    if text["kind"] not in ContactKind.values:
        problems.append(
            (
                "kind",
                "Select who they are: GP, school, health visitor, "
                "social worker or other",
            )
        )
    if not text["name"]:
        problems.append(("name", "Enter the contact's name"))
    for name, (longest, message) in LIMITS.items():
        if len(text[name]) > longest:
            problems.append((name, message))
    try:
        text["phone"] = phone_clean(text["phone"])
    except DomainError as exc:
        problems.append(("phone", exc.message))
    if text["email"] and len(text["email"]) <= LIMITS["email"][0]:
        try:
            validate_email(text["email"])
        except ValidationError:
            problems.append(("email", BAD_EMAIL))
    if (
        not text["phone"]
        and not text["email"]
        and not any(field in ("phone", "email") for field, _ in problems)
    ):
        problems.append(("phone", NO_WAY_TO_REACH))
    return ContactInput(**text), problems


def contact_problems(data: ContactInput) -> list[Problem]:
    """Every problem with a contact as typed (for a form to show at once)."""
    return contact_clean(data)[1]


def case_contact_add(*, case_id: int, actor: User, data: ContactInput) -> CaseContact:
    """Add a professional contact to an open case. Refuses every problem at once
    (``InvalidInput``) and changes nothing. Preconditions: ``access.may_lead``."""
    clean, problems = contact_clean(data)
    refuse_if_any(problems)
    now = clock.now()
    with transaction.atomic():
        case = Case.objects.select_for_update().get(pk=case_id)
        if case.status not in OPEN_STATUSES:
            raise Conflict("The case is closed, so contacts cannot be added.")
        contact = CaseContact.objects.create(case=case, added_by=actor, **asdict(clean))
        change_record(actor=actor, obj=contact, before=None, after=fields_of(contact))
        events.contact_added(case, actor=actor, at=now, contact_id=contact.pk).save()
    return contact


def case_contact_edit(
    *, contact_id: int, actor: User, data: ContactInput
) -> CaseContact:
    """Correct a professional contact; what changed, from what to what, is a
    case event and in the change log. Nothing changed is not recorded. Refuses
    every problem at once, or a closed case, and changes nothing.
    Preconditions: the contact's case resolved through ``access.may_lead``."""
    clean, problems = contact_clean(data)
    refuse_if_any(problems)
    now = clock.now()
    with transaction.atomic():
        contact = CaseContact.objects.select_for_update().get(pk=contact_id)
        case = Case.objects.select_for_update().get(pk=contact.case_id)
        if case.status not in OPEN_STATUSES:
            raise Conflict("The case is closed, so its contacts cannot be changed.")
        before = fields_of(contact)
        changes: dict[str, dict[str, Any]] = {
            name: {"from": getattr(contact, name), "to": value}
            for name, value in asdict(clean).items()
            if getattr(contact, name) != value
        }
        if not changes:
            return contact
        for name, change in changes.items():
            setattr(contact, name, change["to"])
        contact.save(update_fields=[*changes, "updated_at"])
        change_record(
            actor=actor,
            obj=contact,
            before={name: before[name] for name in changes},
            after={name: change["to"] for name, change in changes.items()},
        )
        events.contact_edited(
            contact.case_id,
            actor=actor,
            at=now,
            contact_id=contact.pk,
            changes=changes,
        ).save()
    return contact
