"""The demo's working day, laid over the imported history (``demo_enrich``).

The records import carries a family's path through early help; it does not
carry the plan, the notes, the team around the family or a service's own
reference data. For the local demo this module adds them, deterministically for
a seed and a day, in two steps:

1. **Episodes in the import format** (``demo_casework_episodes``): for each
   demo locality, cases led by its demo practitioner at every stage — an
   assessment due and one overdue, reviews overdue, due this week and later, a
   step-up awaiting social care's outcome and one returned, a closure awaiting
   sign-off — and forms waiting for triage in every ageing band. They are
   imported like any other file.
2. **Through the services** (``demo_enrich``): imported staff become named,
   active team members; every locality's directory gets community services;
   every open case gets plan outcomes and actions owned across agencies, a
   team around the family, chronology notes; the demo cases get consent
   records and documents; closures older than a fortnight are signed off; an
   audit round with two auditors and a moderator of three agencies is open with
   audits submitted and moderated; partner figures are entered for the last 13
   months; the post-closure checks whose window has ended are done.

Only the demo runs this (``scripts/run.sh``); the benchmark's scales never do.
"""

from __future__ import annotations

import datetime as dt
import json
import random
import tempfile
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction

from accounts.models import Organisation, User
from accounts.roles import Role
from accounts.services import user_save
from audits.models import AuditGrade, AuditQuestion, CaseAudit
from audits.services import (
    GradingInput,
    RoundInput,
    audit_round_create,
    audit_sample_draw,
    case_audit_moderate,
    case_audit_save,
)
from casework.models import (
    OPEN_STATUSES,
    ActionStatus,
    Case,
    CaseClosure,
    CaseStatus,
    ConsentGiver,
    ConsentPurpose,
    DocumentType,
    ImportedEpisode,
    NoteKind,
    WheelDomain,
)
from casework.selectors.cases import people_on_case
from casework.services.cases import case_note_add
from casework.services.closure import case_closure_sign_off, post_closure_checks_run
from casework.services.consent import consent_record
from casework.services.documents import case_document_upload
from casework.services.plan import (
    plan_action_add,
    plan_action_progress,
    plan_outcome_add,
)
from casework.services.team import case_member_add
from core import clock
from core.periods import Month, previous_month
from demo import profiles as P
from demo.generator import LONDON, WHEEL, Context, _new_household
from localities.models import CommunityService, Locality
from records_import.run import records_import
from scorecard.models import Indicator, Source
from scorecard.partners import FigureInput, partner_figure_record
from triage.services.community_services import community_service_save

DEMO_EPISODE_PREFIX = "EP-DEMO-"
SIGN_OFF_AFTER = dt.timedelta(days=14)  # closures younger wait for sign-off
PARTNER_MONTHS = 13  # partner figures: the scorecard's 12 months and one before

# The partner professionals who sit on teams around families and own actions:
# e-mail, name, organisation, kind. With the demo sign-ins of a school and the
# children's trust (``demo_users``) they cover the agencies of a plan.
PARTNERS: list[tuple[str, str, str, str]] = [
    (
        "health.visitor@demo.example",
        "Joanne Whitfield",
        "Birmingham Community Healthcare: Health Visiting",
        Organisation.Kind.HEALTH,
    ),
    (
        "school.nurse@demo.example",
        "Bernadette Quinn",
        "Birmingham Community Healthcare: School Nursing",
        Organisation.Kind.HEALTH,
    ),
    (
        "pcso@demo.example",
        "Marcus Boateng",
        "West Midlands Police",
        Organisation.Kind.POLICE,
    ),
    (
        "housing.officer@demo.example",
        "Fiona Gallagher",
        "Birmingham City Council Housing",
        Organisation.Kind.HOUSING,
    ),
    (
        "family.support@demo.example",
        "Adebayo Ogunleye",
        "Citizens Advice Birmingham",
        Organisation.Kind.VCS,
    ),
    (
        "mentor@demo.example",
        "Kirsty Lambert",
        "Forward Thinking Birmingham",
        Organisation.Kind.HEALTH,
    ),
]
SCHOOL_DSL = "dsl@demo.example"
SOCIAL_WORKER = "social.worker@demo.example"
AUDITORS = ["auditor@demo.example", "auditor.health@demo.example"]
MODERATOR = "moderator@demo.example"
PERFORMANCE_LEAD = "performance@demo.example"

