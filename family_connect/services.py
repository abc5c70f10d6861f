"""Writes to Family Connect Forms and their drafts."""

from __future__ import annotations

import dataclasses
import hashlib
import json
import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils import timezone

from accounts.models import Organisation, User
from accounts.roles import Role
from core import clock
from core.errors import Conflict, InvalidInput, NotAllowed, Stale
from core.history import LIVE, Mode, Rule
from core.notifications import Message, notifications_queue
from family_connect import matching
from family_connect.access import may_bulk_upload, routes_for_user
from family_connect.household_cases import OpenCase, household_open_case
from family_connect.limits import forms_allowance_take
from family_connect.linking import (
    candidate_household,
    cross_locality_concern,
    cross_locality_linked,
)
from family_connect.models import (
    CrossLocalityLink,
    FamilyConnectForm,
    FormDraft,
    FormEvent,
    FormFeedback,
    FormMember,
    FormStatus,
    IdempotencyKey,
    MatchCandidate,
    MatchStatus,
    Reason,
    Route,
)
from family_connect.references import reference_new, status_key_new
from family_connect.validation import SubmissionInput
from localities.models import Locality
from localities.postcodes import locality_for_postcode

DRAFT_LIFETIME = timedelta(days=28)


@dataclass(frozen=True)
class SubmitResult:
    form: FamilyConnectForm
    created: bool


def _digest(data: SubmissionInput) -> str:
    canonical = json.dumps(dataclasses.asdict(data), sort_keys=True, default=str)
    return hashlib.sha256(canonical.encode()).hexdigest()


def may_submit(user: User | None, route: str) -> bool:
    if route == Route.BULK:
        return may_bulk_upload(user)
    return route in routes_for_user(user)


def form_submit(
    *,
    data: SubmissionInput,
    actor: User | None,
    idempotency_key: str = "",
    draft_id: int | None = None,
    notify: bool = True,
    organisation: Organisation | None = None,
    mode: Mode = LIVE,
) -> SubmitResult:
    """Save a validated form and everything that follows from it at once.

    Preconditions: ``data`` came from ``validation.submission_validate``; ``actor``
    is the signed-in user or None for a family. Idempotent: the same
    ``idempotency_key`` from the same user, or the same draft, gives back the form
    it created. A signed-in ``actor`` past their hourly number of forms gets
    TooMany and nothing is saved. The locality comes from the postcode unless
    given; likely matches are stored for triage; a strong match with an open case
    attaches the form to it. E-mails are queued to go after commit
    (``notify=False`` leaves the confirmation and triage notice to the caller, as
    bulk upload does; the lead practitioner of an attached case is always told).
    The number of queries does not depend on the number of members or reasons.
    """
    # History (the records import) brings forms from every route.
    if mode.holds(Rule.ROUTE_OF_THE_SUBMITTER) and not may_submit(actor, data.route):
        raise NotAllowed("You cannot submit a form by this route.")
    digest = _digest(data)
    with transaction.atomic():
        if idempotency_key:
            assert actor is not None
            existing = _form_for_key(actor, idempotency_key, digest)
            if existing is not None:
                return SubmitResult(existing, created=False)
        draft = None
        if draft_id is not None:
            draft = FormDraft.objects.select_for_update().get(pk=draft_id)
            if draft.submitted_form_id is not None:
                return SubmitResult(draft.submitted_form, created=False)  # type: ignore[arg-type]
        # Counted only for a form about to be made, so a replay costs nothing.
        # A bulk list takes its rows from its own allowance, in bulk_upload.
        if actor is not None and data.route != Route.BULK:
            forms_allowance_take(user=actor)
        try:
            with transaction.atomic():
                form = _form_create(
                    data=data,
                    actor=actor,
                    notify=notify,
                    organisation=organisation,
                    mode=mode,
                )
                if idempotency_key:
                    assert actor is not None
                    IdempotencyKey.objects.create(
                        user=actor,
                        key=idempotency_key,
                        request_digest=digest,
                        form=form,
                    )
        except IntegrityError:
            if not idempotency_key:
                raise
            # A concurrent request with the same key committed first.
            assert actor is not None
            existing = _form_for_key(actor, idempotency_key, digest)
            if existing is None:
                raise
            return SubmitResult(existing, created=False)
        if draft is not None:
            # The answers now live on the form; the draft keeps only the link.
            draft.submitted_form = form
            draft.answers = {}
            draft.save(update_fields=["submitted_form", "answers", "updated_at"])
    return SubmitResult(form, created=True)


