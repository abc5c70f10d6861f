"""The batched path of the records import: many new episodes in a few queries.

Replaying an episode step by step through the services costs a few dozen
queries; at five years of the city's work that is hours. For episodes whose
steps the services would all accept — new episodes in time order that no rule
refuses — this module writes the same rows the services write (the same
statuses, decisions, events, grants, scores and referrals, at the same moments)
with one ``bulk_create`` (or, on PostgreSQL, one COPY) per table for a whole
batch. ``tests/casework/
test_import_bulk.py`` imports the same file both ways and compares every row.

Anything else (an episode already imported, a step a rule might refuse) is left
for the services, one episode at a time, so their messages reach the report.
A batch is one transaction: if it fails, nothing of it is written and its
episodes go through the services instead.
"""

from __future__ import annotations

import datetime as dt
import functools
from collections.abc import Callable
from operator import attrgetter
from typing import Any
from zoneinfo import ZoneInfo

from django.contrib.auth.models import Permission
from django.db import connection, transaction
from django.db.models import JSONField, Max
from django.db.models.base import ModelState
from django.utils import timezone
from psycopg.types.json import Jsonb

from accounts.models import User
from accounts.roles import Role
from audits.models import CaseAudit
from audits.services import case_audits_from_history
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
    CaseStatus,
    CaseUserObjectPermission,
    ClosurePerson,
    ClosureReason,
    ImportedEpisode,
    PostClosureCheck,
    Review,
    ReviewPerson,
    SocialCareReferral,
    WheelDomain,
)
from casework.services.closure import POST_CLOSURE_MONTHS
from casework.services.reviews import review_interval
from core.periods import add_months_to_moment
from families.models import Family, Person
from family_connect.matching import name_key
from family_connect.models import (
    FamilyConnectForm,
    FormDecision,
    FormEvent,
    FormFeedback,
    FormMember,
    FormStatus,
    FormTransfer,
    Reason,
)
from family_connect.references import reference_new, status_key_new
from localities.models import Locality
from records_import.load import PERSON_FIELDS, Directory

LONDON = ZoneInfo("Europe/London")
WHEEL = tuple(WheelDomain.values)
SYSTEM_USER = "records-import@early-help.invalid"


def bulk_ready(episode: dict[str, Any]) -> bool:
    """Whether every step of the episode is one the services accept, so the
    batched path writes exactly what they would. Anything unusual goes through
    the services, which explain a refusal."""
    r = episode["request"]
    decision = r["decision"]
    if (
        r["requester_feedback"] is not None
        and decision is None
        and not r["final_status"]
    ):
        return False  # feedback before any decision: refused
    locality = r["locality"]
    for t in r["transfers"]:
        if t["to_locality"] == locality:
            return False  # already there: refused
        locality = t["to_locality"]
    if decision is None or decision["outcome"] != FormStatus.ALLOCATED:
        return True
    if not r["consent"] or locality is None:
        return False
    case = episode["case"]
    closed = case["closure"]["closed_at"] if case["closure"] else None
    assessed = case["assessment"]["completed_at"] if case["assessment"] else None

    def before_closure(when: dt.datetime) -> bool:
        return closed is None or when < closed

    if assessed is not None and not before_closure(assessed):
        return False
    for review in case["reviews"]:
        # Reviews follow the completed assessment, while the case is open.
        if assessed is None or review["held_at"] <= assessed:
            return False
        if not before_closure(review["held_at"]):
            return False
    for step_up in case["step_ups"]:
        if not before_closure(step_up["referred_at"]):
            return False
        if step_up["referred_at"] == assessed:
            return False  # same instant: order would matter
    closure = case["closure"]
    # Outcomes met needs the baseline.
    return not (
        closure and closure["reason"] == ClosureReason.OUTCOMES_MET and assessed is None
    )