# The imported auditors belong to the partnership's agencies in turn.
AUDITOR_ORGANISATIONS = [
    ("City Children's Trust", Organisation.Kind.CHILDRENS_TRUST),
    ("Birmingham Community Healthcare", Organisation.Kind.HEALTH),
    ("City Council Education Services", Organisation.Kind.COUNCIL),
    ("West Midlands Police", Organisation.Kind.POLICE),
]

COMMUNITY_SERVICES = [
    # name (the locality's name is put before it), category, contact
    ("Food Bank", "Food and essentials", "Drop in Tuesdays and Fridays, 10am to 1pm"),
    ("Money and Debt Advice", "Money and benefits", "0121 496 0{n:03d}"),
    ("Family Hub Parenting Group", "Parenting", "family.hub@demo.example"),
    ("Youth Club", "Children and young people", "Thursdays 5pm to 8pm"),
    ("Women's Aid Drop-in", "Domestic abuse", "0808 802 0{n:03d} (free, 24 hours)"),
]
OUTCOMES: dict[str, list[tuple[str, list[str]]]] = {
    # domain → (outcome in the family's words, actions towards it)
    "healthy_lifestyles": [
        (
            "The children sleep in their own beds and get to school rested",
            ["Agree a bedtime routine", "Apply for beds from the furniture scheme"],
        ),
        (
            "Mum feels less anxious and has someone to talk to",
            ["Book a GP appointment", "Refer to Talking Therapies"],
        ),
    ],
    "relationships": [
        (
            "We argue less at home and the children feel calm",
            ["Start the parenting course", "Family meeting with the children"],
        ),
        (
            "Dad sees the children every weekend",
            ["Agree contact arrangements", "Mediation appointment"],
        ),
    ],
    "learning_development": [
        (
            "Our son goes to school every day",
            ["Attendance plan with the school", "Morning routine chart"],
        ),
        (
            "Our daughter's needs are assessed and supported at school",
            ["Request an SEN support plan", "Speech and language referral"],
        ),
    ],
    "community_engagement": [
        (
            "We can pay the rent and the bills each month",
            ["Benefits check", "Apply to the Household Support Fund"],
        ),
        (
            "The children have something to do after school",
            ["Join the youth club", "Holiday activities place"],
        ),
    ],
    "safeguarding": [
        (
            "Everyone feels safe at home",
            ["Safety plan with mum", "Check in with the neighbourhood officer"],
        ),
        (
            "The house is safe and warm",
            ["Housing repair request", "Energy advice visit"],
        ),
    ],
}
# Each plan's community action, by the first outcome's part of the wheel: what
# is done, and the service of the locality's directory that does it.
COMMUNITY_ACTIONS = {
    "healthy_lifestyles": (
        "Food parcels and a cooking on a budget course",
        "Food Bank",
    ),
    "relationships": ("Six weeks of the parenting group", "Family Hub Parenting Group"),
    "learning_development": ("Homework club twice a week", "Youth Club"),
    "community_engagement": (
        "Debt and benefits advice appointment",
        "Money and Debt Advice",
    ),
    "safeguarding": ("Support at the Women's Aid drop-in", "Women's Aid Drop-in"),
}
NOTES = [
    (
        NoteKind.VISIT,
        "Home visit: met mum and the children; the plan was talked through.",
    ),
    (NoteKind.CALL, "Phoned mum to confirm the review date; she will invite dad."),
    (NoteKind.MEETING, "Team around the family meeting at school; actions agreed."),
    (NoteKind.MESSAGE, "Text from mum: the food bank parcel arrived, thank you."),
    (NoteKind.NOTE, "School reports better attendance this half term."),
    (NoteKind.CALL, "Health visitor called: the baby's weight is back on track."),
]


# --- 1. Episodes in the import format ---------------------------------------------


@dataclass(frozen=True)
class _Stage:
    """A demo case: when it opened, assessed, reviewed (days before today)."""

    name: str
    opened: int
    assessed: int | None = None
    reviewed: tuple[int, ...] = ()
    step_up: int | None = None
    step_up_outcome: str = ""
    closed: int | None = None


