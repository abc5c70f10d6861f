"""Sending a form: saved with everything that follows from it at once, once
however often it is sent; who is told; and forgetting the API's idempotency
keys.
"""

from __future__ import annotations

import dataclasses
import hashlib
import json
from dataclasses import dataclass
from datetime import datetime, timedelta

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone

from accounts.models import Organisation, User
from accounts.roles import Role
from core import clock
from core.errors import Conflict, NotAllowed
from core.history import LIVE, Mode, Rule
from core.notifications import Message, notifications_queue
from families.names import name_keys
from family_connect import events as form_events
from family_connect.access import may_bulk_upload, routes_for_user
from family_connect.limits import forms_allowance_take
from family_connect.models import (
    FamilyConnectForm,
    FormDraft,
    FormEvent,
    FormMember,
    IdempotencyKey,
    Reason,
    Route,
)
from family_connect.references import reference_new, status_key_new, status_token
from family_connect.services.matches import form_matches_store
from family_connect.validation import SubmissionInput
from localities.models import Locality
from localities.postcodes import locality_for_postcode


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
    # One transaction, without savepoints inside it: a reference or status key
    # that collided (about one in a trillion) or a concurrent request with the
    # same Idempotency-Key rolls it back whole, and it is tried again.
    for attempt in range(3):
        try:
            return _submit_once(
                data=data,
                actor=actor,
                idempotency_key=idempotency_key,
                digest=digest,
                draft_id=draft_id,
                notify=notify,
                organisation=organisation,
                mode=mode,
            )
        except IntegrityError:
            if idempotency_key:
                assert actor is not None
                existing = _form_for_key(actor, idempotency_key, digest)
                if existing is not None:
                    return SubmitResult(existing, created=False)
            if attempt == 2:
                raise
    raise AssertionError("unreachable")  # pragma: no cover


def _submit_once(
    *,
    data: SubmissionInput,
    actor: User | None,
    idempotency_key: str,
    digest: str,
    draft_id: int | None,
    notify: bool,
    organisation: Organisation | None,
    mode: Mode,
) -> SubmitResult:
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
    form.save()

    members = FormMember.objects.bulk_create(
        [
            FormMember(
                form=form,
                position=i,
                **dataclasses.asdict(m),
                **name_keys(m.given_name, m.family_name),
            )
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
        form_events.submitted(
            form,
            actor=actor,
            at=now,
            locality_slug=locality.slug if locality else None,
        )
    ]
    messages = _messages_for_new_form(form) if notify else []
    # History arrives with its household already known.
    case = (
        form_matches_store(form, members, now=now, events=events, actor=actor)
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


def status_url(form: FamilyConnectForm) -> str:
    """The form's private status link, in full."""
    path = reverse("family_connect:status", args=[status_token(form.status_key)])
    return f"{settings.SITE_URL}{path}"


def _messages_for_new_form(form: FamilyConnectForm) -> list[Message]:
    """A confirmation to whoever asked and a notice to the locality's triage
    inbox. Only the reference, never details about the family; a family that
    asked for itself also gets its private status link, which shows only
    whether a decision was made and what it is (a partner follows its forms on
    its list of forms)."""
    messages = []
    if form.requester is not None:
        to, next_steps = (
            form.requester.email,
            "The early help team in the family's area will look at it and "
            "decide within a week how we can help.",
        )
    else:
        to, next_steps = (
            form.contact_email,
            "The early help team in your area will look at it and decide within "
            "a week how we can help. We will contact you to tell you what "
            "happens next.\n\n"
            "Check the progress of your request with this private link (keep it "
            f"to yourself): {status_url(form)}",
        )
    if to:
        messages.append(
            Message(
                key=f"form-confirmation:{form.reference}",
                to=to,
                subject=f"We have received your Family Connect Form {form.reference}",
                body=(
                    "Thank you. Your Family Connect Form reference is "
                    f"{form.reference}.\n\n{next_steps}\n\n"
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


IDEMPOTENCY_KEY_LIFETIME = timedelta(days=30)


def idempotency_keys_purge(*, now: datetime | None = None) -> int:
    """Forget API idempotency keys after 30 days: a retry comes within minutes."""
    cutoff = (now or timezone.now()) - IDEMPOTENCY_KEY_LIFETIME
    deleted, _ = IdempotencyKey.objects.filter(created_at__lt=cutoff).delete()
    return deleted
