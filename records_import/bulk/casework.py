"""The cases' rows of a batch (``records_import.bulk``): team and grants, the
people on each case, assessment, reviews, step-ups, closure and its check,
audit history, referrals to social care, and the case events."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import partial
from zoneinfo import ZoneInfo

from django.contrib.auth.models import Permission

from accounts.models import User
from accounts.roles import Role
from audits.models import CaseAudit
from audits.services import case_audits_from_history
from casework import events as case_events
from casework.models import (
    Answer,
    Assessment,
    AssessmentPerson,
    Case,
    CaseClosure,
    CaseEvent,
    CaseMember,
    CasePerson,
    CasePersonSource,
    CaseUserObjectPermission,
    ClosurePerson,
    PersonConsent,
    PostClosureCheck,
    Review,
    ReviewPerson,
    SocialCareReferral,
    WheelDomain,
)
from casework.services.closure import POST_CLOSURE_MONTHS
from casework.services.consent import consent_rows_from_form
from casework.services.reviews import review_interval
from core.periods import add_months_to_moment
from families.models import Person
from family_connect.models import FamilyConnectForm, FormStatus
from records_import.bulk.rows import fast_row, insert
from records_import.bulk.written import Written
from records_import.load import audit_history

LONDON = ZoneInfo("Europe/London")
WHEEL = tuple(WheelDomain.values)


@dataclass
class _CaseRows:
    # In the order they happened; an event whose data names a row not yet
    # written (a review, a referral) is built once that row has its key.
    events: list[CaseEvent | Callable[[], CaseEvent]] = field(default_factory=list)
    team: list[CaseMember] = field(default_factory=list)
    places: list[CasePerson] = field(default_factory=list)
    consents: list[PersonConsent] = field(default_factory=list)
    grants: list[CaseUserObjectPermission] = field(default_factory=list)
    assessments: list[tuple[Assessment, list[AssessmentPerson]]] = field(
        default_factory=list
    )
    reviews: list[tuple[Review, list[ReviewPerson]]] = field(default_factory=list)
    closures: list[tuple[CaseClosure, list[ClosurePerson]]] = field(
        default_factory=list
    )
    checks: list[PostClosureCheck] = field(default_factory=list)
    audits: list[CaseAudit] = field(default_factory=list)
    referrals: list[SocialCareReferral] = field(default_factory=list)


@dataclass(frozen=True)
class _Batch:
    """What the rows of every case in the batch look up."""

    people: dict[str, Person]
    perms: dict[str, Permission]
    by_id: dict[str | None, int]  # person external_id → id
    role: dict[int, str]  # person id → role


def casework_write(written: list[Written], people: dict[str, Person]) -> None:
    perms = {
        p.codename: p
        for p in Permission.objects.filter(
            content_type__app_label="casework",
            codename__in=["view_case", "change_case"],
        )
    }
    batch = _Batch(
        people=people,
        perms=perms,
        by_id={p.external_id: p.pk for p in people.values()},
        role={p.pk: p.role for p in people.values()},
    )
    external_keys = set(
        SocialCareReferral.objects.filter(
            person__in=[p.pk for p in people.values()],
            source=SocialCareReferral.Source.EXTERNAL,
        ).values_list("person_id", "referred_at")
    )
    rows = _CaseRows()
    for w in written:
        _triage_referrals(rows, w, people)
        if w.case is not None:
            _case(rows, w, w.case, batch)
        _external_referrals(rows, w, people, external_keys)
    _insert_all(rows)


def _triage_referrals(rows: _CaseRows, w: Written, people: dict[str, Person]) -> None:
    """A form stepped up to social care: each child is referred."""
    decision = w.episode.request.decision
    if decision is None or decision.outcome != FormStatus.STEPPED_UP:
        return
    for m in w.episode.household.members:
        if m.role == "child":
            rows.referrals.append(
                SocialCareReferral(
                    person=people[m.external_id],
                    referred_at=decision.decided_at,
                    source=SocialCareReferral.Source.TRIAGE,
                    form=w.form,
                    reason=decision.reason,
                    recorded_by=w.decider,
                )
            )


def _case(rows: _CaseRows, w: Written, case: Case, batch: _Batch) -> None:
    rows.audits += case_audits_from_history(
        case=case, audits=audit_history(w.episode), auditors=w.auditors
    )
    on_case = _case_opened(rows, w, case, batch)
    _assessment(rows, w, case, on_case, batch)
    _reviews(rows, w, case, on_case, batch)
    _step_ups(rows, w, case, batch)
    _closure(rows, w, case, on_case, batch)


def _case_opened(rows: _CaseRows, w: Written, case: Case, batch: _Batch) -> list[int]:
    """The lead, their grants, the opening event and the people on the case
    (the household the episode names); returns those people's ids."""
    lead, decider, c = w.lead, w.decider, w.episode.case
    assert lead is not None and c is not None
    rows.team.append(
        fast_row(CaseMember, case=case, user=lead, is_lead=True, added_by=decider)
    )
    codenames = (
        ["view_case", "change_case"]
        if lead.role in (Role.PRACTITIONER, Role.LOCALITY_MANAGER)
        else ["view_case"]
    )
    rows.grants += [
        fast_row(
            CaseUserObjectPermission,
            user=lead,
            permission=batch.perms[code],
            content_object=case,
        )
        for code in codenames
    ]
    rows.events.append(
        case_events.opened(case, actor=decider, at=c.opened_at, form=w.form)
    )
    named = w.episode.household.members
    on_case = sorted({batch.people[m.external_id].pk for m in named})
    rows.places += [
        fast_row(
            CasePerson,
            case=case,
            locality_id=case.locality_id,
            person_id=pk,
            added_at=c.opened_at,
            added_by=decider,
            source=CasePersonSource.OPENING_FORM,
            form=w.form,
        )
        for pk in on_case
    ]
    # The form's consent, carried to each person it names, as allocation does.
    consents = consent_rows_from_form(
        case=case,
        form=w.form,
        people={batch.people[m.external_id] for m in named},
        actor=decider,
        at=c.opened_at,
    )
    if consents:
        rows.consents += consents
        rows.events.append(
            partial(
                _consent_recorded,
                case,
                actor=decider,
                at=c.opened_at,
                consents=consents,
                form=w.form,
            )
        )
    return on_case