# Review interval six weeks (42 days): a review held 50 days ago is overdue by
# 8; an assessment completed 39 days ago makes the first review due in 3 days.
STAGES = [
    _Stage("assessment due", opened=12),
    _Stage("assessment overdue", opened=36),
    _Stage("review overdue", opened=120, assessed=95, reviewed=(52,)),
    _Stage("first review overdue", opened=70, assessed=47),
    _Stage("review this week", opened=110, assessed=82, reviewed=(40,)),
    _Stage("first review this week", opened=60, assessed=39),
    _Stage("review next week", opened=150, assessed=120, reviewed=(75, 33)),
    _Stage("review later", opened=90, assessed=70, reviewed=(20,)),
    _Stage(
        "step-up awaiting outcome", opened=100, assessed=80, reviewed=(30,), step_up=6
    ),
    _Stage(
        "step-up returned",
        opened=130,
        assessed=110,
        reviewed=(60, 18),
        step_up=45,
        step_up_outcome="nfa_returned_to_early_help",
    ),
    _Stage(
        "closed, awaiting sign-off",
        opened=160,
        assessed=140,
        reviewed=(95, 50),
        closed=4,
    ),
    _Stage(
        "closed last month", opened=200, assessed=180, reviewed=(130, 80), closed=30
    ),
]
# Forms waiting for a decision, by age in days: every band of the queue.
# Received in the first hour of the day, so never in the future and in the
# same band whenever the demo starts that day.
QUEUE_AGES = [1, 1, 2, 3, 4, 5, 6, 9, 12]


def _at(today: dt.date, days_ago: int, hour: int) -> str:
    moment = dt.datetime.combine(
        today - dt.timedelta(days=days_ago), dt.time(hour, 15), tzinfo=LONDON
    )
    return moment.isoformat(timespec="seconds")


def _scores(r: random.Random, centre: float) -> dict[str, int]:
    return {d: max(1, min(10, round(r.gauss(centre, 1.2)))) for d in WHEEL}


def demo_casework_episodes(*, seed: int, context: Context) -> Iterator[dict[str, Any]]:
    """The demo localities' cases at every stage and their waiting forms."""
    r = random.Random(f"demo-casework:{seed}")  # noqa: S311  # reproducible demo
    today = context.until
    # Ids above the generator's: these families are new to the file.
    counters = {"household": 9_000_000, "person": 9_000_000}
    for locality, lead in sorted(P.DEMO_PRACTITIONERS.items()):
        if locality not in context.districts:
            continue
        manager = P.manager(locality)
        for n, stage in enumerate(STAGES, start=1):
            received = stage.opened + 2
            household = _new_household(
                r, locality, today - dt.timedelta(days=received), context, counters
            )
            _given_names_apart(r, household)
            yield _case_episode(
                r,
                f"{DEMO_EPISODE_PREFIX}{locality}-{n:02d}",
                household,
                stage,
                today=today,
                locality=locality,
                lead=lead,
                manager=manager,
            )
        for n, age in enumerate(QUEUE_AGES, start=1):
            household = _new_household(
                r, locality, today - dt.timedelta(days=age), context, counters
            )
            _given_names_apart(r, household)
            route = r.choice(["school", "professional", "family", "phone"])
            request: dict[str, Any] = {
                "route": route,
                "request_type": "support",
                "received_at": _at(today, age, 0),
                "locality": locality,
                "reasons": r.sample(sorted(P.REASONS), k=r.randint(1, 3)),
                "level_of_need": r.choice(["universal_plus", "additional"]),
                "consent": True,
            }
            if route in P.ROUTE_ORGANISATIONS:
                request["organisation"] = r.choice(P.ROUTE_ORGANISATIONS[route])
            yield {
                "schema": "early-help-episode/1",
                "external_id": f"{DEMO_EPISODE_PREFIX}{locality}-Q{n:02d}",
                "household": _household(household),
                "request": request,
            }


def _given_names_apart(r: random.Random, household: dict[str, Any]) -> None:
    """No two people of a demo household share a given name."""
    seen: set[str] = set()
    for member in household["members"]:
        heritage = member["ethnicity"]
        sex = member["sex"] if member["sex"] in ("female", "male") else "female"
        while member["given_name"] in seen:
            member["given_name"] = r.choice(P.NAMES[heritage][sex])
        seen.add(member["given_name"])


def _household(household: dict[str, Any]) -> dict[str, Any]:
    return {k: v for k, v in household.items() if not k.startswith("_")}


