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

Each list is read a page at a time (``WORK_PAGE_SIZE`` items): the items are
counted from rows, and only those on the page shown are named and linked, so a
worker with hundreds of overdue post-closure checks gets their list as quickly
as one with a few.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any, NamedTuple

from django.db.models import Exists, F, OuterRef, Q, QuerySet, Subquery
from django.db.models.functions import TruncDate

from casework.models import (
    OPEN_STATUSES,
    Case,
    CaseStatus,
    PlanAction,
    SocialCareReferral,
)
from casework.selectors.cases import ASSESSMENT_TARGET, case_links, next_review_due
from casework.selectors.names import FamilyName, case_family_names
from core.periods import LONDON, local_date

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
_KIND_RANK = {kind: i for i, kind in enumerate(KIND_LABELS)}
OPEN_ACTION = ("not_started", "in_progress")

# Each list (overdue, due) is read and shown a page at a time.
OVERDUE = "overdue"
DUE = "due"
WORK_LISTS = (OVERDUE, DUE)
WORK_PAGE_SIZE = 25


class OpenItem(NamedTuple):
    """An item as read from its row, before its family is named."""

    kind: str
    due: date
    case_id: int
    responsible_id: int | None
    detail: str
    owner: str
    lead_id: int | None

    @property
    def workers(self) -> set[int]:
        """Whose lists the item is on: its owner's and the case lead's."""
        return {w for w in (self.responsible_id, self.lead_id) if w is not None}

    @property
    def day_and_kind(self) -> tuple[date, int]:
        return self.due, _KIND_RANK[self.kind]


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
    # The case's page, and the page where the item is done.
    case_url: str = ""
    place_url: str = ""

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