def _assessment(
    rows: _CaseRows, w: Written, case: Case, on_case: list[int], batch: _Batch
) -> None:
    assert w.episode.case is not None
    a = w.episode.case.assessment
    if a is None:
        return
    assessment = Assessment(
        case=case,
        scaling=a.scaling,
        completed_at=a.completed_at,
        completed_by=w.lead,
        **{d: a.wheel.get(d) for d in WHEEL},
    )
    scores = {batch.by_id[k]: v for k, v in a.person_scores.items()}
    rows.assessments.append(
        (
            assessment,
            [
                AssessmentPerson(
                    assessment=assessment,
                    person_id=pk,
                    score=scores.get(pk),
                    voice="",
                )
                for pk in on_case
            ],
        )
    )
    rows.events += [
        case_events.assessment_started(case, actor=w.lead, at=a.completed_at),
        case_events.assessment_completed(case, actor=w.lead, at=a.completed_at),
    ]


def _reviews(
    rows: _CaseRows, w: Written, case: Case, on_case: list[int], batch: _Batch
) -> None:
    assert w.episode.case is not None
    for rv in w.episode.case.reviews:
        scores = {batch.by_id[k]: v for k, v in rv.person_scores.items()}
        review = Review(
            case=case,
            held_at=rv.held_at,
            attendees="",
            progress="",
            plan_changes="",
            scaling=rv.scaling,
            next_review_on=rv.held_at.astimezone(LONDON).date() + review_interval(),
            recorded_by=w.lead,
            **{d: rv.wheel.get(d) for d in WHEEL},
        )
        rows.reviews.append(
            (
                review,
                [
                    ReviewPerson(review=review, person_id=pk, score=scores[pk])
                    for pk in on_case
                    if scores.get(pk) is not None
                ],
            )
        )
        rows.events.append(
            partial(_review_held, case, actor=w.lead, at=rv.held_at, review=review)
        )


def _step_ups(rows: _CaseRows, w: Written, case: Case, batch: _Batch) -> None:
    assert w.episode.case is not None
    lead = w.lead
    for s in w.episode.case.step_ups:
        person = batch.people[s.person]
        referral = SocialCareReferral(
            person=person,
            referred_at=s.referred_at,
            source=SocialCareReferral.Source.CASE,
            case=case,
            reason="",
            recorded_by=lead,
            outcome=s.outcome,
            outcome_recorded_at=s.referred_at if s.outcome else None,
        )
        rows.referrals.append(referral)
        rows.events.append(
            case_events.stepped_up(
                case,
                actor=lead,
                at=s.referred_at,
                person_ids=[person.pk],
                actor_role=""
                if lead is None
                else "lead_practitioner"
                if case.lead_practitioner_id == lead.pk
                else lead.role,
            )
        )
        if s.outcome:
            rows.events.append(
                partial(
                    _step_up_outcome,
                    case,
                    actor=lead,
                    at=s.referred_at,
                    referral=referral,
                )
            )