def _form_for_key(actor: User, key: str, digest: str) -> FamilyConnectForm | None:
    row = (
        IdempotencyKey.objects.select_related("form", "form__locality")
        .filter(user=actor, key=key)
        .first()
    )
    if row is None:
        return None
    if row.request_digest != digest:
        raise Conflict(
            "This Idempotency-Key was already used for a different form.",
            field="Idempotency-Key",
        )
    return row.form


def _locality_for(
    data: SubmissionInput, actor: User | None, mode: Mode
) -> Locality | None:
    # Only a locality manager, or the historical record, may place a form in a
    # locality other than the one its postcode resolves to.
    if data.locality_slug and (
        not mode.holds(Rule.POSTCODE_PLACES_THE_FORM)
        or (actor is not None and actor.role == Role.LOCALITY_MANAGER)
    ):
        return Locality.objects.get(slug=data.locality_slug)
    return locality_for_postcode(data.postcode)


def _form_create(
    *,
    data: SubmissionInput,
    actor: User | None,
    notify: bool,
    organisation: Organisation | None = None,
    mode: Mode = LIVE,
) -> FamilyConnectForm:
    now = clock.now()
    locality = _locality_for(data, actor, mode)
    keyed_by_staff = data.route in (Route.PHONE, Route.BULK) or (
        actor is not None and actor.role != Role.REQUESTER
    )
    requester = actor if actor is not None and actor.role == Role.REQUESTER else None
    form = FamilyConnectForm(
        reference=reference_new(),
        status_key=status_key_new(),
        route=data.route,
        request_type=data.request_type,
        received_at=now,
        requester=requester,
        organisation=organisation
        or (
            actor.organisation
            if actor is not None
            and (requester is not None or data.route == Route.STEP_DOWN)
            else None
        ),
        entered_by=actor if keyed_by_staff else None,
        contact_name=data.contact_name,
        contact_phone=data.contact_phone,
        contact_email=data.contact_email,
        postcode=data.postcode,
        address_line=data.address_line,
        locality=locality,
        level_of_need=data.level_of_need,
        consent=data.consent,
        consent_given_by=data.consent_given_by
        or (data.contact_name if data.route == Route.FAMILY else ""),
        consent_recorded_at=now if data.consent else None,
        safeguarding_concern=data.safeguarding_concern,
        front_door_contacted=data.front_door_contacted,
        family_words=data.family_words,
        child_voice=data.child_voice,
        working_well=data.working_well,
        language=data.language,
        interpreter_needed=data.interpreter_needed,
        communication_needs=data.communication_needs,
        closed_to_social_care_on=data.closed_to_social_care_on,
    )
    for _attempt in range(3):
        try:
            with transaction.atomic():
                form.save()
            break
        except IntegrityError:
            # A reference or status key collided (about one in a trillion); draw again.
            form.pk = None
            form.reference = reference_new()
            form.status_key = status_key_new()
    else:
        raise IntegrityError("Could not draw a unique form reference.")

    members = FormMember.objects.bulk_create(
        [
            FormMember(form=form, position=i, **dataclasses.asdict(m))
            for i, m in enumerate(data.members)
        ]
    )
    reason_ids = Reason.objects.filter(code__in=data.reasons).values_list(
        "pk", flat=True
    )
    FamilyConnectForm.reasons.through.objects.bulk_create(
        [
            FamilyConnectForm.reasons.through(familyconnectform_id=form.pk, reason_id=r)
            for r in reason_ids
        ]
    )
    events = [
        FormEvent(
            form=form,
            at=now,
            actor=actor,
            kind=FormEvent.Kind.SUBMITTED,
            data={
                "route": form.route,
                "locality": locality.slug if locality else None,
                "safeguarding_concern": form.safeguarding_concern,
            },
        )
    ]
    messages = _messages_for_new_form(form) if notify else []
    # History arrives with its household already known.
    case = (
        _match(form, members, now=now, events=events, actor=actor)
        if mode.holds(Rule.MATCHED_ON_RECEIPT)
        else None
    )
    if case is not None:
        messages.append(
            Message(
                key=f"form-attached:{form.reference}:{case.lead_practitioner_id}",
                to=case.lead_practitioner.email,
                subject=(
                    f"New Family Connect Form {form.reference} "
                    "for a family you work with"
                ),
                body=(
                    f"Family Connect Form {form.reference} was received for a family "
                    "whose case you lead, and has been attached to the case.\n\n"
                    "Sign in to Early Help Connect to read it."
                ),
            )
        )
    FormEvent.objects.bulk_create(events)
    notifications_queue(messages, mode=mode)
    return form


