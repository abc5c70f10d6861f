"""Triage decisions and transfers: one service per decision (PRODUCT §3.2); and
the locality's practitioners' capacity and community services directory, which
triage allocates and signposts by.

Every service locks the form's row, checks the move is allowed, records who, when
and why, writes a form event in the same transaction and queues e-mails after
commit. Two managers acting on the same form at once serialise on the lock: the
second finds it decided and gets ``Conflict``. A caller that says which version of
the form the manager saw (``seen_version``: the API's ``If-Match``, the page's
hidden field) gets ``Stale`` when the form has changed since, whatever the change.

A decision request never changes a decided form. Closing a decided form as
withdrawn or a duplicate is its own action (``form_close_decided``), which needs
the version the manager saw and undoes what the decision did where it can.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from django.conf import settings
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from accounts.access import works_in_locality
from accounts.models import User
from accounts.roles import Role
from casework.models import OPEN_STATUSES
from casework.services.cases import case_open_for_form, household_of_form
from casework.services.step_up import (
    social_care_referrals_for_step_up,
    social_care_referrals_withdraw_for_form,
)
from core import clock
from core.change_log import change_record
from core.errors import Conflict, InvalidInput, NotAllowed, Stale
from core.history import LIVE, Mode, Rule
from core.notifications import Message, notifications_queue
from family_connect.linking import cross_locality_concern, cross_locality_linked
from family_connect.models import (
    FamilyConnectForm,
    FormDecision,
    FormEvent,
    FormStatus,
    FormTransfer,
    MatchStatus,
)
from family_connect.references import status_token
from family_connect.transitions import can_close_decided, can_decide, can_transfer
from localities.models import CommunityService, Locality
from triage.access import manages
from triage.models import Team, TeamMember


@dataclass(frozen=True)
class Decided:
    form: FamilyConnectForm
    decision: FormDecision | None


def _locked(form_id: int, actor: User, mode: Mode) -> FamilyConnectForm:
    form = FamilyConnectForm.objects.select_for_update().get(pk=form_id)
    # History names the manager who decided, who may have left since.
    if mode.holds(Rule.DECIDER_MANAGES_NOW) and not manages(actor, form.locality_id):
        raise NotAllowed("Only a manager of the form's locality can decide it.")
    return form


def _reason(reason: str, mode: Mode) -> str:
    reason = (reason or "").strip()
    if not reason and mode.holds(Rule.REASON_WRITTEN):
        raise InvalidInput("Enter the reason for the decision", field="reason")
    if len(reason) > 5000:
        raise InvalidInput(
            "The reason must be 5,000 characters or fewer", field="reason"
        )
    return reason


def _refuse_if_moved(form: FamilyConnectForm, outcome: str) -> None:
    if can_decide(form.status, outcome):
        return
    if form.status == FormStatus.SUBMITTED:
        raise InvalidInput("This decision is not possible for this form.")
    raise Conflict(changed_since_message(form))


def _refuse_if_stale(form: FamilyConnectForm, seen_version: str | None) -> None:
    """The manager acted on the version they saw; any change since (a decision,
    a transfer, a closure) means they must look again first."""
    if seen_version is not None and seen_version != form.version:
        raise Stale(changed_since_message(form))


def changed_since_message(form: FamilyConnectForm) -> str:
    """Who last changed the form and when, for a manager whose request it
    refused: they review what happened and decide again."""
    last = form.events.select_related("actor").order_by("-at", "-pk").first()
    if last is None:
        return "This form has changed. Review it and decide again. Nothing was changed."
    who = f" by {last.actor.display_name}" if last.actor else ""
    at = timezone.localtime(last.at)
    when = f"{at.day} {at:%B %Y} at {at:%H:%M}"
    status = FormStatus(form.status).label.lower()
    if last.kind == FormEvent.Kind.DECIDED:
        what = f"This form was already decided{who} on {when} ({status})"
    elif last.kind == FormEvent.Kind.STATUS_CHANGED:
        what = f"This form was closed{who} on {when} ({status})"
    else:
        what = (
            f"This form was changed{who} on {when} ({last.get_kind_display().lower()})"
        )
    return f"{what}: review it and decide again. Nothing was changed."


def _decide(
    *,
    form_id: int,
    actor: User,
    outcome: str,
    reason: str,
    seen_version: str | None = None,
    mode: Mode = LIVE,
    **links: Any,
) -> Decided:
    now = clock.now()
    reason = _reason(reason, mode)
    with transaction.atomic():
        form = _locked(form_id, actor, mode)
        _refuse_if_stale(form, seen_version)
        _refuse_if_moved(form, outcome)
        before = form.status
        messages: list[Message] = []
        duplicate_of = links.pop("duplicate_of", None)
        if duplicate_of is not None:
            _check_original(form, duplicate_of)
            form.duplicate_of = duplicate_of
        if outcome == FormStatus.ALLOCATED:
            links, messages = _allocate(form, actor, now, links, mode)
        elif duplicate_of is None and outcome == FormStatus.DUPLICATE:
            if mode.holds(Rule.DUPLICATE_NAMES_ITS_ORIGINAL):
                raise InvalidInput(
                    "Enter the reference of the form it duplicates.",
                    field="duplicate_of",
                )
        elif outcome == FormStatus.STEPPED_UP:
            social_care_referrals_for_step_up(
                form=form, actor=actor, at=now, reason=reason
            )
        form.status = outcome
        form.save(
            update_fields=["status", "case", "family", "duplicate_of", "updated_at"]
        )
        decision = FormDecision.objects.create(
            form=form,
            outcome=outcome,
            decided_by=actor,
            decided_at=now,
            reason=reason,
            **links,
        )
        FormEvent.objects.create(
            form=form,
            at=now,
            actor=actor,
            kind=FormEvent.Kind.DECIDED,
            data={
                "from": before,
                "to": outcome,
                "reason": reason,
                "duplicate_of": duplicate_of.reference if duplicate_of else None,
                **{k: getattr(v, "pk", v) for k, v in links.items()},
            },
        )
        messages += _requester_told(form)
        notifications_queue(messages, mode=mode)
    return Decided(form, decision)


def _check_original(form: FamilyConnectForm, original: FamilyConnectForm) -> None:
    if original.pk == form.pk:
        raise InvalidInput("A form cannot duplicate itself.", field="duplicate_of")
    if original.status in (FormStatus.DUPLICATE, FormStatus.WITHDRAWN):
        raise InvalidInput(
            "The original form is itself closed as a duplicate or withdrawn: "
            "link to the form that is being worked with.",
            field="duplicate_of",
        )


def _allocate(
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
        raise InvalidInput(
            "Transfer the form to a locality before allocating it.", field="locality"
        )
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


def _requester_told(form: FamilyConnectForm) -> list[Message]:
    """The decision, by reference only, with the private link that shows it and
    asks the one feedback question."""
    to = form.requester.email if form.requester is not None else form.contact_email
    if not to:
        return []
    link = settings.SITE_URL + reverse(
        "family_connect:status", args=[status_token(form.status_key)]
    )
    return [
        Message(
            key=f"decision:{form.reference}:{form.status}",
            to=to,
            subject=f"Decision on Family Connect Form {form.reference}",
            body=(
                f"A decision has been made on Family Connect Form {form.reference}."
                f"\n\nSee it, and tell us in one click how easy it was to get help:"
                f"\n{link}\n"
            ),
        )
    ]


# --- One service per decision ---------------------------------------------------------


def form_allocate(
    *,
    form_id: int,
    actor: User,
    lead_practitioner: User,
    reason: str,
    opened_at: datetime | None = None,
    seen_version: str | None = None,
    mode: Mode = LIVE,
) -> Decided:
    """Allocate to a lead practitioner: opens the family's case, or joins the open
    one. The form must have a locality."""
    return _decide(
        form_id=form_id,
        actor=actor,
        outcome=FormStatus.ALLOCATED,
        reason=reason,
        lead_practitioner=lead_practitioner,
        opened_at=opened_at,
        seen_version=seen_version,
        mode=mode,
    )


def form_signpost(
    *,
    form_id: int,
    actor: User,
    community_service: CommunityService | None,
    reason: str,
    seen_version: str | None = None,
    mode: Mode = LIVE,
) -> Decided:
    """Signpost the family to a named community service: an active one of the
    form's locality, or a city-wide one (history may not name it)."""
    locality_id = (
        FamilyConnectForm.objects.filter(pk=form_id)
        .values_list("locality_id", flat=True)
        .first()
    )
    if community_service is None:
        if mode.holds(Rule.COMMUNITY_SERVICE_NAMED):
            raise InvalidInput(
                "Choose the community service.", field="community_service"
            )
    elif not community_service.active or community_service.locality_id not in (
        None,
        locality_id,
    ):
        raise InvalidInput(
            "Choose a service from the locality's directory.",
            field="community_service",
        )
    return _decide(
        form_id=form_id,
        actor=actor,
        outcome=FormStatus.SIGNPOSTED,
        reason=reason,
        community_service=community_service,
        seen_version=seen_version,
        mode=mode,
    )