def _closure(
    rows: _CaseRows, w: Written, case: Case, on_case: list[int], batch: _Batch
) -> None:
    assert w.episode.case is not None
    cl = w.episode.case.closure
    if cl is None:
        return
    fb = cl.family_feedback
    closure = CaseClosure(
        case=case,
        closed_at=cl.closed_at,
        closed_by=w.lead,
        reason=cl.reason,
        family_feedback_score=fb.score if fb else None,
        family_feedback_comment=fb.comment.strip() if fb else "",
        **{d: cl.wheel.get(d) for d in WHEEL},
    )
    scores = {batch.by_id[k]: v for k, v in cl.person_scores.items()}
    answers = {batch.by_id[k]: v for k, v in cl.children.items()}
    rows.closures.append(
        (
            closure,
            [
                ClosurePerson(
                    closure=closure,
                    person_id=pk,
                    score=scores.get(pk),
                    **(
                        {
                            q: answers.get(pk, {}).get(q, Answer.NOT_ASKED)
                            for q in ("happy", "healthy", "safe")
                        }
                        if batch.role.get(pk) == "child"
                        else {}
                    ),
                )
                for pk in on_case
            ],
        )
    )
    rows.checks.append(
        PostClosureCheck(
            case=case,
            closed_at=cl.closed_at,
            window_end=add_months_to_moment(cl.closed_at, POST_CLOSURE_MONTHS),
            done_at=None,
            results={},
        )
    )
    rows.events.append(
        case_events.closed(case, actor=w.lead, at=cl.closed_at, reason=cl.reason)
    )


def _external_referrals(
    rows: _CaseRows,
    w: Written,
    people: dict[str, Person],
    external_keys: set[tuple[int, dt.datetime]],
) -> None:
    """Referrals to social care made outside early help: one per person and
    moment, however many episodes name it."""
    for ref in w.episode.social_care_referrals:
        person = people[ref.person]
        key = (person.pk, ref.referred_at)
        if key in external_keys:
            continue
        external_keys.add(key)
        rows.referrals.append(
            SocialCareReferral(
                person=person,
                referred_at=ref.referred_at,
                source=SocialCareReferral.Source.EXTERNAL,
                reason="",
                recorded_by=None,
                episode=w.imported,
            )
        )


def _insert_all(rows: _CaseRows) -> None:
    insert(CaseMember, rows.team)
    insert(CasePerson, rows.places)
    insert(CaseUserObjectPermission, rows.grants)
    Assessment.objects.bulk_create([a for a, _ in rows.assessments])
    insert(AssessmentPerson, [p for _, ps in rows.assessments for p in ps])
    Review.objects.bulk_create([rv for rv, _ in rows.reviews])
    insert(ReviewPerson, [p for _, ps in rows.reviews for p in ps])
    CaseClosure.objects.bulk_create([cl for cl, _ in rows.closures])
    insert(ClosurePerson, [p for _, ps in rows.closures for p in ps])
    insert(PostClosureCheck, rows.checks)
    SocialCareReferral.objects.bulk_create(rows.referrals)
    CaseAudit.objects.bulk_create(rows.audits)
    PersonConsent.objects.bulk_create(rows.consents)
    # The events name the rows just written.
    insert(CaseEvent, [e() if callable(e) else e for e in rows.events])


def _consent_recorded(
    case: Case,
    *,
    actor: User | None,
    at: dt.datetime,
    consents: list[PersonConsent],
    form: FamilyConnectForm,
) -> CaseEvent:
    return case_events.consent_recorded(
        case, actor=actor, at=at, consent_ids=[c.pk for c in consents], form=form
    )


def _review_held(
    case: Case, *, actor: User | None, at: dt.datetime, review: Review
) -> CaseEvent:
    return case_events.review_held(case, actor=actor, at=at, review_id=review.pk)


def _step_up_outcome(
    case: Case,
    *,
    actor: User | None,
    at: dt.datetime,
    referral: SocialCareReferral,
) -> CaseEvent:
    return case_events.step_up_outcome(
        case,
        actor=actor,
        at=at,
        referral_id=referral.pk,
        outcome=referral.outcome,
    )
