"""My work: what a worker has to do, overdue first, then the next 14 days.

One selector serves the worker's own page, the dashboard, and a manager's view
of the team. The items and when they fall due:

- **Early Help Assessment** of a case they lead, still allocated or being
  assessed: 30 days from allocation (PRODUCT §3.3, INDICATORS.md).
- **Review** of a case they lead in the plan stage: the date the last review
  set, else one review interval after the assessment was completed.
- **Plan actions** not done or cancelled on open cases: the ones they own, and
  every action on the cases they lead (whoever owns it).
- **Post-closure check** of a case they led: when its 3-month window ends.
- **Step-up outcome awaited** from social care for a referral they made from
  a case they lead: the front door decides within one working day, so the
  outcome is due the next working day after the referral.

An item is overdue when its day has passed; it is "due" when its day is today
or within the next ``HORIZON_DAYS``. Overdue items are never listed as due.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Any

from django.db.models import F, OuterRef, Q, QuerySet, Subquery

from casework.models import (
    OPEN_STATUSES,
    Case,
    CaseStatus,
    PlanAction,
    PostClosureCheck,
    Review,
    SocialCareReferral,
)
from casework.selectors.cases import ASSESSMENT_TARGET
from casework.selectors.names import FamilyName, case_family_names
from core.periods import local_date

HORIZON_DAYS = 14

ASSESSMENT = "assessment"
REVIEW = "review"
ACTION = "action"
POST_CLOSURE_CHECK = "post_closure_check"
STEP_UP_OUTCOME = "step_up_outcome"

# What each kind is called, and the page where it is done.
KIND_LABELS = {
    ASSESSMENT: "Early Help Assessment",
    REVIEW: "Review",
    ACTION: "Plan action",
    POST_CLOSURE_CHECK: "Post-closure check",
    STEP_UP_OUTCOME: "Step-up outcome from social care",
}
PLACES = {
    ASSESSMENT: "casework:assessment",
    REVIEW: "casework:reviews",
    ACTION: "casework:plan",
    POST_CLOSURE_CHECK: "casework:case",
    STEP_UP_OUTCOME: "casework:step_up",
}
OPEN_ACTION = ("not_started", "in_progress")


@dataclass(frozen=True)
class WorkItem:
    kind: str
    due: date
    case_id: int
    family: FamilyName
    # The worker it falls to: the case's lead, or the action's owner.
    responsible_id: int | None
    detail: str = ""
    # For an action owned by someone else: who owns it.
    owner: str = ""
    # The case's lead practitioner, who answers for every action on the case.
    lead_id: int | None = None

    @property
    def workers(self) -> set[int]:
        """Whose lists the item is on: its owner's and the case lead's."""
        return {w for w in (self.responsible_id, self.lead_id) if w is not None}

    @property
    def label(self) -> str:
        return KIND_LABELS[self.kind]

    @property
    def place(self) -> str:
        return PLACES[self.kind]


@dataclass
class WorkList:
    today: date
    overdue: list[WorkItem] = field(default_factory=list)
    due: list[WorkItem] = field(default_factory=list)

    @property
    def horizon(self) -> date:
        return self.today + timedelta(days=HORIZON_DAYS)


def _next_working_day(day: date) -> date:
    day += timedelta(days=1)
    while day.weekday() >= 5:
        day += timedelta(days=1)
    return day


def _review_due(case: Any) -> date | None:
    """The annotated plan-stage case's next review date: as the last review set
    it, else one interval after the assessment was completed."""
    from casework.services.reviews import review_interval

    if case.status != CaseStatus.PLAN:
        return None
    if case.next_review_set is not None:
        return case.next_review_set  # type: ignore[no-any-return]
    if case.assessed_at is not None:
        return local_date(case.assessed_at) + review_interval()
    return None


def work_items(
    *,
    led_cases: QuerySet[Case],
    actions: QuerySet[PlanAction],
    today: date,
    viewer_id: int | None = None,
) -> list[WorkItem]:
    """Every item falling due on or before the horizon, for the given cases
    (whose lead is responsible) and actions (whose owner is), in a fixed number
    of queries. Actions owned by someone other than ``viewer_id`` name their
    owner."""
    horizon = today + timedelta(days=HORIZON_DAYS)
    raw: list[tuple[str, date, int, int | None, str, str, int | None]] = []
    latest_review = Review.objects.filter(case=OuterRef("pk")).order_by(
        "-held_at", "-pk"
    )
    open_cases = (
        led_cases.filter(status__in=OPEN_STATUSES)
        .only("pk", "status", "opened_at", "lead_practitioner_id")
        .annotate(
            assessed_at=F("assessment__completed_at"),
            next_review_set=Subquery(latest_review.values("next_review_on")[:1]),
        )
    )
    for case in open_cases:
        if case.status in (CaseStatus.ALLOCATED, CaseStatus.ASSESSMENT):
            due = local_date(case.opened_at + ASSESSMENT_TARGET)
            lead = case.lead_practitioner_id
            raw.append((ASSESSMENT, due, case.pk, lead, "", "", lead))
        review_due = _review_due(case)
        if review_due is not None:
            lead = case.lead_practitioner_id
            raw.append((REVIEW, review_due, case.pk, lead, "", "", lead))
    for action in (
        actions.filter(
            status__in=OPEN_ACTION,
            due_on__lte=horizon,
            case__status__in=OPEN_STATUSES,
        )
        .select_related("owner")
        .annotate(lead_id=F("case__lead_practitioner_id"))
    ):
        if action.owner_is_family:
            owner = "The family"
        elif action.owner_id == viewer_id or action.owner is None:
            owner = ""
        else:
            owner = action.owner.display_name
        raw.append(
            (
                ACTION,
                action.due_on,
                action.case_id,
                action.owner_id,
                action.what,
                owner,
                action.lead_id,
            )
        )
    for check in PostClosureCheck.objects.filter(
        case__in=led_cases.filter(status=CaseStatus.CLOSED), done_at__isnull=True
    ).select_related("case"):
        due = local_date(check.window_end)
        raw.append(
            (
                POST_CLOSURE_CHECK,
                due,
                check.case_id,
                check.case.lead_practitioner_id,
                "",
                "",
                check.case.lead_practitioner_id,
            )
        )
    awaited: dict[int, date] = {}
    leads: dict[int, int] = {}
    for case_id, referred_at, lead in SocialCareReferral.objects.filter(
        case__in=led_cases,
        source=SocialCareReferral.Source.CASE,
        outcome="",
    ).values_list("case_id", "referred_at", "case__lead_practitioner_id"):
        day = _next_working_day(local_date(referred_at))
        awaited[case_id] = min(day, awaited.get(case_id, day))
        leads[case_id] = lead
    for case_id, due in awaited.items():
        raw.append(
            (STEP_UP_OUTCOME, due, case_id, leads[case_id], "", "", leads[case_id])
        )

    raw = [r for r in raw if r[1] <= horizon]
    names = case_family_names({r[2] for r in raw})
    items = [
        WorkItem(
            kind=kind,
            due=due,
            case_id=case_id,
            family=names[case_id],
            responsible_id=responsible,
            detail=detail,
            owner=owner,
            lead_id=lead,
        )
        for kind, due, case_id, responsible, detail, owner, lead in raw
    ]
    order = list(KIND_LABELS)
    items.sort(key=lambda i: (i.due, order.index(i.kind), i.family.title, i.case_id))
    return items


def _split(items: Iterable[WorkItem], today: date) -> WorkList:
    work = WorkList(today=today)
    for item in items:
        (work.overdue if item.due < today else work.due).append(item)
    return work


def work_for_user(
    user: Any, today: date, *, locality_ids: Iterable[int] | None = None
) -> WorkList:
    """The user's work: the cases they lead and the actions they own (and every
    action on the cases they lead), among the cases they may see — only those
    in ``locality_ids`` when given (a manager opening a worker's list)."""
    from casework.access import case_queryset_for_user

    cases = case_queryset_for_user(user)
    if locality_ids is not None:
        cases = cases.filter(locality_id__in=list(locality_ids))
    led = cases.filter(lead_practitioner=user)
    actions = PlanAction.objects.filter(case__in=cases).filter(
        Q(owner=user) | Q(case__lead_practitioner=user)
    )
    items = work_items(led_cases=led, actions=actions, today=today, viewer_id=user.pk)
    return _split(items, today)


@dataclass(frozen=True)
class WorkerCount:
    worker: Any
    overdue: int
    due: int


def team_work_counts(manager: Any, today: date) -> list[WorkerCount]:
    """For each practitioner or manager in the manager's localities: how many
    of their items on those localities' cases are overdue, and how many fall
    due in the next 14 days (a fixed number of queries). The counts are those
    of the worker's own list: an action counts for its owner and for the case's
    lead, whoever owns it (a partner, the family, a colleague)."""
    from accounts.models import User
    from accounts.roles import Role
    from casework.access import managed_locality_ids

    localities = managed_locality_ids(manager)
    cases = Case.objects.filter(locality_id__in=localities)
    items = work_items(
        led_cases=cases,
        actions=PlanAction.objects.filter(case__in=cases),
        today=today,
    )
    overdue: dict[int, int] = defaultdict(int)
    due: dict[int, int] = defaultdict(int)
    for item in items:
        for worker in item.workers:
            (overdue if item.due < today else due)[worker] += 1
    workers = (
        User.objects.filter(
            memberships__locality_id__in=localities,
            role__in=[Role.PRACTITIONER, Role.LOCALITY_MANAGER],
            is_active=True,
        )
        .distinct()
        .order_by("full_name", "pk")
    )
    rows = [
        WorkerCount(worker=w, overdue=overdue[w.pk], due=due[w.pk]) for w in workers
    ]
    rows.sort(key=lambda r: (-r.overdue, -r.due, r.worker.full_name))
    return rows