def form_give_consultation(
    *,
    form_id: int,
    actor: User,
    reason: str,
    seen_version: str | None = None,
    mode: Mode = LIVE,
) -> Decided:
    return _decide(
        form_id=form_id,
        actor=actor,
        outcome=FormStatus.CONSULTATION_GIVEN,
        reason=reason,
        seen_version=seen_version,
        mode=mode,
    )


def form_step_up(
    *,
    form_id: int,
    actor: User,
    reason: str,
    seen_version: str | None = None,
    mode: Mode = LIVE,
) -> Decided:
    """Pass the family to children's social care."""
    return _decide(
        form_id=form_id,
        actor=actor,
        outcome=FormStatus.STEPPED_UP,
        reason=reason,
        seen_version=seen_version,
        mode=mode,
    )


def form_no_further_action(
    *,
    form_id: int,
    actor: User,
    reason: str,
    seen_version: str | None = None,
    mode: Mode = LIVE,
) -> Decided:
    return _decide(
        form_id=form_id,
        actor=actor,
        outcome=FormStatus.NO_FURTHER_ACTION,
        reason=reason,
        seen_version=seen_version,
        mode=mode,
    )


def form_mark_duplicate(
    *,
    form_id: int,
    actor: User,
    duplicate_of: FamilyConnectForm | None,
    reason: str,
    seen_version: str | None = None,
    mode: Mode = LIVE,
) -> Decided:
    """Close a waiting form as a duplicate of another that is being worked with
    (not itself, not one closed as a duplicate or withdrawn). A decided form is
    closed by ``form_close_decided``."""
    return _decide(
        form_id=form_id,
        actor=actor,
        outcome=FormStatus.DUPLICATE,
        reason=reason,
        duplicate_of=duplicate_of,
        seen_version=seen_version,
        mode=mode,
    )


