"""Importing one checked episode (IMPORT.md) through the domain services.

Each episode is replayed step by step — the form received, transferred,
decided; the case opened, assessed, reviewed, stepped up, closed; referrals to
social care — by the same services the pages use, with the clock set to the
moment the file gives for each step (``core.clock.replaying_at``). The whole
episode is one transaction: it imports completely or not at all.

Identity: the episode's ``external_id`` and a digest of its line decide whether
it is new (imported), the same as before (unchanged) or changed (its earlier
records are replaced, keeping the form's reference). Households and people are
matched by their own ``external_id``; the latest episode by receipt holds the
current address and details.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import functools
import hashlib
import json
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any
from zoneinfo import ZoneInfo

from django.contrib.auth.hashers import make_password
from django.db import transaction
from django.utils import timezone

from accounts.models import Organisation, User
from accounts.roles import Role
from audits.models import CaseAudit
from audits.services import case_audits_from_history
from casework.models import Case, ImportedEpisode
from casework.services.assessment import AssessmentInput, assessment_save
from casework.services.closure import ClosureInput, case_close
from casework.services.referrals import social_care_referral_record
from casework.services.reviews import ReviewInput, review_record
from casework.services.step_up import case_step_up, step_up_outcome_record
from core import clock
from core.errors import Conflict
from core.history import HISTORY
from families.models import Family, Person
from families.names import name_key
from family_connect.models import FamilyConnectForm, FormMember, FormStatus
from family_connect.services.feedback import form_feedback_give
from family_connect.services.submission import form_submit
from family_connect.validation import MemberInput, SubmissionInput
from localities.models import Locality
from privacy.models import PurgedEpisode
from privacy.removal import records_remove
from records_import.episodes import (
    Assessment,
    Closure,
    Decision,
    Episode,
    Household,
    Review,
    StepUp,
)
from records_import.episodes import Case as EpisodeCase
from triage.services.closing import form_close_decided
from triage.services.decisions import (
    form_allocate,
    form_give_consultation,
    form_mark_duplicate,
    form_no_further_action,
    form_signpost,
    form_step_up,
    form_withdraw,
)
from triage.services.transfers import form_transfer

LONDON = ZoneInfo("Europe/London")
IMPORTED = "imported"
UPDATED = "updated"
UNCHANGED = "unchanged"
PURGED = "purged"  # its records were purged under retention: not brought back
PERSON_FIELDS = (
    "role",
    "given_name",
    "family_name",
    "date_of_birth",
    "expected",
    "sex",
    "ethnicity",
    "relationship",
)


def line_digest(raw: Any) -> str:
    """Equal parsed JSON objects have equal digests (key order ignored)."""
    text = json.dumps(raw, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
    return hashlib.sha256(text.encode()).hexdigest()


@dataclass
class Directory:
    """Users, organisations and localities named by a file, looked up once.
    Users who do not exist are created inactive, without a password."""

    created_users: list[str] = field(default_factory=list)
    _users: dict[str, User] = field(default_factory=dict)
    _organisations: dict[str, Organisation] = field(default_factory=dict)
    _localities: dict[str, Locality] = field(default_factory=dict)

    def user(self, email: str, role: str, locality: Locality | None) -> User:
        email = email.strip().lower()
        user = self._users.get(email)
        if user is None:
            user = User.objects.filter(email=email).first()
            if user is None:
                user = User.objects.create(
                    email=email,
                    role=role,
                    is_active=False,
                    password=make_password(None),
                )
                if locality is not None and role != Role.AUDITOR:
                    user.memberships.create(locality=locality)
                self.created_users.append(email)
            self._users[email] = user
        return user

    def organisation(self, name: str) -> Organisation | None:
        if not name:
            return None
        org = self._organisations.get(name)
        if org is None:
            org = Organisation.objects.filter(name=name).first()
            if org is None:
                org = Organisation.objects.create(name=name)
            self._organisations[name] = org
        return org

    def locality(self, slug: str | None) -> Locality | None:
        if not slug:
            return None
        if slug not in self._localities:
            self._localities[slug] = Locality.objects.get(slug=slug)
        return self._localities[slug]

    def rolled_back(self) -> None:
        """After a rolled-back episode: what it created no longer exists."""
        kept = set(
            User.objects.filter(email__in=self.created_users).values_list(
                "email", flat=True
            )
        )
        self.created_users = [e for e in self.created_users if e in kept]
        self._users.clear()
        self._organisations.clear()


def episode_import(episode: Episode, *, digest: str, directory: Directory) -> str:
    """Import, update or leave one checked episode; returns which. Raises
    DomainError (the services' own refusals) and rolls the episode back."""
    if PurgedEpisode.objects.filter(external_id=episode.external_id).exists():
        return PURGED
    with transaction.atomic():
        existing = (
            ImportedEpisode.objects.select_for_update()
            .filter(external_id=episode.external_id)
            .first()
        )
        if existing is not None and existing.digest == digest:
            return UNCHANGED
        keep: tuple[str, str] | None = None
        if existing is not None:
            keep = _episode_remove(existing)
        _replay(episode, digest=digest, directory=directory, keep=keep)
    return UPDATED if existing is not None else IMPORTED


def audit_history(episode: Episode) -> list[dict[str, Any]]:
    """The episode's audits as ``case_audits_from_history`` reads them."""
    return [dataclasses.asdict(a) for a in episode.audits]


def _episode_remove(existing: ImportedEpisode) -> tuple[str, str]:
    """Remove what an earlier version of the episode recorded; returns the
    form's reference and status key for the new version to keep."""
    form = existing.form
    kept = (form.reference, form.status_key)
    case_id = form.case_id
    if (
        case_id is not None
        and CaseAudit.objects.filter(case_id=case_id, round__isnull=False).exists()
    ):
        raise Conflict(
            "The case this episode opened has been audited in an audit round "
            "here, so the episode cannot be replaced."
        )
    records_remove(
        forms=[form.pk], cases=[case_id] if case_id else [], households=False
    )
    return kept


def _household(h: Household, received: dt.datetime) -> tuple[Family, dict[str, Person]]:
    """The household and its people, updated from this episode when it is the
    latest one received for them."""
    latest = (
        ImportedEpisode.objects.filter(household_external_id=h.external_id)
        .order_by("-received_at")
        .values_list("received_at", flat=True)
        .first()
    )
    current = latest is None or received >= latest
    family, created = Family.objects.get_or_create(
        external_id=h.external_id,
        defaults={"postcode": h.postcode, "address_line": h.address_line},
    )
    if current and not created:
        family.postcode, family.address_line = h.postcode, h.address_line
        family.save(update_fields=["postcode", "address_line", "updated_at"])
    people: dict[str, Person] = {
        str(p.external_id): p
        for p in Person.objects.filter(
            external_id__in=[m.external_id for m in h.members]
        )
    }
    for m in h.members:
        values = {f: getattr(m, f) for f in PERSON_FIELDS}
        values["given_name_key"] = name_key(m.given_name)
        values["family_name_key"] = name_key(m.family_name)
        person = people.get(m.external_id)
        if person is None:
            people[m.external_id] = Person.objects.create(
                external_id=m.external_id, family=family, **values
            )
        elif current:
            for name, value in values.items():
                setattr(person, name, value)
            person.family = family
            person.save()
    return family, people


def _submission(episode: Episode) -> SubmissionInput:
    h, r = episode.household, episode.request
    return SubmissionInput(
        route=r.route,
        request_type=r.request_type,
        postcode=h.postcode,
        address_line=h.address_line,
        household_external_id=h.external_id,
        reasons=r.reasons,
        level_of_need=r.level_of_need,
        consent=bool(r.consent),
        locality_slug=r.locality or "",
        closed_to_social_care_on=r.closed_to_social_care_on,
        members=tuple(
            MemberInput(
                role=m.role,
                given_name=m.given_name,
                family_name=m.family_name,
                date_of_birth=m.date_of_birth,
                expected=m.expected,
                sex=m.sex,
                ethnicity=m.ethnicity,
                relationship=m.relationship,
                external_id=m.external_id,
            )
            for m in h.members
        ),
    )


def _replay(
    episode: Episode,
    *,
    digest: str,
    directory: Directory,
    keep: tuple[str, str] | None,
) -> None:
    r = episode.request
    family, people = _household(episode.household, r.received_at)
    form = _form_submit(episode, digest, directory, family, people, keep)
    decision = r.decision
    decider = (
        directory.user(
            decision.by,
            Role.LOCALITY_MANAGER,
            directory.locality(r.final_locality),
        )
        if decision
        else None
    )
    for t in r.transfers:
        with clock.replaying_at(t.at):
            form_transfer(
                form_id=form.pk,
                actor=decider or _system_user(directory),
                to_locality=directory.locality(t.to_locality),  # type: ignore[arg-type]
                reason=t.reason or "Transferred in the previous system",
                mode=HISTORY,
            )
    if decision is not None:
        assert decider is not None
        _decide(episode, decision, form, decider, directory)
    if r.final_status is not None:
        _final_status(episode, form, decider or _system_user(directory))
    feedback = r.requester_feedback
    if feedback is not None:
        with clock.replaying_at(feedback.given_at):
            form_feedback_give(form_id=form.pk, score=feedback.score)

    for referral in episode.social_care_referrals:
        made, _ = social_care_referral_record(
            person=people[referral.person],
            actor=None,  # type: ignore[arg-type]  # recorded by the import
            referred_at=referral.referred_at,
        )
        if made.episode_id is None:
            made.episode = form.imported_episode
            made.save(update_fields=["episode"])


def _form_submit(
    episode: Episode,
    digest: str,
    directory: Directory,
    family: Family,
    people: dict[str, Person],
    keep: tuple[str, str] | None,
) -> FamilyConnectForm:
    """The form as received, confirmed to the household and its people, and
    the record that this episode made it."""
    received = episode.request.received_at
    with clock.replaying_at(received):
        form = form_submit(
            data=_submission(episode),
            actor=None,
            notify=False,
            organisation=directory.organisation(episode.request.organisation),
            mode=HISTORY,
        ).form
    # The household is known: the form's family and people are confirmed.
    form.family = family
    if family.locality_id is None or family.postcode == form.postcode:
        family.locality_id = form.locality_id
        family.save(update_fields=["locality", "updated_at"])
    if keep is not None:
        form.reference, form.status_key = keep
    form.save(update_fields=["family", "reference", "status_key", "updated_at"])
    for member in FormMember.objects.filter(form=form):
        member.person = people[member.external_id]
        member.save(update_fields=["person"])
    ImportedEpisode.objects.create(
        external_id=episode.external_id,
        digest=digest,
        form=form,
        household_external_id=episode.household.external_id,
        received_at=received,
        imported_at=timezone.now(),
    )
    return form


def _final_status(episode: Episode, form: FamilyConnectForm, actor: User) -> None:
    """A duplicate or withdrawn form: after its decision, or without one."""
    r = episode.request
    decision = r.decision
    with clock.replaying_at(decision.decided_at if decision else r.received_at):
        if decision is not None:
            form_close_decided(
                form_id=form.pk,
                actor=actor,
                outcome=r.final_status,  # type: ignore[arg-type]
                reason="",
                seen_version=None,
                mode=HISTORY,
            )
        elif r.final_status == FormStatus.DUPLICATE:
            form_mark_duplicate(
                form_id=form.pk,
                actor=actor,
                duplicate_of=None,
                reason="",
                mode=HISTORY,
            )
        else:
            form_withdraw(form_id=form.pk, actor=actor, reason="", mode=HISTORY)


def _system_user(directory: Directory) -> User:
    return directory.user("records-import@early-help.invalid", Role.ADMINISTRATOR, None)


def _decide(
    episode: Episode,
    decision: Decision,
    form: FamilyConnectForm,
    decider: User,
    directory: Directory,
) -> None:
    outcome, reason = decision.outcome, decision.reason
    with clock.replaying_at(decision.decided_at):
        if outcome == FormStatus.ALLOCATED:
            _allocate(episode, form, decider, directory, reason)
            return
        if outcome == FormStatus.SIGNPOSTED:
            form_signpost(
                form_id=form.pk,
                actor=decider,
                community_service=None,
                reason=reason,
                mode=HISTORY,
            )
            return
        simple = {
            FormStatus.CONSULTATION_GIVEN: form_give_consultation,
            FormStatus.STEPPED_UP: form_step_up,
            FormStatus.NO_FURTHER_ACTION: form_no_further_action,
        }
        simple[outcome](form_id=form.pk, actor=decider, reason=reason, mode=HISTORY)  # type: ignore[index]


def _allocate(
    episode: Episode,
    form: FamilyConnectForm,
    decider: User,
    directory: Directory,
    reason: str,
) -> None:
    """The case opened by an allocation, its history and its audits."""
    assert episode.case is not None
    form.refresh_from_db(fields=["locality"])
    lead = directory.user(
        episode.case.lead_practitioner, Role.PRACTITIONER, form.locality
    )
    case = form_allocate(
        form_id=form.pk,
        actor=decider,
        lead_practitioner=lead,
        reason=reason,
        opened_at=episode.case.opened_at,
        mode=HISTORY,
    ).form.case
    assert case is not None
    _case_history(episode.case, case, lead)
    CaseAudit.objects.bulk_create(
        case_audits_from_history(
            case=case,
            audits=audit_history(episode),
            auditors=[
                directory.user(a.auditor, Role.AUDITOR, None) for a in episode.audits
            ],
        )
    )


def _case_history(data: EpisodeCase, case: Case, lead: User) -> None:
    """Replay the case's steps in the order they happened (a step-up and a
    closure at one instant: the step-up first)."""
    people = {
        str(p.external_id): p.pk for p in Person.objects.filter(case_places__case=case)
    }
    steps = _case_steps(data, case, lead, people)
    for when, _order, step in sorted(steps, key=lambda s: (s[0], s[1])):
        with clock.replaying_at(when):
            step()


def _case_steps(
    data: EpisodeCase, case: Case, lead: User, people: dict[str, int]
) -> list[tuple[dt.datetime, int, Callable[[], Any]]]:
    """Each step of the case: when, its order at one instant, the service call."""

    def by_person(scores: Mapping[str, int]) -> dict[int, int | None]:
        return {people[k]: v for k, v in scores.items()}

    def assess(a: Assessment) -> None:
        assessment_save(
            case_id=case.pk,
            actor=lead,
            data=AssessmentInput(
                scaling=a.scaling,
                wheel=dict(a.wheel),
                person_scores=by_person(a.person_scores),
            ),
            complete=True,
            mode=HISTORY,
        )

    def review(r: Review) -> None:
        review_record(
            case_id=case.pk,
            actor=lead,
            data=ReviewInput(
                held_on=r.held_at.astimezone(LONDON).date(),
                attendees="",
                progress="",
                scaling=r.scaling,
                wheel=dict(r.wheel),
                person_scores=by_person(r.person_scores),
            ),
            mode=HISTORY,
        )

    def close(c: Closure) -> None:
        feedback = c.family_feedback
        case_close(
            case_id=case.pk,
            actor=lead,
            data=ClosureInput(
                reason=c.reason,
                wheel=dict(c.wheel),
                person_scores=by_person(c.person_scores),
                children={people[k]: dict(v) for k, v in c.children.items()},
                feedback_score=feedback.score if feedback else None,
                feedback_comment=feedback.comment if feedback else "",
            ),
            mode=HISTORY,
        )

    steps: list[tuple[dt.datetime, int, Callable[[], Any]]] = []
    if data.assessment is not None:
        a = data.assessment
        steps.append((a.completed_at, 0, functools.partial(assess, a)))
    for r in data.reviews:
        steps.append((r.held_at, 1, functools.partial(review, r)))
    for s in data.step_ups:
        steps.append(
            (s.referred_at, 2, functools.partial(_step_up, case, lead, people, s))
        )
    if data.closure is not None:
        c = data.closure
        steps.append((c.closed_at, 3, functools.partial(close, c)))
    return steps


def _step_up(case: Case, lead: User, people: dict[str, int], step_up: StepUp) -> None:
    referrals = case_step_up(
        case_id=case.pk,
        actor=lead,
        person_ids=[people[step_up.person]],
        reason="",
        mode=HISTORY,
    )
    if step_up.outcome:
        for referral in referrals:
            step_up_outcome_record(
                referral_id=referral.pk, actor=lead, outcome=step_up.outcome
            )