@dataclass(frozen=True)
class WorkPage:
    """One page of a list: its items, how many the whole list holds, and which
    page this is (``size`` items a page, numbered from 1)."""

    items: list[WorkItem]
    count: int
    number: int = 1
    size: int = WORK_PAGE_SIZE

    def __iter__(self) -> Iterator[WorkItem]:
        return iter(self.items)

    def __len__(self) -> int:
        return len(self.items)

    @property
    def num_pages(self) -> int:
        return max(1, -(-self.count // self.size))

    @property
    def has_other_pages(self) -> bool:
        return self.num_pages > 1

    @property
    def has_previous(self) -> bool:
        return self.number > 1

    @property
    def has_next(self) -> bool:
        return self.number < self.num_pages

    @property
    def previous_page_number(self) -> int:
        return self.number - 1

    @property
    def next_page_number(self) -> int:
        return self.number + 1

    @property
    def start_index(self) -> int:
        """The place in the whole list of the page's first item, from 1."""
        return (self.number - 1) * self.size + 1 if self.items else 0

    @property
    def end_index(self) -> int:
        return (self.number - 1) * self.size + len(self.items)


@dataclass
class WorkList:
    today: date
    overdue: WorkPage
    due: WorkPage

    @property
    def horizon(self) -> date:
        return self.today + timedelta(days=HORIZON_DAYS)

    @property
    def items(self) -> list[WorkItem]:
        """The items on the pages read, overdue first."""
        return [*self.overdue, *self.due]


def _next_working_day(day: date) -> date:
    day += timedelta(days=1)
    while day.weekday() >= 5:
        day += timedelta(days=1)
    return day


def open_work(
    *,
    led_cases: QuerySet[Case],
    actions: QuerySet[PlanAction],
    today: date,
    viewer_id: int | None = None,
) -> list[OpenItem]:
    """Every item falling due on or before the horizon, for the given cases
    (whose lead is responsible) and actions (whose owner is), in two queries
    read as rows, in no particular order. Actions owned by someone other than
    ``viewer_id`` name their owner."""
    horizon = today + timedelta(days=HORIZON_DAYS)
    raw: list[OpenItem] = []
    awaited = SocialCareReferral.objects.filter(
        case=OuterRef("pk"), source=SocialCareReferral.Source.CASE, outcome=""
    )
    # One row a led case with something to do: open (an assessment or a
    # review), closed with its check not done, or waiting for social care.
    led = (
        led_cases.filter(
            Q(status__in=OPEN_STATUSES)
            | Q(
                status=CaseStatus.CLOSED,
                post_closure_check__window_end__isnull=False,
                post_closure_check__done_at__isnull=True,
            )
            | Exists(awaited)
        )
        .annotate(
            review_due=next_review_due(),
            check_day=TruncDate("post_closure_check__window_end", tzinfo=LONDON),
            check_done=F("post_closure_check__done_at"),
            # The earliest referral's day: the outcome due soonest.
            referred_on=Subquery(
                awaited.order_by("referred_at")
                .annotate(day=TruncDate("referred_at", tzinfo=LONDON))
                .values("day")[:1]
            ),
        )
        .values_list(
            "pk",
            "status",
            "opened_at",
            "lead_practitioner_id",
            "review_due",
            "check_day",
            "check_done",
            "referred_on",
        )
    )
    for (
        pk,
        status,
        opened_at,
        lead,
        review_due,
        check_day,
        check_done,
        referred_on,
    ) in led:
        if status in (CaseStatus.ALLOCATED, CaseStatus.ASSESSMENT):
            due = local_date(opened_at + ASSESSMENT_TARGET)
            raw.append(OpenItem(ASSESSMENT, due, pk, lead, "", "", lead))
        elif review_due is not None:  # the plan stage
            raw.append(OpenItem(REVIEW, review_due, pk, lead, "", "", lead))
        elif status == CaseStatus.CLOSED and check_day and check_done is None:
            raw.append(OpenItem(POST_CLOSURE_CHECK, check_day, pk, lead, "", "", lead))
        if referred_on is not None:
            due = _next_working_day(referred_on)
            raw.append(OpenItem(STEP_UP_OUTCOME, due, pk, lead, "", "", lead))
    for (
        due_on,
        case_id,
        owner_id,
        owner_is_family,
        what,
        owner_full_name,
        owner_email,
        lead,
    ) in (
        actions.filter(
            status__in=OPEN_ACTION,
            due_on__lte=horizon,
            case__status__in=OPEN_STATUSES,
        )
        .order_by("due_on", "pk")
        .values_list(
            "due_on",
            "case_id",
            "owner_id",
            "owner_is_family",
            "what",
            "owner__full_name",
            "owner__email",
            "case__lead_practitioner_id",
        )
    ):
        if owner_is_family:
            owner = "The family"
        elif owner_id == viewer_id or owner_id is None:
            owner = ""
        else:
            owner = owner_full_name or owner_email  # ``User.display_name``
        raw.append(OpenItem(ACTION, due_on, case_id, owner_id, what, owner, lead))
    return [r for r in raw if r.due <= horizon]


def _page_number(number: int, count: int, size: int) -> int:
    """The page asked for, within the pages there are (as ``Paginator.get_page``)."""
    last = max(1, -(-count // size))
    return min(max(number, 1), last)


def work_list(
    rows: list[OpenItem],
    today: date,
    *,
    pages: Mapping[str, int] | None = None,
    size: int = WORK_PAGE_SIZE,
) -> WorkList:
    """The items split into overdue and due, each sorted by day, kind, family
    and case, and of each list the page asked for in ``pages`` (list name to
    page number; the first page of both by default). A list not asked for is
    counted, not read.

    Only the families of the items on those pages are named, in one query:
    the items are put in order by day and kind first, and only the (day, kind)
    groups a page reaches into are ordered by family."""
    if pages is None:
        pages = {OVERDUE: 1, DUE: 1}
    rows = sorted(rows, key=lambda r: r.day_and_kind)
    lists = {
        OVERDUE: [r for r in rows if r.due < today],
        DUE: [r for r in rows if r.due >= today],
    }
    windows: dict[str, tuple[int, int, int, list[OpenItem]]] = {}
    for name, items in lists.items():
        if name not in pages:
            windows[name] = (1, 0, 0, [])
            continue
        number = _page_number(pages[name], len(items), size)
        start = (number - 1) * size
        stop = min(start + size, len(items))
        low, high = start, stop
        if start < stop:
            while low > 0 and items[low - 1].day_and_kind == items[start].day_and_kind:
                low -= 1
            while (
                high < len(items)
                and items[high].day_and_kind == items[stop - 1].day_and_kind
            ):
                high += 1
        windows[name] = (number, start - low, stop - low, items[low:high])
    names = case_family_names(
        {r.case_id for *_, window in windows.values() for r in window}
    )
    links = {url: case_links(url) for url in {"casework:case", *PLACES.values()}}
    shown: dict[str, WorkPage] = {}
    for name, (number, first, last, window) in windows.items():
        window.sort(key=lambda r: (*r.day_and_kind, names[r.case_id].title, r.case_id))
        shown[name] = WorkPage(
            items=[_named(r, names[r.case_id], links) for r in window[first:last]],
            count=len(lists[name]),
            number=number,
            size=size,
        )
    return WorkList(today=today, overdue=shown[OVERDUE], due=shown[DUE])


def _named(
    row: OpenItem, family: FamilyName, links: Mapping[str, Callable[[int], str]]
) -> WorkItem:
    return WorkItem(
        kind=row.kind,
        due=row.due,
        case_id=row.case_id,
        family=family,
        responsible_id=row.responsible_id,
        detail=row.detail,
        owner=row.owner,
        lead_id=row.lead_id,
        case_url=links["casework:case"](row.case_id),
        place_url=links[PLACES[row.kind]](row.case_id),
    )


def work_for_user(
    user: Any,
    today: date,
    *,
    locality_ids: Iterable[int] | None = None,
    pages: Mapping[str, int] | None = None,
) -> WorkList:
    """The user's work: the cases they lead and the actions they own (and every
    action on the cases they lead), among the cases they may see — only those
    in ``locality_ids`` when given (a manager opening a worker's list). Of each
    list, the page asked for in ``pages`` (``work_list``)."""
    from casework.access import case_queryset_for_user

    cases = case_queryset_for_user(user)
    if locality_ids is not None:
        cases = cases.filter(locality_id__in=list(locality_ids))
    led = cases.filter(lead_practitioner=user)
    actions = PlanAction.objects.filter(case__in=cases).filter(
        Q(owner=user) | Q(case__lead_practitioner=user)
    )
    rows = open_work(led_cases=led, actions=actions, today=today, viewer_id=user.pk)
    return work_list(rows, today, pages=pages)


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
    items = open_work(
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