def form_withdraw(
    *,
    form_id: int,
    actor: User,
    reason: str,
    seen_version: str | None = None,
    mode: Mode = LIVE,
) -> Decided:
    """Close a waiting form as withdrawn; a decided one is closed by
    ``form_close_decided``."""
    return _decide(
        form_id=form_id,
        actor=actor,
        outcome=FormStatus.WITHDRAWN,
        reason=reason,
        seen_version=seen_version,
        mode=mode,
    )


def form_close_decided(
    *,
    form_id: int,
    actor: User,
    outcome: str,
    reason: str,
    seen_version: str | None,
    duplicate_of: FamilyConnectForm | None = None,
    mode: Mode = LIVE,
) -> Decided:
    """Close a decided form as withdrawn (the family no longer wants help, or
    the request was made in error) or as a duplicate of another form.

    Its own action, not a decision: the manager must have seen the decision, so
    ``seen_version`` is required (history excepted) and a form changed
    since is refused with ``Stale``. The decision stays on record; the form's
    status changes, with a ``status_changed`` event. What the decision did is
    undone where it can be: a step-up's referrals made at triage are removed,
    unless social care has recorded an outcome for them (then refused). An
    allocated form is refused: its case is open and is closed through casework.
    """
    now = clock.now()
    reason = _reason(reason, mode)
    if seen_version is None and mode.holds(Rule.DECISION_SEEN):
        raise InvalidInput(
            "Review the form's decision before closing it: send the version you "
            "saw (the API's If-Match header).",
            field="version",
        )
    with transaction.atomic():
        form = _locked(form_id, actor, mode)
        _refuse_if_stale(form, seen_version)
        if not can_close_decided(form.status, outcome):
            _refuse_closing(form, outcome)
        if outcome == FormStatus.DUPLICATE:
            if duplicate_of is not None:
                _check_original(form, duplicate_of)
            elif mode.holds(Rule.DUPLICATE_NAMES_ITS_ORIGINAL):
                raise InvalidInput(
                    "Enter the reference of the form it duplicates.",
                    field="duplicate_of",
                )
            form.duplicate_of = duplicate_of
        removed: list[int] = []
        # History keeps the referrals the previous system recorded.
        if form.status == FormStatus.STEPPED_UP and mode.holds(Rule.STEP_UP_UNDONE):
            removed = social_care_referrals_withdraw_for_form(form=form, actor=actor)
        before = form.status
        form.status = outcome
        form.save(update_fields=["status", "duplicate_of", "updated_at"])
        FormEvent.objects.create(
            form=form,
            at=now,
            actor=actor,
            kind=FormEvent.Kind.STATUS_CHANGED,
            data={
                "from": before,
                "to": outcome,
                "reason": reason,
                "duplicate_of": duplicate_of.reference if duplicate_of else None,
                # Only when there were some: the same event as the batched
                # import writes otherwise.
                **({"social_care_referrals_removed": removed} if removed else {}),
            },
        )
        notifications_queue(_requester_told(form), mode=mode)
    return Decided(form, getattr(form, "decision", None))