def _final_slug(request: dict[str, Any]) -> str | None:
    """The locality a form ends in: its last transfer's, else its own."""
    if request["transfers"]:
        return str(request["transfers"][-1]["to_locality"])
    return request["locality"]


def _insert(model: Any, objs: list[Any]) -> None:
    """Write rows whose primary keys nothing else in the batch needs: with
    PostgreSQL's COPY (several times faster than INSERT for tens of thousands
    of rows), elsewhere with ``bulk_create``. Each column's value is what
    ``bulk_create`` would send: the foreign key's id (taken from the related
    object written earlier in the batch), JSON as JSON, timestamps now."""
    if not objs:
        return
    if connection.vendor != "postgresql":
        model.objects.bulk_create(objs)
        return
    fields = [f for f in model._meta.concrete_fields if not f.primary_key]
    columns = ", ".join(connection.ops.quote_name(f.column) for f in fields)
    table = connection.ops.quote_name(model._meta.db_table)
    getters = [_column_getter(f, timezone.now()) for f in fields]
    with (
        connection.cursor() as cursor,
        cursor.cursor.copy(f"COPY {table} ({columns}) FROM STDIN") as copy,
    ):
        for obj in objs:
            copy.write_row([get(obj) for get in getters])


@functools.cache
def _shape(model: Any) -> tuple[dict[str, Any], dict[str, str]]:
    """A model's column defaults and its relation names → column names."""
    defaults = {
        f.attname: f.get_default()
        for f in model._meta.concrete_fields
        if not f.primary_key
    }
    relations = {
        f.name: f.attname for f in model._meta.concrete_fields if f.is_relation
    }
    return defaults, relations


def _fast(model: Any, **values: Any) -> Any:
    """A model instance for a row that is only written (never saved again or
    read back), built without ``Model.__init__``: the batched path makes tens of
    thousands of them. Related objects must already have their primary keys."""
    defaults, relations = _shape(model)
    obj = model.__new__(model)
    obj.__dict__.update(defaults)
    obj.__dict__[model._meta.pk.attname] = None  # bulk_create asks whether it is set
    for name, value in values.items():
        if name in relations:
            obj.__dict__[relations[name]] = value.pk if value is not None else None
        else:
            obj.__dict__[name] = value
    obj._state = ModelState()
    obj._state.adding = True
    return obj


def _column_getter(f: Any, now: dt.datetime) -> Callable[[Any], Any]:
    if f.is_relation:
        name, attname = f.name, f.attname

        def related_id(obj: Any) -> Any:
            value = obj.__dict__.get(attname)
            if value is None:
                related = obj._state.fields_cache.get(name)
                value = related.pk if related is not None else None
            return value

        return related_id
    if isinstance(f, JSONField):
        attname = f.attname
        return lambda obj: Jsonb(getattr(obj, attname))
    if getattr(f, "auto_now", False) or getattr(f, "auto_now_add", False):
        return lambda obj: now
    return attrgetter(f.attname)


def _moment_date(moment: dt.datetime) -> dt.date:
    return moment.astimezone(LONDON).date()


def episodes_import_bulk(
    items: list[tuple[int, dict[str, Any], str]], *, directory: Directory
) -> None:
    """Import new, ready episodes in one transaction (raises on any failure,
    leaving nothing written)."""
    with transaction.atomic():
        _write(items, directory)