def _match(
    form: FamilyConnectForm,
    members: list[FormMember],
    *,
    now: datetime,
    events: list[FormEvent],
    actor: User | None,
) -> OpenCase | None:
    """Store likely matches; attach the form to the open case of a strong one."""
    households, people = matching.find_matches(
        postcode=form.postcode,
        members=[
            matching.MemberProbe(i, m.given_name, m.family_name, m.date_of_birth)
            for i, m in enumerate(members)
        ],
    )
    candidates = [
        MatchCandidate(form=form, family=h.family, score=h.score, evidence=h.evidence)
        for h in households
    ] + [
        MatchCandidate(
            form=form,
            member=members[p.member_index],
            person=p.person,
            score=p.score,
            evidence=p.evidence,
        )
        for p in people
    ]
    if not candidates:
        return None
    MatchCandidate.objects.bulk_create(candidates)
    events.append(
        FormEvent(
            form=form,
            at=now,
            actor=None,
            kind=FormEvent.Kind.MATCHED,
            data={
                "households": [h.family.pk for h in households],
                "people": [p.person.pk for p in people],
            },
        )
    )
    strong = [h for h in households if h.score >= matching.STRONG]
    if not strong:
        return None
    case = household_open_case(family_ids=[h.family.pk for h in strong])
    if case is None:
        return None
    form.case_id = case.pk
    form.family_id = case.family_id
    form.save(update_fields=["case", "family", "updated_at"])
    events.append(
        FormEvent(
            form=form,
            at=now,
            actor=None,
            kind=FormEvent.Kind.ATTACHED_TO_CASE,
            data={"case": case.pk, "lead_practitioner": case.lead_practitioner_id},
        )
    )
    return case


def _messages_for_new_form(form: FamilyConnectForm) -> list[Message]:
    """A confirmation to whoever asked and a notice to the locality's triage
    inbox. Only the reference, never details about the family."""
    messages = []
    requester_email = form.requester.email if form.requester else form.contact_email
    if requester_email:
        messages.append(
            Message(
                key=f"form-confirmation:{form.reference}",
                to=requester_email,
                subject=f"We have received your Family Connect Form {form.reference}",
                body=(
                    "Thank you. Your Family Connect Form reference is "
                    f"{form.reference}.\n\n"
                    "The early help team in the family's area will look at it and "
                    "decide within a week how we can help.\n\n"
                    "If a child is in immediate danger, call 999."
                ),
            )
        )
    for to in triage_inboxes(form.locality):
        messages.append(
            Message(
                key=f"form-new:{form.reference}:{to}",
                to=to,
                subject=f"New Family Connect Form {form.reference}",
                body=(
                    f"A new Family Connect Form, {form.reference}, is waiting in the "
                    "triage queue.\n\nSign in to Early Help Connect to read it."
                ),
            )
        )
    return messages


def triage_inboxes(locality: Locality | None) -> list[str]:
    if locality is not None and locality.triage_email:
        return [locality.triage_email]
    managers = User.objects.filter(role=Role.LOCALITY_MANAGER, is_active=True)
    if locality is not None:
        managers = managers.filter(memberships__locality=locality)
    else:
        # Unresolved forms: the managers given city-wide triage.
        perm = Q(user_permissions__codename="triage_citywide") | Q(
            groups__permissions__codename="triage_citywide"
        )
        managers = managers.filter(perm)
    return sorted(set(managers.values_list("email", flat=True)))


# --- Drafts -------------------------------------------------------------------------