def _refuse_closing(form: FamilyConnectForm, outcome: str) -> None:
    if outcome not in (FormStatus.WITHDRAWN, FormStatus.DUPLICATE):
        raise InvalidInput(
            "A decided form can only be closed as withdrawn or as a duplicate.",
            field="outcome",
        )
    if form.status == FormStatus.SUBMITTED:
        raise InvalidInput("This form is waiting for a decision: record the decision.")
    if form.status == FormStatus.ALLOCATED:
        raise Conflict(
            "An allocated form cannot be withdrawn or closed as a duplicate: the "
            "family's case is open. Close the case, with the reason, instead. "
            "Nothing was changed."
        )
    raise Conflict(changed_since_message(form))


def form_transfer(
    *,
    form_id: int,
    actor: User,
    to_locality: Locality,
    reason: str,
    seen_version: str | None = None,
    mode: Mode = LIVE,
) -> FamilyConnectForm:
    """Move an undecided form to another locality's queue; its received time, and
    so its 7-day clock, stay as they are."""
    now = clock.now()
    reason = _reason(reason, mode)
    with transaction.atomic():
        form = _locked(form_id, actor, mode)
        _refuse_if_stale(form, seen_version)
        if not can_transfer(form.status):
            raise Conflict("Only a form waiting for a decision can be transferred.")
        if form.locality_id == to_locality.pk:
            raise InvalidInput(
                "The form is already in that locality.", field="to_locality"
            )
        FormTransfer.objects.create(
            form=form,
            from_locality_id=form.locality_id,
            to_locality=to_locality,
            by=actor,
            at=now,
            reason=reason,
        )
        before = form.locality_id
        form.locality = to_locality
        form.save(update_fields=["locality", "updated_at"])
        FormEvent.objects.create(
            form=form,
            at=now,
            actor=actor,
            kind=FormEvent.Kind.TRANSFERRED,
            data={"from": before, "to": to_locality.pk, "reason": reason},
        )
    return form