def _write(items: list[tuple[int, dict[str, Any], str]], directory: Directory) -> None:
    episodes = [e for _n, e, _d in items]
    digests = {e["external_id"]: d for _n, e, d in items}
    localities = {loc.slug: loc for loc in Locality.objects.all()}
    reason_ids = dict(Reason.objects.values_list("code", "pk"))
    perms = {
        p.codename: p
        for p in Permission.objects.filter(
            content_type__app_label="casework",
            codename__in=["view_case", "change_case"],
        )
    }

    # --- Households and people --------------------------------------------------
    # Replayed in file order, as the services would: the latest episode by
    # receipt holds a household's address and its people's details. Each
    # episode's case is about the people that episode names.
    household_ids = {e["household"]["external_id"] for e in episodes}
    person_ids = {m["external_id"] for e in episodes for m in e["household"]["members"]}
    families = {
        f.external_id: f for f in Family.objects.filter(external_id__in=household_ids)
    }
    by_pk = {f.pk: f for f in families.values()}
    people: dict[str, Person] = {
        str(p.external_id): p for p in Person.objects.filter(external_id__in=person_ids)
    }
    latest: dict[str, dt.datetime] = dict(
        ImportedEpisode.objects.filter(household_external_id__in=household_ids)
        .values("household_external_id")
        .annotate(at=Max("received_at"))
        .values_list("household_external_id", "at")
    )
    family_before = {
        f.pk: (f.postcode, f.address_line, f.locality_id) for f in families.values()
    }
    new_families: list[Family] = []
    new_people: list[Person] = []
    changed_people: dict[int, Person] = {}
    for e in episodes:
        h = e["household"]
        key = h["external_id"]
        received = e["request"]["received_at"]
        current = key not in latest or received >= latest[key]
        latest[key] = max(received, latest.get(key, received))
        family = families.get(key)
        if family is None:
            family = Family(external_id=key)
            families[key] = family
            new_families.append(family)
        if current:
            family.postcode, family.address_line = h["postcode"], h["address_line"]
        # The locality as the services set it right after receipt.
        if family.locality_id is None or family.postcode == h["postcode"]:
            initial = localities.get(e["request"]["locality"] or "")
            family.locality_id = initial.pk if initial else None
        for m in h["members"]:
            values = {f: m[f] for f in PERSON_FIELDS}
            values["given_name_key"] = name_key(m["given_name"])
            values["family_name_key"] = name_key(m["family_name"])
            found = people.get(m["external_id"])
            if found is None:
                found = Person(external_id=m["external_id"], family=family, **values)
                people[m["external_id"]] = found
                new_people.append(found)
            elif current and (
                found.family_id != family.pk
                or any(getattr(found, n) != v for n, v in values.items())
            ):
                for name, value in values.items():
                    setattr(found, name, value)
                found.family = family
                if found.pk is not None:
                    changed_people[found.pk] = found
        e["_family"] = family
    Family.objects.bulk_create(new_families)
    changed_families = [
        f
        for pk, f in by_pk.items()
        if family_before[pk] != (f.postcode, f.address_line, f.locality_id)
    ]
    if changed_families:
        Family.objects.bulk_update(
            changed_families, ["postcode", "address_line", "locality"]
        )
    Person.objects.bulk_create(new_people)
    if changed_people:
        Person.objects.bulk_update(
            list(changed_people.values()),
            [*PERSON_FIELDS, "given_name_key", "family_name_key", "family"],
        )

    # --- Users -------------------------------------------------------------------
    system = None
    for e in episodes:
        r = e["request"]
        final_slug = _final_slug(r)
        decision = r["decision"]
        e["_decider"] = (
            directory.user(
                decision["by"], Role.LOCALITY_MANAGER, localities.get(final_slug or "")
            )
            if decision
            else None
        )
        if decision is None and (r["transfers"] or r["final_status"]):
            system = system or directory.user(SYSTEM_USER, Role.ADMINISTRATOR, None)
        e["_system"] = system
        if decision and decision["outcome"] == FormStatus.ALLOCATED:
            e["_lead"] = directory.user(
                e["case"]["lead_practitioner"],
                Role.PRACTITIONER,
                localities.get(final_slug or ""),
            )
            e["_auditors"] = [
                directory.user(a["auditor"], Role.AUDITOR, None) for a in e["audits"]
            ]

    # --- Cases -------------------------------------------------------------------
    cases: list[Case] = []
    for e in episodes:
        if "_lead" not in e:
            continue
        c = e["case"]
        r = e["request"]
        final_slug = _final_slug(r)
        status = CaseStatus.ALLOCATED
        if c["assessment"] is not None:
            status = CaseStatus.PLAN
        closed_at = None
        if c["closure"] is not None:
            status = CaseStatus.CLOSED
            closed_at = c["closure"]["closed_at"]
        case = Case(
            family=e["_family"],
            locality=localities[str(final_slug)],
            lead_practitioner=e["_lead"],
            status=status,
            opened_at=c["opened_at"],
            closed_at=closed_at,
        )
        e["_case"] = case
        cases.append(case)
    Case.objects.bulk_create(cases)

    # --- Forms -------------------------------------------------------------------
    forms: list[FamilyConnectForm] = []
    organisations = {}
    for e in episodes:
        r, h = e["request"], e["household"]
        name = r["organisation"]
        if name and name not in organisations:
            organisations[name] = directory.organisation(name)
        final_slug = _final_slug(r)
        decision = r["decision"]
        form_status = decision["outcome"] if decision else FormStatus.SUBMITTED
        if r["final_status"]:
            form_status = r["final_status"]
        new_form = FamilyConnectForm(
            reference=reference_new(),
            status_key=status_key_new(),
            route=r["route"],
            request_type=r["request_type"],
            status=form_status,
            received_at=r["received_at"],
            organisation=organisations.get(name) if name else None,
            postcode=h["postcode"],
            address_line=h["address_line"],
            locality=localities.get(final_slug or ""),
            level_of_need=r["level_of_need"],
            consent=bool(r["consent"]),
            consent_recorded_at=r["received_at"] if r["consent"] else None,
            closed_to_social_care_on=r["closed_to_social_care_on"],
            family=e["_family"],
            case=e.get("_case"),
        )
        e["_form"] = new_form
        forms.append(new_form)
    FamilyConnectForm.objects.bulk_create(forms)

    members: list[FormMember] = []
    reasons = []
    form_events: list[FormEvent] = []
    transfers: list[FormTransfer] = []
    decisions: list[FormDecision] = []
    feedback: list[FormFeedback] = []
    imported: list[ImportedEpisode] = []
    now = timezone.now()
    for e in episodes:
        form: FamilyConnectForm = e["_form"]
        r = e["request"]
        for i, m in enumerate(e["household"]["members"]):
            members.append(
                _fast(
                    FormMember,
                    form=form,
                    position=i,
                    external_id=m["external_id"],
                    role=m["role"],
                    given_name=m["given_name"],
                    family_name=m["family_name"],
                    date_of_birth=m["date_of_birth"],
                    expected=m["expected"],
                    sex=m["sex"],
                    ethnicity=m["ethnicity"],
                    relationship=m["relationship"],
                    person=people[m["external_id"]],
                )
            )
        reasons += [
            _fast(
                FamilyConnectForm.reasons.through,
                familyconnectform_id=form.pk,
                reason_id=reason_ids[code],
            )
            for code in r["reasons"]
        ]
        form_events.append(
            _fast(
                FormEvent,
                form=form,
                at=r["received_at"],
                actor=None,
                kind=FormEvent.Kind.SUBMITTED,
                data={
                    "route": r["route"],
                    "locality": r["locality"] if r["locality"] else None,
                    "safeguarding_concern": False,
                },
            )
        )
        mover = e["_decider"] or e["_system"]
        before = localities[r["locality"]].pk if r["locality"] else None
        for t in r["transfers"]:
            to = localities[t["to_locality"]]
            reason = t["reason"] or "Transferred in the previous system"
            transfers.append(
                FormTransfer(
                    form=form,
                    from_locality_id=before,
                    to_locality=to,
                    by=mover,
                    at=t["at"],
                    reason=reason,
                )
            )
            form_events.append(
                _fast(
                    FormEvent,
                    form=form,
                    at=t["at"],
                    actor=mover,
                    kind=FormEvent.Kind.TRANSFERRED,
                    data={"from": before, "to": to.pk, "reason": reason},
                )
            )
            before = to.pk
        decision = r["decision"]
        first_outcome = None
        if decision is not None:
            first_outcome = decision["outcome"]
            links: dict[str, Any] = {}
            if first_outcome == FormStatus.ALLOCATED:
                links = {"lead_practitioner": e["_lead"], "case": e["_case"]}
            elif first_outcome == FormStatus.SIGNPOSTED:
                links = {"community_service": None}
            decisions.append(
                FormDecision(
                    form=form,
                    outcome=first_outcome,
                    decided_by=e["_decider"],
                    decided_at=decision["decided_at"],
                    reason=decision["reason"],
                    **links,
                )
            )
            form_events.append(
                _fast(
                    FormEvent,
                    form=form,
                    at=decision["decided_at"],
                    actor=e["_decider"],
                    kind=FormEvent.Kind.DECIDED,
                    data={
                        "from": FormStatus.SUBMITTED.value,
                        "to": first_outcome,
                        "reason": decision["reason"],
                        "duplicate_of": None,
                        **{k: getattr(v, "pk", v) for k, v in links.items()},
                    },
                )
            )
        if r["final_status"]:
            at = decision["decided_at"] if decision else r["received_at"]
            actor = e["_decider"] or e["_system"]
            if first_outcome is None:
                decisions.append(
                    FormDecision(
                        form=form,
                        outcome=r["final_status"],
                        decided_by=actor,
                        decided_at=at,
                        reason="",
                    )
                )
            form_events.append(
                _fast(
                    FormEvent,
                    form=form,
                    at=at,
                    actor=actor,
                    kind=FormEvent.Kind.DECIDED
                    if first_outcome is None
                    else FormEvent.Kind.STATUS_CHANGED,
                    data={
                        "from": first_outcome or FormStatus.SUBMITTED.value,
                        "to": r["final_status"],
                        "reason": "",
                        "duplicate_of": None,
                    },
                )
            )
        fb = r["requester_feedback"]
        if fb is not None:
            feedback.append(
                FormFeedback(form=form, score=fb["score"], given_at=fb["given_at"])
            )
            form_events.append(
                _fast(
                    FormEvent,
                    form=form,
                    at=fb["given_at"],
                    actor=None,
                    kind=FormEvent.Kind.FEEDBACK_GIVEN,
                    data={"score": fb["score"]},
                )
            )
        episode_row = ImportedEpisode(
            external_id=e["external_id"],
            digest=digests[e["external_id"]],
            form=form,
            household_external_id=e["household"]["external_id"],
            received_at=r["received_at"],
            imported_at=now,
        )
        e["_episode"] = episode_row
        imported.append(episode_row)
    _insert(FormMember, members)
    _insert(FamilyConnectForm.reasons.through, reasons)
    _insert(FormTransfer, transfers)
    _insert(FormDecision, decisions)
    _insert(FormFeedback, feedback)
    ImportedEpisode.objects.bulk_create(imported)

    _casework(episodes, people, perms, form_events)
    _insert(FormEvent, form_events)