def _token_digest(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


@dataclass(frozen=True)
class DraftStarted:
    draft: FormDraft
    token: str


def draft_start(*, route: str, user: User | None) -> DraftStarted:
    """A new empty draft and the private token that resumes it (shown once)."""
    if not may_submit(user, route):
        raise NotAllowed("You cannot submit a form by this route.")
    token = secrets.token_urlsafe(24)
    draft = FormDraft.objects.create(
        token_digest=_token_digest(token),
        route=route,
        user=user if user is not None and user.is_authenticated else None,
        answers={},
        expires_at=timezone.now() + DRAFT_LIFETIME,
    )
    return DraftStarted(draft, token)


def draft_owner(user: User | None) -> Q:
    """The drafts that belong to this user (None: to nobody signed in)."""
    return Q(user=user) if user is not None else Q(user__isnull=True)


def draft_resume(*, token: str, user: User | None) -> DraftStarted | None:
    """Open the unexpired, unsubmitted draft this resume link points at, and give
    it a new link: the old one stops working, so a link handed to somebody else
    cannot be used to read answers typed in after it was opened."""
    with transaction.atomic():
        draft = (
            FormDraft.objects.select_for_update()
            .filter(
                token_digest=_token_digest(token or ""),
                expires_at__gt=timezone.now(),
                submitted_form__isnull=True,
            )
            # A signed-in user's draft opens only for them; a family's only
            # outside an account.
            .filter(draft_owner(user))
            .first()
        )
        if draft is None:
            return None
        new_token = secrets.token_urlsafe(24)
        draft.token_digest = _token_digest(new_token)
        draft.save(update_fields=["token_digest", "updated_at"])
    return DraftStarted(draft, new_token)


def draft_save(
    *,
    draft_id: int,
    answers: dict[str, Any],
    route: str | None = None,
    user: User | None = None,
) -> FormDraft:
    """Merge a page's answers into the draft and push its expiry 28 days on;
    ``route`` (checked against what ``user`` may submit) changes the draft's
    route."""
    if route is not None and not may_submit(user, route):
        raise NotAllowed("You cannot submit a form by this route.")
    with transaction.atomic():
        draft = FormDraft.objects.select_for_update().get(pk=draft_id)
        if draft.submitted_form_id is not None:
            raise NotAllowed("This form has already been sent.")
        draft.answers = {**draft.answers, **answers}
        draft.expires_at = timezone.now() + DRAFT_LIFETIME
        fields = ["answers", "expires_at", "updated_at"]
        if route is not None:
            draft.route = route
            fields.append("route")
        draft.save(update_fields=fields)
    return draft


def drafts_purge(*, now: datetime | None = None) -> int:
    """Delete drafts past their expiry; a submitted draft is only a pointer and
    goes too. Idempotent."""
    cutoff = now or timezone.now()
    deleted, _ = FormDraft.objects.filter(expires_at__lte=cutoff).delete()
    return deleted


IDEMPOTENCY_KEY_LIFETIME = timedelta(days=30)


def idempotency_keys_purge(*, now: datetime | None = None) -> int:
    """Forget API idempotency keys after 30 days: a retry comes within minutes."""
    cutoff = (now or timezone.now()) - IDEMPOTENCY_KEY_LIFETIME
    deleted, _ = IdempotencyKey.objects.filter(created_at__lt=cutoff).delete()
    return deleted


def match_candidate_decide(
    *,
    candidate_id: int,
    actor: User,
    confirm: bool,
    reason: str = "",
    seen_version: str | None = None,
) -> MatchCandidate:
    """Confirm or reject a proposed match. Confirming a household links the form
    to that family (allocation then uses it, or joins its open case); confirming
    a person links the form's member to them. Nothing is merged. A confirmation
    that links the form to a household of another locality needs ``reason`` and
    is recorded as a cross-locality link (``family_connect.linking``).
    ``seen_version`` (the API's ``If-Match``) is the form's version the manager
    acted on: when the form has changed since, ``Stale`` and nothing changes.
    Preconditions: the caller resolved the form through triage access; the form
    is undecided."""
    now = clock.now()
    reason = (reason or "").strip()
    if len(reason) > 5000:
        raise InvalidInput(
            "The reason must be 5,000 characters or fewer", field="reason"
        )
    with transaction.atomic():
        candidate = MatchCandidate.objects.select_related("form").get(pk=candidate_id)
        form = FamilyConnectForm.objects.select_for_update().get(pk=candidate.form_id)
        if seen_version is not None and seen_version != form.version:
            raise Stale(
                "This form has changed since you read it: read it again, then "
                "decide the match. Nothing was changed."
            )
        if form.status != FormStatus.SUBMITTED:
            raise Conflict("Matches can be changed only before the form is decided.")
        candidate = (
            MatchCandidate.objects.select_for_update(of=("self",))
            .select_related("family", "person__family")
            .get(pk=candidate_id)
        )
        link = (
            _cross_locality_link(form, candidate, actor=actor, at=now, reason=reason)
            if confirm
            else None
        )
        candidate.status = MatchStatus.CONFIRMED if confirm else MatchStatus.REJECTED
        candidate.decided_by = actor
        candidate.decided_at = now
        candidate.save(update_fields=["status", "decided_by", "decided_at"])
        if confirm and candidate.member_id is None:
            form.family_id = candidate.family_id
            if form.case is not None and form.case.family_id != candidate.family_id:
                form.case = None  # intake's link was to another family
            form.save(update_fields=["family", "case", "updated_at"])
        elif candidate.member_id is not None:
            member = FormMember.objects.select_for_update().get(pk=candidate.member_id)
            if confirm:
                member.person_id = candidate.person_id
            elif member.person_id == candidate.person_id:
                member.person = None
            member.save(update_fields=["person"])
        elif not confirm and candidate.member_id is None:
            # Not this family after all: undo a link intake made to it, case too.
            if form.family_id == candidate.family_id:
                form.family = None
            if form.case is not None and form.case.family_id == candidate.family_id:
                form.case = None
            form.save(update_fields=["family", "case", "updated_at"])
        FormEvent.objects.create(
            form=form,
            at=now,
            actor=actor,
            kind=FormEvent.Kind.MATCH_CONFIRMED
            if confirm
            else FormEvent.Kind.MATCH_REJECTED,
            data={
                "candidate": candidate.pk,
                "family": candidate.family_id,
                "person": candidate.person_id,
                **(
                    {"cross_locality_link": link.pk, "reason": link.reason}
                    if link is not None
                    else {}
                ),
            },
        )
    return candidate


def _cross_locality_link(
    form: FamilyConnectForm,
    candidate: MatchCandidate,
    *,
    actor: User,
    at: datetime,
    reason: str,
) -> CrossLocalityLink | None:
    """The record of a confirmation that crosses localities, or None when it
    does not (or this form's link to the household already has its reason).
    Refuses a crossing confirmation without a reason."""
    family = candidate_household(candidate)
    if family is None or cross_locality_linked(form_id=form.pk, family_id=family.pk):
        return None
    concern = cross_locality_concern(form_locality_id=form.locality_id, family=family)
    if not concern:
        return None
    if not reason:
        raise InvalidInput(
            f"{concern} Enter why you are linking this form to it: the data "
            "protection officer reviews every link across localities.",
            field="reason",
        )
    return CrossLocalityLink.objects.create(
        at=at,
        actor=actor,
        form=form,
        form_reference=form.reference,
        family=family,
        person=candidate.person if candidate.member_id is not None else None,
        form_locality_id=form.locality_id,
        household_locality_id=family.locality_id,
        why_flagged=concern,
        reason=reason,
    )


def form_feedback_give(*, form_id: int, score: int) -> FormFeedback:
    """Record the requester's 1–5 answer once the form is decided; the first
    answer stands (a second one changes nothing)."""
    if score not in range(1, 6):
        raise InvalidInput("Choose a number from 1 to 5", field="score")
    with transaction.atomic():
        form = FamilyConnectForm.objects.select_for_update().get(pk=form_id)
        if form.status == FormStatus.SUBMITTED:
            raise NotAllowed("You can say how it went once a decision is made.")
        feedback, created = FormFeedback.objects.get_or_create(
            form=form, defaults={"score": score, "given_at": clock.now()}
        )
        if created:
            FormEvent.objects.create(
                form=form,
                at=feedback.given_at,
                actor=None,
                kind=FormEvent.Kind.FEEDBACK_GIVEN,
                data={"score": score},
            )
    return feedback