def _case_episode(
    r: random.Random,
    external_id: str,
    household: dict[str, Any],
    stage: _Stage,
    *,
    today: dt.date,
    locality: str,
    lead: str,
    manager: str,
) -> dict[str, Any]:
    members = household["members"]
    children = [m for m in members if m["role"] == "child"]
    received = stage.opened + 2
    case: dict[str, Any] = {
        "lead_practitioner": lead,
        "opened_at": _at(today, stage.opened, 11),
    }
    baseline = r.uniform(3.0, 5.0)
    if stage.assessed is not None:
        case["assessment"] = {
            "completed_at": _at(today, stage.assessed, 14),
            "scaling": round(baseline),
            "wheel": _scores(r, baseline),
            "person_scores": {m["external_id"]: round(baseline) for m in members},
        }
    if stage.reviewed:
        case["reviews"] = [
            {
                "held_at": _at(today, days, 10),
                "scaling": round(baseline + i + 1),
                "wheel": _scores(r, baseline + i + 1),
                "person_scores": {
                    m["external_id"]: min(10, round(baseline + i + 1)) for m in members
                },
            }
            for i, days in enumerate(stage.reviewed)
        ]
    if stage.step_up is not None:
        step_up: dict[str, Any] = {
            "person": children[0]["external_id"],
            "referred_at": _at(today, stage.step_up, 15),
        }
        if stage.step_up_outcome:
            step_up["outcome"] = stage.step_up_outcome
        case["step_ups"] = [step_up]
    if stage.closed is not None:
        final = baseline + 3
        case["closure"] = {
            "closed_at": _at(today, stage.closed, 16),
            "reason": "outcomes_met",
            "wheel": _scores(r, final),
            "person_scores": {m["external_id"]: round(final) for m in members},
            "children": {
                c["external_id"]: {"happy": "yes", "healthy": "yes", "safe": "yes"}
                for c in children
                if not c.get("expected")
            },
            "family_feedback": {"score": 5, "comment": r.choice(P.FEEDBACK_COMMENTS)},
        }
    return {
        "schema": "early-help-episode/1",
        "external_id": external_id,
        "household": _household(household),
        "request": {
            "route": "school",
            "request_type": "support",
            "organisation": "Stockland Green Primary School",
            "received_at": _at(today, received, 9),
            "locality": locality,
            "reasons": ["health_emotional_wellbeing", "education"],
            "level_of_need": "additional",
            "consent": True,
            "decision": {
                "outcome": "allocated",
                "decided_at": _at(today, stage.opened, 10),
                "by": manager,
                "reason": P.DECISION_REASONS["allocated"],
            },
        },
        "case": case,
    }


# --- 2. Through the services --------------------------------------------------------


@dataclass
class EnrichReport:
    counts: dict[str, int] = field(default_factory=dict)

    def add(self, what: str, n: int = 1) -> None:
        self.counts[what] = self.counts.get(what, 0) + n

    def summary(self) -> str:
        return ", ".join(f"{k} {v}" for k, v in self.counts.items())


def demo_enriched() -> bool:
    """Whether the demo's working day was laid already."""
    return ImportedEpisode.objects.filter(
        external_id__startswith=DEMO_EPISODE_PREFIX
    ).exists()


def demo_enrich(
    *,
    seed: int,
    context: Context,
    say: Callable[[str], None] = lambda line: None,
) -> EnrichReport:
    """Lay the demo's working day over the imported history (module doc), all
    or nothing."""
    report = EnrichReport()
    r = random.Random(f"demo-enrich:{seed}")  # noqa: S311  # reproducible demo
    today = context.until
    with transaction.atomic():
        _import_demo_episodes(seed, context, report, say)
        _staff_named(r, report)
        _partners(report)
        _directories(report)
        _casework(r, today, report)
        _sign_offs(today, report)
        _audit_round(r, today, report)
        _partner_figures(r, today, report)
        # What the nightly task does: the post-closure checks whose window
        # has ended are done.
        while done := post_closure_checks_run():
            report.add("post-closure checks", done)
    return report


def _import_demo_episodes(
    seed: int, context: Context, report: EnrichReport, say: Callable[[str], None]
) -> None:
    with tempfile.TemporaryDirectory(prefix="ehc-demo-") as folder:
        path = Path(folder) / "demo-casework.jsonl"
        with path.open("w", encoding="utf-8") as handle:
            for episode in demo_casework_episodes(seed=seed, context=context):
                handle.write(json.dumps(episode, ensure_ascii=False) + "\n")
        result = records_import(path, report_line=lambda n, m: say(f"line {n}: {m}"))
    if result.rejected:
        raise RuntimeError(f"demo episodes rejected: {result.summary()}")
    report.add("demo episodes", result.imported)