def _casework(
    episodes: list[dict[str, Any]],
    people: dict[str, Person],
    perms: dict[str, Permission],
    form_events: list[FormEvent],
) -> None:
    case_events: list[CaseEvent] = []
    team: list[CaseMember] = []
    places: list[CasePerson] = []
    grants: list[CaseUserObjectPermission] = []
    assessments: list[tuple[Assessment, list[AssessmentPerson]]] = []
    reviews: list[tuple[Review, list[ReviewPerson]]] = []
    closures: list[tuple[CaseClosure, list[ClosurePerson]]] = []
    checks: list[PostClosureCheck] = []
    case_audits: list[CaseAudit] = []
    referrals: list[SocialCareReferral] = []
    outcome_events: list[tuple[CaseEvent, SocialCareReferral]] = []
    review_events: list[tuple[CaseEvent, Review]] = []
    step_up_events: list[tuple[CaseEvent, list[SocialCareReferral]]] = []
    external_keys = set(
        SocialCareReferral.objects.filter(
            person__in=[p.pk for p in people.values()],
            source=SocialCareReferral.Source.EXTERNAL,
        ).values_list("person_id", "referred_at")
    )
    role = {p.pk: p.role for p in people.values()}
    by_id = {p.external_id: p.pk for p in people.values()}
    for e in episodes:
        r = e["request"]
        form: FamilyConnectForm = e["_form"]
        decision = r["decision"]
        if decision is not None and decision["outcome"] == FormStatus.STEPPED_UP:
            for m in e["household"]["members"]:
                if m["role"] == "child":
                    referrals.append(
                        SocialCareReferral(
                            person=people[m["external_id"]],
                            referred_at=decision["decided_at"],
                            source=SocialCareReferral.Source.TRIAGE,
                            form=form,
                            reason=decision["reason"],
                            recorded_by=e["_decider"],
                        )
                    )
        case: Case | None = e.get("_case")
        if case is not None:
            case_audits += case_audits_from_history(
                case=case, audits=e["audits"], auditors=e["_auditors"]
            )
            lead: User = e["_lead"]
            c = e["case"]
            decider = e["_decider"]
            team.append(
                _fast(CaseMember, case=case, user=lead, is_lead=True, added_by=decider)
            )
            codenames = (
                ["view_case", "change_case"]
                if lead.role in (Role.PRACTITIONER, Role.LOCALITY_MANAGER)
                else ["view_case"]
            )
            grants += [
                _fast(
                    CaseUserObjectPermission,
                    user=lead,
                    permission=perms[code],
                    content_object=case,
                )
                for code in codenames
            ]
            case_events.append(
                _fast(
                    CaseEvent,
                    case=case,
                    actor=decider,
                    at=c["opened_at"],
                    kind="opened",
                    data={"form": form.reference},
                )
            )
            # The people on the case: the household the episode names.
            named = e["household"]["members"]
            on_case = sorted({people[m["external_id"]].pk for m in named})
            places += [
                _fast(
                    CasePerson,
                    case=case,
                    person_id=pk,
                    added_at=c["opened_at"],
                    added_by=decider,
                    source=CasePersonSource.OPENING_FORM,
                    form=form,
                )
                for pk in on_case
            ]
            a = c["assessment"]
            if a is not None:
                assessment = Assessment(
                    case=case,
                    scaling=a["scaling"],
                    completed_at=a["completed_at"],
                    completed_by=lead,
                    **{d: a["wheel"].get(d) for d in WHEEL},
                )
                scores = {by_id[k]: v for k, v in a["person_scores"].items()}
                assessments.append(
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
                for kind in ("assessment_started", "assessment_completed"):
                    case_events.append(
                        _fast(
                            CaseEvent,
                            case=case,
                            actor=lead,
                            at=a["completed_at"],
                            kind=kind,
                        )
                    )
            for rv in c["reviews"]:
                scores = {by_id[k]: v for k, v in rv["person_scores"].items()}
                review = Review(
                    case=case,
                    held_at=rv["held_at"],
                    attendees="",
                    progress="",
                    plan_changes="",
                    scaling=rv["scaling"],
                    next_review_on=_moment_date(rv["held_at"]) + review_interval(),
                    recorded_by=lead,
                    **{d: rv["wheel"].get(d) for d in WHEEL},
                )
                reviews.append(
                    (
                        review,
                        [
                            ReviewPerson(review=review, person_id=pk, score=scores[pk])
                            for pk in on_case
                            if scores.get(pk) is not None
                        ],
                    )
                )
                event = _fast(
                    CaseEvent,
                    case=case,
                    actor=lead,
                    at=rv["held_at"],
                    kind="review_held",
                )
                review_events.append((event, review))
                case_events.append(event)
            for s in c["step_ups"]:
                person = people[s["person"]]
                referral = SocialCareReferral(
                    person=person,
                    referred_at=s["referred_at"],
                    source=SocialCareReferral.Source.CASE,
                    case=case,
                    reason="",
                    recorded_by=lead,
                    outcome=s["outcome"],
                    outcome_recorded_at=s["referred_at"] if s["outcome"] else None,
                )
                referrals.append(referral)
                event = _fast(
                    CaseEvent,
                    case=case,
                    actor=lead,
                    at=s["referred_at"],
                    kind="stepped_up",
                    data={"people": [person.pk]},
                )
                step_up_events.append((event, [referral]))
                case_events.append(event)
                if s["outcome"]:
                    outcome_event = _fast(
                        CaseEvent,
                        case=case,
                        actor=lead,
                        at=s["referred_at"],
                        kind="step_up_outcome",
                    )
                    outcome_events.append((outcome_event, referral))
                    case_events.append(outcome_event)
            cl = c["closure"]
            if cl is not None:
                fb = cl["family_feedback"] or {}
                closure = CaseClosure(
                    case=case,
                    closed_at=cl["closed_at"],
                    closed_by=lead,
                    reason=cl["reason"],
                    family_feedback_score=fb.get("score"),
                    family_feedback_comment=(fb.get("comment") or "").strip(),
                    **{d: cl["wheel"].get(d) for d in WHEEL},
                )
                scores = {by_id[k]: v for k, v in cl["person_scores"].items()}
                answers = {by_id[k]: v for k, v in cl["children"].items()}
                closures.append(
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
                                    if role.get(pk) == "child"
                                    else {}
                                ),
                            )
                            for pk in on_case
                        ],
                    )
                )
                checks.append(
                    PostClosureCheck(
                        case=case,
                        closed_at=cl["closed_at"],
                        window_end=add_months_to_moment(
                            cl["closed_at"], POST_CLOSURE_MONTHS
                        ),
                        done_at=None,
                        results={},
                    )
                )
                case_events.append(
                    _fast(
                        CaseEvent,
                        case=case,
                        actor=lead,
                        at=cl["closed_at"],
                        kind="closed",
                        data={"reason": cl["reason"]},
                    )
                )
        for ref in e["social_care_referrals"]:
            person = people[ref["person"]]
            key = (person.pk, ref["referred_at"])
            if key in external_keys:
                continue
            external_keys.add(key)
            referrals.append(
                SocialCareReferral(
                    person=person,
                    referred_at=ref["referred_at"],
                    source=SocialCareReferral.Source.EXTERNAL,
                    reason="",
                    recorded_by=None,
                    episode=e["_episode"],
                )
            )
    _insert(CaseMember, team)
    _insert(CasePerson, places)
    _insert(CaseUserObjectPermission, grants)
    Assessment.objects.bulk_create([a for a, _ in assessments])
    _insert(AssessmentPerson, [p for _, ps in assessments for p in ps])
    Review.objects.bulk_create([rv for rv, _ in reviews])
    _insert(ReviewPerson, [p for _, ps in reviews for p in ps])
    CaseClosure.objects.bulk_create([cl for cl, _ in closures])
    _insert(ClosurePerson, [p for _, ps in closures for p in ps])
    _insert(PostClosureCheck, checks)
    SocialCareReferral.objects.bulk_create(referrals)
    CaseAudit.objects.bulk_create(case_audits)
    for event, review in review_events:
        event.data = {"review": review.pk}
    for event, made in step_up_events:
        event.data = {"people": [m.person_id for m in made]}
    for event, referral in outcome_events:
        event.data = {"referral": referral.pk, "outcome": referral.outcome}
    _insert(CaseEvent, case_events)
