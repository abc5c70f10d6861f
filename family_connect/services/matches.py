"""Likely matches between a form and the households and people we know: stored
when the form arrives (a strong one with an open case attaches the form to
it), then confirmed or rejected at triage, with a reason when the link crosses
localities.
"""

from __future__ import annotations

from datetime import datetime

from django.db import transaction

from accounts.models import User
from core import clock
from core.errors import Conflict, InvalidInput, Stale
from family_connect import events as form_events
from family_connect import matching
from family_connect.household_cases import OpenCase, household_open_case
from family_connect.linking import (
    candidate_household,
    cross_locality_concern,
    cross_locality_linked,
)
from family_connect.models import (
    CrossLocalityLink,
    FamilyConnectForm,
    FormEvent,
    FormMember,
    FormStatus,
    MatchCandidate,
    MatchStatus,
)


def form_matches_store(
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
        form_events.matched(
            form,
            at=now,
            family_ids=[h.family.pk for h in households],
            person_ids=[p.person.pk for p in people],
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
        form_events.attached_to_case(
            form, at=now, case_id=case.pk, lead_id=case.lead_practitioner_id
        )
    )
    return case


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
        if confirm:
            form_events.match_confirmed(
                form, actor=actor, at=now, candidate=candidate, link=link
            ).save()
        else:
            form_events.match_rejected(
                form, actor=actor, at=now, candidate=candidate
            ).save()
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
