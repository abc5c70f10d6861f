"""What allocating a form does, inside the decision: it refuses while matches
are undecided or a cross-locality link is unexplained, opens the family's case
(or joins the open one) and tells its lead practitioner.
"""

from __future__ import annotations

from typing import Any

from accounts.access import works_in_locality
from accounts.models import User
from accounts.roles import Role
from casework.models import OPEN_STATUSES
from casework.services.cases import case_open_for_form, household_of_form
from core.errors import InvalidInput
from core.history import Mode, Rule
from core.notifications import Message
from family_connect.linking import cross_locality_concern, cross_locality_linked
from family_connect.models import FamilyConnectForm, MatchStatus

# Said by the triage page where it would offer the allocation, and by the
# service when asked to allocate all the same.
TRANSFER_FIRST = (
    "This form's locality is not known: transfer it to a locality before allocating it"
)


def allocation_apply(
    form: FamilyConnectForm, actor: User, now: Any, links: dict[str, Any], mode: Mode
) -> tuple[dict[str, Any], list[Message]]:
    lead = links.get("lead_practitioner")
    if not form.consent:
        raise InvalidInput(
            "The family has not agreed to early help, so the form cannot be "
            "allocated. Record the consultation, or ask the requester to get the "
            "family's consent and send a new form.",
            field="outcome",
        )
    if form.locality_id is None:
        raise InvalidInput(TRANSFER_FIRST, field="outcome")
    if mode.holds(Rule.MATCHES_CONFIRMED_FIRST):
        _refuse_if_matches_undecided(form)
        _refuse_unexplained_cross_locality(form)
    if lead is None or (
        # History names the lead of the time, who may have left since.
        mode.holds(Rule.LEAD_AVAILABLE_NOW)
        and (
            lead.role not in (Role.PRACTITIONER, Role.LOCALITY_MANAGER)
            or not works_in_locality(lead, form.locality_id)
        )
    ):
        raise InvalidInput(
            "Choose a lead practitioner who works in the form's locality.",
            field="lead_practitioner",
        )
    case, created = case_open_for_form(
        form=form,
        lead_practitioner=lead,
        actor=actor,
        at=links.get("opened_at") or now,
        mode=mode,
    )
    form.case = case
    told = case.lead_practitioner
    messages = [
        Message(
            key=f"allocated:{form.reference}:{told.pk}",
            to=told.email,
            subject=(
                f"New family allocated to you: {form.reference}"
                if created
                else f"Family Connect Form {form.reference} added to your case"
            ),
            body=(
                f"Family Connect Form {form.reference} has been allocated "
                f"{'to you' if created else 'to a case you lead'}.\n\n"
                "Sign in to Early Help Connect to see the family."
            ),
        )
    ]
    return {"lead_practitioner": case.lead_practitioner, "case": case}, messages


def _refuse_if_matches_undecided(form: FamilyConnectForm) -> None:
    """Allocation links the form to a household and its members to people, and
    makes new records for any it has not been linked to. While a possible match
    for one of those is neither confirmed nor rejected, that would make a second
    record of a family or person we already know ("tell our story once").
    Replayed history is exempt: it names its households and people itself."""
    open_matches = [
        m
        for m in form.match_candidates.filter(status=MatchStatus.PROPOSED)
        .select_related("member")
        .order_by("member__position", "pk")
        if (m.member is None and form.family_id is None)
        or (m.member is not None and m.member.person_id is None)
    ]
    if not open_matches:
        return
    names = list(
        dict.fromkeys(m.member.full_name for m in open_matches if m.member is not None)
    )
    if any(m.member is None for m in open_matches):
        names.insert(0, "the household")
    about = names[0] if len(names) == 1 else f"{', '.join(names[:-1])} and {names[-1]}"
    raise InvalidInput(
        f"Confirm or reject the possible matches for {about} first, so that "
        "nobody we already know gets a second record.",
        field="outcome",
    )


def _refuse_unexplained_cross_locality(form: FamilyConnectForm) -> None:
    """Allocation opens a case on the household the form is linked to. When
    that household's records belong to another locality and nobody has said why
    the form is linked to it — intake attached the form to the family's open
    case, which has since closed — a manager must confirm the match with a
    reason first. Joining a case that is still open gives nobody new access."""
    family = household_of_form(form)
    if family is None or cross_locality_linked(form_id=form.pk, family_id=family.pk):
        return
    open_case = form.case is not None and form.case.status in OPEN_STATUSES
    if open_case or family.cases.filter(status__in=OPEN_STATUSES).exists():
        return
    concern = cross_locality_concern(form_locality_id=form.locality_id, family=family)
    if concern:
        raise InvalidInput(
            f"This form is linked to a household we know in another locality. "
            f"{concern} Confirm the household match again with the reason for "
            "the link before allocating.",
            field="outcome",
        )