def _reserved_names() -> set[str]:
    return set(
        User.objects.exclude(full_name="").values_list("full_name", flat=True)
    ) | {name for _e, name, _o, _k in PARTNERS}


def _name_picker(r: random.Random) -> Callable[[], str]:
    """Unique full names from the city's mix (never one already in use)."""
    taken = _reserved_names()
    heritages = sorted(P.CITY_ETHNICITY)
    weights = [P.CITY_ETHNICITY[h] for h in heritages]

    def pick() -> str:
        while True:
            heritage = r.choices(heritages, weights=weights)[0]
            names = P.NAMES[heritage]
            given = r.choice(names[r.choice(["female", "male"])])
            name = f"{given} {r.choice(names['family'])}"
            if name not in taken:
                taken.add(name)
                return name

    return pick


def _staff_named(r: random.Random, report: EnrichReport) -> None:
    """The imported practitioners, managers and auditors become named, active
    members of their teams (without a password: they do not sign in to the
    demo)."""
    pick = _name_picker(r)
    imported = User.objects.filter(
        is_active=False,
        email__endswith="@demo.example",
        role__in=[Role.PRACTITIONER, Role.LOCALITY_MANAGER, Role.AUDITOR],
    ).order_by("email")
    localities = {loc.slug: loc.name for loc in Locality.objects.all()}
    for n, user in enumerate(imported):
        slugs = list(user.memberships.values_list("locality__slug", flat=True))
        if user.role == Role.AUDITOR:
            org, kind = AUDITOR_ORGANISATIONS[n % len(AUDITOR_ORGANISATIONS)]
        else:
            where = localities.get(slugs[0], "City") if slugs else "City"
            org, kind = f"{where} Early Help Locality", Organisation.Kind.VCS
        user_save(
            email=user.email,
            role=user.role,
            locality_slugs=slugs if user.role != Role.AUDITOR else None,
            organisation_name=org,
            organisation_kind=kind,
            full_name=pick(),
            is_active=True,
        )
        report.add("staff named")


def _partners(report: EnrichReport) -> None:
    for email, name, org, kind in PARTNERS:
        user_save(
            email=email,
            role=Role.REQUESTER,
            organisation_name=org,
            organisation_kind=kind,
            full_name=name,
            is_active=True,
        )
        report.add("partners")


def _manager_of(locality: Locality) -> User:
    return User.objects.get(email=P.manager(locality.slug))


def _directories(report: EnrichReport) -> None:
    """Community services in every locality's directory, kept by its manager."""
    for n, locality in enumerate(Locality.objects.order_by("slug")):
        manager = _manager_of(locality)
        have = set(locality.community_services.values_list("name", flat=True))
        for m, (name, category, contact) in enumerate(COMMUNITY_SERVICES):
            full = f"{locality.name} {name}"
            if full in have:
                continue
            community_service_save(
                locality=locality,
                name=full,
                category=category,
                contact=contact.format(n=n * 10 + m),
                actor=manager,
            )
            report.add("community services")


def _moment(day: dt.date, hour: int) -> dt.datetime:
    return dt.datetime.combine(day, dt.time(hour, 30), tzinfo=LONDON)


def _casework(r: random.Random, today: dt.date, report: EnrichReport) -> None:
    """Every open case at the plan stage: a team around the family, outcomes
    and actions owned across agencies, notes. Every open case: notes. The demo
    practitioners' cases also: consent records and documents."""
    partners = {e: User.objects.get(email=e) for e, _n, _o, _k in PARTNERS}
    dsl = User.objects.filter(email=SCHOOL_DSL, is_active=True).first()
    social_worker = User.objects.filter(email=SOCIAL_WORKER, is_active=True).first()
    demo_leads = set(P.DEMO_PRACTITIONERS.values())
    cases = (
        Case.objects.filter(status__in=OPEN_STATUSES)
        .select_related("lead_practitioner", "assessment", "locality")
        .order_by("pk")
    )
    now = clock.now()
    for case in cases:
        lead = case.lead_practitioner
        if lead is None:
            continue
        demo_case = lead.email in demo_leads
        team: list[User] = []
        wanted = r.sample(sorted(partners), k=2)
        if demo_case and dsl is not None and case.locality.slug == "erdington":
            wanted[0] = SCHOOL_DSL
        if demo_case and social_worker is not None and case.pk % 3 == 0:
            wanted[1] = SOCIAL_WORKER
        start = case.opened_at + dt.timedelta(days=1)
        with clock.replaying_at(start):
            for email in wanted:
                member = case_member_add(case_id=case.pk, actor=lead, email=email)
                team.append(member.user)
                report.add("team members")
        _notes(r, case, lead, team, now, report, many=demo_case)
        if case.status == CaseStatus.PLAN:
            _plan(r, case, lead, team, today, report)
        if demo_case:
            _consent(case, lead, report)
            _document(case, lead, report)