def form_decide(
    *,
    form_id: int,
    actor: User,
    outcome: str,
    reason: str,
    lead_practitioner: User | None = None,
    community_service: CommunityService | None = None,
    duplicate_of: FamilyConnectForm | None = None,
    to_locality: Locality | None = None,
    seen_version: str | None = None,
) -> FamilyConnectForm:
    """Route one decision, as named by its outcome code, to its service (the API
    and the triage page take the outcome as data).

    Withdrawn or duplicate for a form already decided, from a manager who says
    which version they saw, is the closing action; without the version it is a
    decision, refused as the form is decided. (The status read here is not
    locked: the service checks the version under the lock, so a decision made
    in between is refused as ``Stale`` whichever way this routes.)"""
    if outcome in (FormStatus.WITHDRAWN, FormStatus.DUPLICATE) and (
        seen_version is not None
        and FamilyConnectForm.objects.filter(pk=form_id)
        .exclude(status=FormStatus.SUBMITTED)
        .exists()
    ):
        return form_close_decided(
            form_id=form_id,
            actor=actor,
            outcome=outcome,
            reason=reason,
            seen_version=seen_version,
            duplicate_of=duplicate_of,
        ).form
    if outcome == "transferred":
        if to_locality is None:
            raise InvalidInput(
                "Choose the locality to transfer to.", field="to_locality"
            )
        return form_transfer(
            form_id=form_id,
            actor=actor,
            to_locality=to_locality,
            reason=reason,
            seen_version=seen_version,
        )
    if outcome == FormStatus.ALLOCATED:
        if lead_practitioner is None:
            raise InvalidInput("Choose a lead practitioner.", field="lead_practitioner")
        return form_allocate(
            form_id=form_id,
            actor=actor,
            lead_practitioner=lead_practitioner,
            reason=reason,
            seen_version=seen_version,
        ).form
    if outcome == FormStatus.SIGNPOSTED:
        if community_service is None:
            raise InvalidInput(
                "Choose the community service.", field="community_service"
            )
        return form_signpost(
            form_id=form_id,
            actor=actor,
            community_service=community_service,
            reason=reason,
            seen_version=seen_version,
        ).form
    if outcome == FormStatus.DUPLICATE:
        if duplicate_of is None:
            raise InvalidInput(
                "Enter the reference of the form it duplicates.", field="duplicate_of"
            )
        return form_mark_duplicate(
            form_id=form_id,
            actor=actor,
            duplicate_of=duplicate_of,
            reason=reason,
            seen_version=seen_version,
        ).form
    simple: dict[str, Any] = {
        FormStatus.CONSULTATION_GIVEN: form_give_consultation,
        FormStatus.STEPPED_UP: form_step_up,
        FormStatus.NO_FURTHER_ACTION: form_no_further_action,
        FormStatus.WITHDRAWN: form_withdraw,
    }
    if outcome not in simple:
        raise InvalidInput("Choose a decision.", field="outcome")
    return simple[outcome](
        form_id=form_id, actor=actor, reason=reason, seen_version=seen_version
    ).form


# --- Teams, capacity and the community services directory ---------------------------

MAX_CAPACITY = 60


def practitioner_capacity_set(
    *, locality: Locality, practitioner_id: int, capacity: int, actor: object
) -> TeamMember:
    """Set how many families a practitioner of the locality can lead at once.
    Practitioners without a team join the locality's default team. Precondition:
    the caller runs the locality (``triage.access.queue_for_user``)."""
    if not 0 <= capacity <= MAX_CAPACITY:
        raise InvalidInput(
            f"Capacity must be a number from 0 to {MAX_CAPACITY}", field="capacity"
        )
    practitioner = User.objects.filter(
        pk=practitioner_id,
        role=Role.PRACTITIONER,
        is_active=True,
        memberships__locality=locality,
    ).first()
    if practitioner is None:
        raise InvalidInput(
            "Choose a practitioner of this locality", field="practitioner"
        )
    with transaction.atomic():
        member = (
            TeamMember.objects.select_for_update()
            .filter(user=practitioner, team__locality=locality)
            .first()
        )
        before = None
        if member is None:
            team, _ = Team.objects.get_or_create(
                locality=locality, name=f"{locality.name} early help team"
            )
            member = TeamMember(team=team, user=practitioner)
        else:
            before = {"capacity": member.capacity}
        member.capacity = capacity
        member.save()
        change_record(
            actor=actor, obj=member, before=before, after={"capacity": capacity}
        )
    return member


def community_service_save(
    *,
    locality: Locality,
    name: str,
    category: str,
    contact: str,
    actor: object,
    service_id: int | None = None,
    active: bool = True,
) -> CommunityService:
    """Add a community service to a locality's directory, or change one of its
    own (city-wide services are the administrators')."""
    name, category, contact = (v.strip() for v in (name, category, contact))
    errors = [
        (field, message)
        for field, value, message in (
            ("name", name, "Enter the service's name"),
            ("category", category, "Enter what kind of help it gives"),
            ("contact", contact, "Enter how families contact it"),
        )
        if not value
    ]
    if errors:
        raise InvalidInput(errors[0][1], field=errors[0][0])
    with transaction.atomic():
        fields = ("name", "category", "contact", "active")
        before = None
        if service_id is None:
            service = CommunityService(locality=locality)
        else:
            service = CommunityService.objects.select_for_update().get(
                pk=service_id, locality=locality
            )
            before = {f: getattr(service, f) for f in fields}
        service.name, service.category, service.contact = name, category, contact
        service.active = active
        service.save()
        after = {f: getattr(service, f) for f in fields}
        change_record(actor=actor, obj=service, before=before, after=after)
    return service
