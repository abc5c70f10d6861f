"""How the chronology reads: which entries a filter keeps, and the sentences
that say what happened for the entries that need more than their kind — a
step-up to children's social care, what social care decided, a professional
contact added or changed."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.utils import dateformat, timezone

from accounts.roles import Role
from casework.events import Kind
from casework.models import Case, CaseContact, ContactKind, SocialCareReferral

# The chronology's filter (``?show=…``, any of them; none shows everything).
SHOWS = {
    "significant": "Significant events",
    "notes": "Notes",
    "events": "What the system recorded",
}
SHOW_HINTS = {
    "significant": "Notes marked significant, step-ups to children's social care "
    "and what social care decided",
    "notes": "Visits, calls, meetings, messages and notes",
    "events": "Changes to the case: its status, team, plan, contacts, step-ups",
}
# The system's entries that are significant events in the family's story.
SIGNIFICANT_KINDS = (Kind.STEPPED_UP, Kind.STEP_UP_OUTCOME)

# What social care decided, as the chronology says it.
DECIDED = {
    "accepted_for_assessment": "{name} accepted for a social care assessment",
    "nfa_returned_to_early_help": "no further action for {name}, who stays with "
    "early help",
    "child_protection": "child protection for {name}",
    "other": "an outcome not listed here for {name}",
}
_CONTACT_FIELDS = {
    "kind": "Who they are",
    "name": "Name",
    "role": "Role",
    "organisation": "Organisation",
    "phone": "Telephone number",
    "email": "E-mail address",
}


def timeline_show(values: Iterable[str]) -> frozenset[str]:
    """The filter's choices from the query string, unknown ones dropped."""
    return frozenset(v for v in values if v in SHOWS)


def show_summary(show: frozenset[str]) -> str:
    """What the filter keeps, in words: "significant events and notes"."""
    labels = [label.lower() for code, label in SHOWS.items() if code in show]
    if len(labels) <= 1:
        return "".join(labels)
    return f"{', '.join(labels[:-1])} and {labels[-1]}"


def _day(at: Any) -> str:
    return dateformat.format(timezone.localtime(at), "j F Y")


def _names(people: list[Any]) -> str:
    names = [f"{p.given_name} {p.family_name}" for p in people]
    if len(names) <= 1:
        return "".join(names)
    return f"{', '.join(names[:-1])} and {names[-1]}"


def _capacity(event: Any, case: Case) -> str:
    """In what capacity the actor stepped the family up: as recorded then,
    else as they stand now."""
    code = event.data.get("actor_role") or (
        "lead_practitioner"
        if event.actor_id == case.lead_practitioner_id
        else getattr(event.actor, "role", "")
    )
    if code == "lead_practitioner":
        return "lead practitioner"
    return str(Role(code).label).lower() if code in Role.values else ""


def step_up_sentences(
    case: Case, events: list[Any]
) -> dict[int, tuple[str, list[str]]]:
    """For each step-up and social care decision among the events: the
    sentence that says it, and what else to say (who was referred). One query,
    only when there are any."""
    wanted = [e for e in events if e.kind in SIGNIFICANT_KINDS]
    if not wanted:
        return {}
    referrals = list(
        SocialCareReferral.objects.filter(case=case).select_related("person")
    )
    by_pk = {r.pk: r for r in referrals}
    out: dict[int, tuple[str, list[str]]] = {}
    for e in wanted:
        who = e.actor.display_name if e.actor else ""
        if e.kind == Kind.STEPPED_UP:
            ids = set(e.data.get("people", []))
            made = [
                r for r in referrals if r.referred_at == e.at and r.person_id in ids
            ]
            capacity = _capacity(e, case) if e.actor else ""
            by = f" by {who}" + (f" ({capacity})" if capacity else "") if who else ""
            reason = next((r.reason for r in made if r.reason), "")
            sentence = f"Stepped up to children's social care{by} on {_day(e.at)}"
            sentence += f": {reason}" if reason else "."
            people = _names([r.person for r in made])
            out[e.pk] = (sentence, [f"Referred: {people}."] if people else [])
            continue
        referral = by_pk.get(e.data.get("referral"))
        name = (
            f"{referral.person.given_name} {referral.person.family_name}"
            if referral
            else "the person referred"
        )
        decided = DECIDED.get(e.data.get("outcome", ""), "{name}: not known").format(
            name=name
        )
        recorded = [f"Recorded by {who}."] if who else []
        out[e.pk] = (
            f"Children's social care decided: {decided}, on {_day(e.at)}.",
            recorded,
        )
    return out


def contact_descriptions(events: list[Any]) -> dict[int, tuple[str, list[str]]]:
    """For each professional contact added or changed: who, and each change
    from → to. One query, only when there are any."""
    wanted = [e for e in events if e.kind in (Kind.CONTACT_ADDED, Kind.CONTACT_EDITED)]
    if not wanted:
        return {}
    contacts = {
        c.pk: c
        for c in CaseContact.objects.filter(pk__in={e.data["contact"] for e in wanted})
    }

    def shown(name: str, value: Any) -> str:
        if name == "kind":
            return (
                str(ContactKind(value).label) if value in ContactKind.values else value
            )
        return f"“{value}”" if value else "none"

    out: dict[int, tuple[str, list[str]]] = {}
    for e in wanted:
        contact = contacts.get(e.data["contact"])
        subject = (
            f"{contact.name}, {contact.get_kind_display()}"
            + (f", {contact.organisation}" if contact.organisation else "")
            if contact
            else ""
        )
        changes = [
            f"{_CONTACT_FIELDS.get(name, name)}: {shown(name, change['from'])} → "
            f"{shown(name, change['to'])}"
            for name, change in e.data.get("changes", {}).items()
        ]
        out[e.pk] = (subject, changes)
    return out