def _notes(
    r: random.Random,
    case: Case,
    lead: User,
    team: list[User],
    now: dt.datetime,
    report: EnrichReport,
    *,
    many: bool,
) -> None:
    span = (now - case.opened_at).total_seconds()
    count = 5 if many else 2
    for i in range(count):
        kind, text = NOTES[(case.pk + i) % len(NOTES)]
        happened = case.opened_at + dt.timedelta(seconds=span * (i + 1) / (count + 1))
        case_note_add(
            case_id=case.pk,
            actor=lead,
            kind=kind,
            text=text,
            significant=i == 0 and r.random() < 0.3,
            happened_at=happened,
        )
        report.add("notes")


def _plan(
    r: random.Random,
    case: Case,
    lead: User,
    team: list[User],
    today: dt.date,
    report: EnrichReport,
) -> None:
    assessed = getattr(case, "assessment", None)
    set_at = (
        assessed.completed_at
        if assessed is not None and assessed.completed_at is not None
        else case.opened_at
    ) + dt.timedelta(hours=1)
    domains = r.sample(WheelDomain.values, k=2)
    community_what, service_name = COMMUNITY_ACTIONS[domains[0]]
    service = CommunityService.objects.filter(
        locality=case.locality, name=f"{case.locality.name} {service_name}", active=True
    ).first()
    with clock.replaying_at(set_at):
        for d, domain in enumerate(domains):
            text, actions = OUTCOMES[domain][r.randrange(2)]
            outcome = plan_outcome_add(
                case_id=case.pk, actor=lead, text=text, domain=domain
            )
            report.add("plan outcomes")
            steps: list[tuple[str, CommunityService | None]] = [
                (what, None) for what in actions
            ]
            if d == 0 and service is not None:
                steps.append((community_what, service))
            for a, (what, delivered_by) in enumerate(steps):
                # Owners in turn: a partner, the lead, the family.
                turn = (d * 2 + a) % 3
                owner = team[d % len(team)] if turn == 0 and team else None
                owner = lead if turn == 1 else owner
                due = today + dt.timedelta(days=r.randrange(0, 35))
                action = plan_action_add(
                    case_id=case.pk,
                    actor=lead,
                    outcome_id=outcome.pk,
                    what=what,
                    owner=owner,
                    owner_is_family=owner is None,
                    due_on=due,
                    community=delivered_by is not None,
                    community_service=delivered_by,
                )
                report.add("plan actions")
                status = r.choices(
                    [ActionStatus.NOT_STARTED, ActionStatus.IN_PROGRESS], [1, 2]
                )[0]
                if status != ActionStatus.NOT_STARTED:
                    plan_action_progress(action_id=action.pk, actor=lead, status=status)


def _consent(case: Case, lead: User, report: EnrichReport) -> None:
    people = list(people_on_case(case.pk))
    adults = [p for p in people if p.role == "adult"]
    if not adults:
        return
    adult = adults[0]
    with clock.replaying_at(case.opened_at + dt.timedelta(days=1)):
        _consent_given(case, lead, adult.pk)
    report.add("consent records")


def _consent_given(case: Case, lead: User, person_id: int) -> None:
    consent_record(
        case_id=case.pk,
        actor=lead,
        person_id=person_id,
        purposes=[ConsentPurpose.INFORMATION_SHARING],
        agencies="School, health visiting, housing, police",
        given_by=ConsentGiver.SELF,
        given_by_name="",
        given_on=case.opened_at.astimezone(LONDON).date(),
    )


def _document(case: Case, lead: User, report: EnrichReport) -> None:
    text = (
        "Our Family Plan, agreed at the team around the family meeting.\n"
        "Signed by the family and the lead practitioner.\n"
    )
    with clock.replaying_at(case.opened_at + dt.timedelta(days=2)):
        case_document_upload(
            case_id=case.pk,
            actor=lead,
            title="Signed Our Family Plan",
            document_type=DocumentType.SIGNED_CONSENT,
            shared_with_partners=True,
            upload=SimpleUploadedFile(
                "our-family-plan.txt", text.encode(), content_type="text/plain"
            ),
        )
    report.add("documents")


def _sign_offs(today: dt.date, report: EnrichReport) -> None:
    """Every closure older than a fortnight is signed off by its locality's
    manager a few days after it; the recent ones wait."""
    cutoff = _moment(today, 0) - SIGN_OFF_AFTER
    managers = {loc.pk: _manager_of(loc) for loc in Locality.objects.all()}
    for closure in (
        CaseClosure.objects.filter(signed_off_at__isnull=True, closed_at__lt=cutoff)
        .select_related("case")
        .order_by("pk")
    ):
        manager = managers[closure.case.locality_id]
        if closure.closed_by_id == manager.pk:
            continue
        with clock.replaying_at(closure.closed_at + dt.timedelta(days=3)):
            case_closure_sign_off(case_id=closure.case_id, actor=manager)
        report.add("closures signed off")


def _audit_round(r: random.Random, today: dt.date, report: EnrichReport) -> None:
    """This month's city-wide round: two auditors and a moderator of three
    agencies; each auditor has submitted some audits, the moderator agreed one."""
    lead = User.objects.get(email=PERFORMANCE_LEAD)
    last = previous_month(today)
    audit_round = audit_round_create(
        actor=lead,
        data=RoundInput(
            type="monthly_citywide",
            title=f"City-wide case file audit, {today:%B %Y}",
            period_start=last.plus(-2).first_day,
            period_end=last.last_day,
            locality_slugs=sorted(P.DEMO_PRACTITIONERS),
            sample_size=3,
            due_on=today + dt.timedelta(days=21),
            auditor_emails=AUDITORS,
            moderator_email=MODERATOR,
        ),
    )
    audits = audit_sample_draw(
        round_id=audit_round.pk, actor=lead, seed=r.randrange(10**6)
    )
    report.add("audits assigned", len(audits))
    grades = list(
        AuditGrade.objects.order_by("position").values_list("code", flat=True)
    )
    moderator = User.objects.get(email=MODERATOR)
    submitted: list[CaseAudit] = []
    for auditor_email in AUDITORS:
        auditor = User.objects.get(email=auditor_email)
        mine = [a for a in audits if a.auditor_id == auditor.pk][:2]
        for audit in mine:
            questions = AuditQuestion.objects.filter(
                domain__template_id=audit.template_id
            )
            grade = grades[min(len(grades) - 1, 1 + r.randrange(2))]
            case_audit_save(
                audit_id=audit.pk,
                actor=auditor,
                data=GradingInput(
                    answers={q.pk: grade for q in questions},
                    grade=grade,
                    strengths="The family's voice is clear in the plan.",
                    improvements="Record why the review date moved.",
                ),
                submit=True,
            )
            submitted.append(audit)
            report.add("audits submitted")
    if submitted:
        case_audit_moderate(audit_id=submitted[0].pk, actor=moderator)
        report.add("audits moderated")


def _partner_figures(r: random.Random, today: dt.date, report: EnrichReport) -> None:
    """Figures for the partner indicators (police, children's trust), for the
    city and every locality, over the last 13 months."""
    lead = User.objects.get(email=PERFORMANCE_LEAD)
    last = previous_month(today)
    months = [last.plus(-i) for i in range(PARTNER_MONTHS - 1, -1, -1)]
    localities = list(Locality.objects.order_by("slug").values_list("slug", flat=True))
    for indicator in Indicator.objects.filter(
        source=Source.PARTNER, active=True
    ).order_by("ref"):
        level = r.uniform(8, 30)
        for i, month in enumerate(months):
            total = 0
            for slug in localities:
                weight = P.LOCALITY_VOLUME.get(slug, 1.0)
                value = max(0, round(level * weight * (1 - 0.01 * i) + r.gauss(0, 2)))
                total += value
                _figure(indicator.ref, month, slug, value, lead)
            _figure(indicator.ref, month, "", total, lead)
            report.add("partner figures", len(localities) + 1)


def _figure(ref: str, month: Month, slug: str, value: int, actor: User) -> None:
    partner_figure_record(
        data=FigureInput(ref=ref, period=str(month), locality=slug, value=str(value)),
        actor=actor,
    )
