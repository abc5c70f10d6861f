"""Reads of cases: caseloads, the case page, its people and team."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable
from datetime import datetime, timedelta
from typing import Any

from django.core.paginator import Page
from django.db import models
from django.db.models import (
    DateField,
    F,
    IntegerField,
    OuterRef,
    Prefetch,
    Q,
    QuerySet,
    Subquery,
    Value,
    When,
)
from django.db.models.functions import Coalesce, Lower, TruncDate
from django.urls import reverse
from django.utils import dateformat, timezone

from casework.access import case_queryset_for_user
from casework.models import (
    OPEN_STATUSES,
    Case,
    CaseClosure,
    CaseMember,
    CasePerson,
    CaseStatus,
    NoteAmendment,
    NoteKind,
    PersonConsent,
    PlanAction,
    PlanOutcome,
    WheelDomain,
)
from casework.selectors.consent import (
    case_consents,
    consent_description,
    consent_summary,
    overridable,
    override_of,
    withdrawal_of,
)
from core.pagination import CountedPaginator
from core.periods import LONDON, local_date
from families.models import Person
from family_connect.household_cases import ClosedCase
from localities.models import CommunityService

ASSESSMENT_TARGET = timedelta(days=30)

# The order people are listed in on a case: adults, then children, eldest first.
PEOPLE_ORDER = ("role", "date_of_birth", "pk")


def people_on_case(case_id: int) -> QuerySet[Person]:
    """The people a case is about (INDICATORS.md, settled reading 23): those
    named on the form that opened it and anyone added since — not whoever
    lives in the household today."""
    return Person.objects.filter(case_places__case_id=case_id).order_by(*PEOPLE_ORDER)


def household_not_on_case(case: Case) -> QuerySet[Person]:
    """The household's people who are not on the case (a baby born since, say):
    the case's workers may add them."""
    return (
        Person.objects.filter(family_id=case.family_id)
        .exclude(case_places__case_id=case.pk)
        .order_by(*PEOPLE_ORDER)
    )


def people_and_household_others(case: Case) -> tuple[list[Person], list[Person]]:
    """The people on the case (``people_on_case``) and the household's people
    who are not (``household_not_on_case``), in two queries. The ids of the
    people on the case are read first, so that PostgreSQL reads the people by
    two indexes (household, id) rather than testing every person there is."""
    on_case = set(
        CasePerson.objects.filter(case_id=case.pk).values_list("person_id", flat=True)
    )
    rows = list(
        Person.objects.filter(Q(family_id=case.family_id) | Q(pk__in=on_case)).order_by(
            *PEOPLE_ORDER
        )
    )
    return (
        [p for p in rows if p.pk in on_case],
        [p for p in rows if p.pk not in on_case and p.family_id == case.family_id],
    )


# The caseload's sortable columns: ``?sort=KEY`` ascending, ``?sort=-KEY``
# descending. Anything else falls back to the default, oldest first.
CASELOAD_SORTS = {
    "family": "family_sort",
    "status": "status_rank",
    "allocated": "opened_at",
    "lead": "lead_practitioner__full_name",
    "next_review": "next_review",
    "last_contact": "last_contact_at",
    "need": "need_rank",
}
CASELOAD_DEFAULT_SORT = "allocated"


def caseload_sort(text: str | None) -> tuple[str, bool]:
    """The whitelisted sort key and whether it is descending."""
    text = (text or "").strip()
    descending = text.startswith("-")
    key = text.lstrip("-")
    if key not in CASELOAD_SORTS:
        return CASELOAD_DEFAULT_SORT, False
    return key, descending


def _ranked(field: str, values: list[str]) -> models.Case:
    return models.Case(
        *[When(**{field: v}, then=Value(i)) for i, v in enumerate(values)],
        default=Value(len(values)),
        output_field=IntegerField(),
    )


class _DaysAfter(models.Func):
    """The date ``days`` after a date expression, on every database (SQLite
    adds a number to a date's text as to a number)."""

    output_field = DateField()

    def __init__(self, expression: Any, *, days: int) -> None:
        super().__init__(expression)
        self.days = days

    def as_sql(
        self,
        compiler: Any,
        connection: Any,
        function: str | None = None,
        template: str | None = None,
        arg_joiner: str | None = None,
        **extra: Any,
    ) -> Any:
        sql, params = compiler.compile(self.get_source_expressions()[0])
        return f"({sql} + %s)", (*params, self.days)

    def as_sqlite(self, compiler: Any, connection: Any, **extra: Any) -> Any:
        sql, params = compiler.compile(self.get_source_expressions()[0])
        return f"date({sql}, %s)", (*params, f"+{self.days} days")


def next_review_due() -> models.Case:
    """When a case's next review falls due, in SQL: the date the last review
    set, else one review interval after the day the assessment was completed;
    None before the plan stage (or after it)."""
    from casework.models import Assessment, Review
    from casework.services.reviews import review_interval

    latest_review = Review.objects.filter(case=OuterRef("pk")).order_by(
        "-held_at", "-pk"
    )
    assessed = Assessment.objects.filter(
        case=OuterRef("pk"), completed_at__isnull=False
    ).annotate(day=TruncDate("completed_at", tzinfo=LONDON))
    return models.Case(
        When(
            status=CaseStatus.PLAN,
            then=Coalesce(
                Subquery(latest_review.values("next_review_on")[:1]),
                _DaysAfter(
                    Subquery(assessed.values("day")[:1]),
                    days=review_interval().days,
                ),
            ),
        ),
        default=None,
        output_field=DateField(),
    )


def _caseload_scope(user: Any, *, include_closed: bool) -> QuerySet[Case]:
    cases = case_queryset_for_user(user)
    if not include_closed:
        cases = cases.filter(status__in=OPEN_STATUSES)
    return cases


def caseload_for_user(
    user: Any, *, include_closed: bool = False, sort: str | None = None
) -> QuerySet[Case]:
    """The user's cases, each annotated with:

    - ``next_review``: the date the last review set, else one review interval
      after the assessment was completed (plan stage only, as on My work);
    - ``last_contact_at`` and ``last_contact_kind``: the newest note in the
      chronology (a visit, call, meeting, message or note), the last time a
      worker recorded being in touch with or about the family — case events
      (status changes, team changes) are the system's, not contact;
    - ``level_of_need``: as decided when the case was opened — the level on
      the form whose allocation opened it, else the first form linked to it.

    Sorted by ``sort`` (see ``CASELOAD_SORTS``), oldest first by default;
    empty values last either way."""
    from casework.models import CaseNote
    from family_connect.models import FamilyConnectForm, FormDecision

    cases = _caseload_scope(user, include_closed=include_closed)
    last_note = CaseNote.objects.filter(case=OuterRef("pk")).order_by(
        "-happened_at", "-pk"
    )
    opening_decision = FormDecision.objects.filter(
        case=OuterRef("pk"), outcome="allocated"
    ).order_by("decided_at", "pk")
    first_form = FamilyConnectForm.objects.filter(case=OuterRef("pk")).order_by(
        "received_at", "pk"
    )
    cases = cases.annotate(
        next_review=next_review_due(),
        last_contact_at=Subquery(last_note.values("happened_at")[:1]),
        last_contact_kind=Subquery(last_note.values("kind")[:1]),
        level_of_need=Coalesce(
            Subquery(opening_decision.values("form__level_of_need")[:1]),
            Subquery(first_form.values("level_of_need")[:1]),
        ),
    )
    key, descending = caseload_sort(sort)
    # A sort key that is not shown is worked out only when sorted by.
    alias = _sort_alias(key)
    if alias is not None:
        cases = cases.alias(**{CASELOAD_SORTS[key]: alias})
    column = F(CASELOAD_SORTS[key])
    order = column.desc(nulls_last=True) if descending else column.asc(nulls_last=True)
    return cases.order_by(order, "opened_at", "pk")


def _sort_alias(key: str) -> Any:
    """The expression of a sort key that is not a column or shown value."""
    from casework.selectors.names import family_name_subquery
    from core.codes import LevelOfNeed

    if key == "family":
        return Lower(family_name_subquery())
    if key == "status":
        return _ranked("status", [s.value for s in CaseStatus])
    if key == "need":
        return _ranked("level_of_need", list(LevelOfNeed.values))
    return None


# As My work's lists (``selectors.work.WORK_PAGE_SIZE``): a practitioner's
# caseload fits on one page or two; a manager sorts or pages through theirs.
CASELOAD_PAGE_SIZE = 25

# A case number no case has, to reverse a case's URL once for a whole list.
_ANY_CASE = 2_147_483_647


def case_links(name: str) -> Callable[[int], str]:
    """``reverse(name, args=[case_id])`` for the cases of a list: the URL is
    reversed once and each case's number put in its place."""
    before, after = reverse(name, args=[_ANY_CASE]).split(str(_ANY_CASE))
    return lambda case_id: f"{before}{int(case_id)}{after}"


def caseload_page(
    user: Any,
    *,
    now: datetime,
    include_closed: bool = False,
    sort: str | None = None,
    page: str | int | None = None,
    with_children: bool = True,
) -> Page[dict[str, Any]]:
    """One page (``CASELOAD_PAGE_SIZE`` cases) of ``caseload_for_user``, each
    row ready to show: the case's family name (and its children's names,
    eldest first, when ``with_children``), its locality, status and labels,
    whether the assessment is overdue at ``now``, and its link. Three queries
    whatever the number of cases: the count, the page, the families' names."""
    from casework.selectors.names import case_family_names_and_children
    from core.codes import LevelOfNeed

    # Annotated: the type does not know the annotations' names.
    cases: QuerySet[Any] = caseload_for_user(
        user, include_closed=include_closed, sort=sort
    )
    values = cases.values(
        "pk",
        "status",
        "opened_at",
        "next_review",
        "last_contact_at",
        "last_contact_kind",
        "level_of_need",
        "locality__name",
        "lead_practitioner__full_name",
        "lead_practitioner__email",
    )
    # Counted on the bare scope: the caseload's columns are subqueries a
    # count need not plan.
    count = _caseload_scope(user, include_closed=include_closed).count()
    shown = CountedPaginator(values, CASELOAD_PAGE_SIZE, count=count).get_page(page)
    found = list(shown.object_list)
    names, children = case_family_names_and_children(r["pk"] for r in found)
    today = local_date(now)
    case_url = case_links("casework:case")
    rows = []
    for r in found:
        pk, status = r["pk"], r["status"]
        assessment_due = r["opened_at"] + ASSESSMENT_TARGET
        rows.append(
            {
                "pk": pk,
                "url": case_url(pk),
                "family": names[pk],
                # Partners on a team see the team and the plan, not the family.
                "children": children[pk] if with_children else [],
                "locality": r["locality__name"],
                "status": status,
                "status_label": CaseStatus(status).label,
                "assessment_due": assessment_due,
                "assessment_overdue": status == CaseStatus.ALLOCATED
                and now > assessment_due,
                "level_of_need": LevelOfNeed(r["level_of_need"]).label
                if r["level_of_need"]
                else "",
                "opened_at": r["opened_at"],
                "next_review": r["next_review"],
                "next_review_overdue": r["next_review"] is not None
                and r["next_review"] < today,
                "last_contact_at": r["last_contact_at"],
                "last_contact_kind": NoteKind(r["last_contact_kind"]).label
                if r["last_contact_kind"]
                else "",
                # ``User.display_name``
                "lead": r["lead_practitioner__full_name"]
                or r["lead_practitioner__email"]
                or "",
            }
        )
    shown.object_list = rows
    return shown


def case_team(case: Case) -> list[CaseMember]:
    return list(
        CaseMember.objects.filter(case=case)
        .select_related("user", "user__organisation")
        .order_by("-is_lead", "user__full_name")
    )


def case_page_data(case: Case, *, show: frozenset[str] = frozenset()) -> dict[str, Any]:
    """What the case page shows, in a fixed number of queries; the chronology
    filtered by ``show`` (``selectors.timeline.SHOWS``)."""
    from casework.selectors.contacts import case_contacts

    people, household_others = people_and_household_others(case)
    consents = case_consents(case.pk)
    return {
        "contacts": list(case_contacts(case.pk)),
        "people": people,
        "consents": consent_summary(people, consents),
        # Each withdrawal of sharing that closes partners' access now.
        "sharing_withdrawals": overridable(consents),
        "household_others": household_others,
        "team": case_team(case),
        "forms": list(
            # The case too: the related manager reads it to attach the case.
            case.forms.order_by("received_at").only(
                "case", "reference", "received_at", "status", "route"
            )
        ),
        "timeline": case_timeline(case, show=show, consents=consents),
        # Shown on a closed case only.
        "closure": CaseClosure.objects.filter(case=case)
        .select_related("signed_off_by")
        .first()
        if case.status == CaseStatus.CLOSED
        else None,
        "assessment_due": case.opened_at + ASSESSMENT_TARGET,
    }


def case_timeline(
    case: Case,
    *,
    show: frozenset[str] = frozenset(),
    consents: list[PersonConsent] | None = None,
) -> list[dict[str, Any]]:
    """Notes and events in one list, newest first, in a fixed number of
    queries. A corrected outcome or action says what changed, from what to
    what; an amended note shows its current text, each amendment (when, who,
    why) and the text before each. A step-up and what social care decided
    read as sentences (``selectors.timeline``).

    ``show`` keeps only some entries (any of ``significant``, ``notes``,
    ``events``; none keeps all), filtered in the database. Consent recorded,
    withdrawn or overridden says whose, to what and by whom (from
    ``consents``, the case's, read once)."""
    from casework.selectors.timeline import (
        SIGNIFICANT_KINDS,
        contact_descriptions,
        step_up_sentences,
    )

    every = not show
    event_rows = case.events.select_related("actor")
    note_rows = case.notes.select_related("author")
    if not every and "events" not in show:
        event_rows = (
            event_rows.filter(kind__in=SIGNIFICANT_KINDS)
            if "significant" in show
            else event_rows.none()
        )
    if not every and "notes" not in show:
        note_rows = (
            note_rows.filter(significant=True)
            if "significant" in show
            else note_rows.none()
        )
    events = list(event_rows)
    notes = list(
        note_rows.prefetch_related(
            Prefetch(
                "amendments",
                queryset=NoteAmendment.objects.select_related("amended_by"),
            )
        )
    )
    describe = {
        **_edit_descriptions(events, notes),
        **contact_descriptions(events),
    }
    describe.update(
        _consent_descriptions(
            events, case_consents(case.pk) if consents is None else consents
        )
    )
    sentences = step_up_sentences(case, events)
    entries: list[dict[str, Any]] = [
        {
            "at": e.at,
            "kind": e.get_kind_display(),
            "who": e.actor.display_name if e.actor else "",
            "text": describe.get(e.pk, ("", []))[0] or _document_text(e),
            "changes": describe.get(e.pk, ("", []))[1],
            "sentence": sentences.get(e.pk, ("", []))[0],
            "details": sentences.get(e.pk, ("", []))[1],
            "significant": e.kind in SIGNIFICANT_KINDS,
        }
        for e in events
    ]
    for n in notes:
        amendments = list(n.amendments.all())
        entries.append(
            {
                "at": n.happened_at,
                "kind": n.get_kind_display(),
                "who": n.author.display_name,
                "text": n.text,
                "significant": n.significant,
                "note": n,
                "amendments": amendments,
                "original": amendments[0].text_before if amendments else "",
            }
        )
    # Newest first; entries at the same moment keep their recorded order, reversed.
    order = {id(e): i for i, e in enumerate(entries)}
    return sorted(entries, key=lambda e: (e["at"], order[id(e)]), reverse=True)


def _document_text(event: Any) -> str:
    """A document's upload or download names the document by its title."""
    if "document" in event.data and event.data.get("title"):
        return f"“{event.data['title']}”"
    return ""


def _consent_descriptions(
    events: list[Any], consents: list[PersonConsent]
) -> dict[int, tuple[str, list[str]]]:
    """For each consent event: what was recorded, one line a consent."""
    from casework.events import Kind

    by_pk = {c.pk: c for c in consents}
    withdrawals = {
        w.pk: (c, w) for c in consents if (w := withdrawal_of(c)) is not None
    }
    out: dict[int, tuple[str, list[str]]] = {}
    for e in events:
        if e.kind == Kind.CONSENT_RECORDED:
            lines = [
                f"{consent_description(by_pk[pk])}, "
                f"{dateformat.format(by_pk[pk].given_on, 'j F Y')}"
                for pk in e.data.get("consents", [])
                if pk in by_pk
            ]
            form = e.data.get("form")
            out[e.pk] = (f"From Family Connect Form {form}" if form else "", lines)
        elif e.kind in (Kind.CONSENT_WITHDRAWN, Kind.CONSENT_OVERRIDDEN):
            found = withdrawals.get(e.data.get("withdrawal"))
            if found is None:
                continue
            consent, withdrawal = found
            person = consent.person
            whose = (
                f"{person.given_name} {person.family_name}: "
                f"{consent.get_purpose_display().lower()}"
            )
            if e.kind == Kind.CONSENT_WITHDRAWN:
                by = withdrawal.get_withdrawn_by_display().lower()
                if withdrawal.withdrawn_by_name:
                    by = f"{by}, {withdrawal.withdrawn_by_name}"
                text = (
                    f"{whose}, withdrawn by {by}, "
                    f"{dateformat.format(withdrawal.withdrawn_on, 'j F Y')}"
                )
                if withdrawal.details:
                    text = f"{text}\n{withdrawal.details}"
                out[e.pk] = (text, [])
            else:
                override = override_of(withdrawal)
                reason = override.reason if override is not None else ""
                out[e.pk] = (
                    f"Partners keep access despite the withdrawal ({whose}): {reason}",
                    [],
                )
    return out


_EDIT_FIELDS = {
    "text": "Outcome",
    "domain": "Part of the family wheel",
    "what": "What will be done",
    "owner": "Who",
    "due_on": "Due date",
    "community": "Community resource",
    "community_service": "Service from the directory",
}


def _edit_descriptions(
    events: list[Any], notes: list[Any]
) -> dict[int, tuple[str, list[str]]]:
    """For each correction among the events: what was corrected and each change
    from → to. A query each, only when needed, for the owners' names, the
    directory's services, and the actions' and outcomes' current words."""
    from accounts.models import User
    from casework.events import Kind

    edits = [
        e
        for e in events
        if e.kind
        in (Kind.PLAN_OUTCOME_EDITED, Kind.PLAN_ACTION_EDITED, Kind.NOTE_AMENDED)
    ]
    if not edits:
        return {}
    owner_ids = {
        value
        for e in edits
        for value in (e.data.get("changes", {}).get("owner") or {}).values()
        if isinstance(value, int)
    }
    names = (
        {u.pk: u.display_name for u in User.objects.filter(pk__in=owner_ids)}
        if owner_ids
        else {}
    )
    action_ids = [e.data["action"] for e in edits if e.kind == Kind.PLAN_ACTION_EDITED]
    actions = (
        dict(PlanAction.objects.filter(pk__in=action_ids).values_list("pk", "what"))
        if action_ids
        else {}
    )
    outcome_ids = [
        e.data["outcome"] for e in edits if e.kind == Kind.PLAN_OUTCOME_EDITED
    ]
    outcomes = (
        dict(PlanOutcome.objects.filter(pk__in=outcome_ids).values_list("pk", "text"))
        if outcome_ids
        else {}
    )
    service_ids = {
        value
        for e in edits
        for value in (e.data.get("changes", {}).get("community_service") or {}).values()
        if value is not None
    }
    services = (
        dict(
            CommunityService.objects.filter(pk__in=service_ids).values_list(
                "pk", "name"
            )
        )
        if service_ids
        else {}
    )
    amendments = {a.pk: (n, a) for n in notes for a in n.amendments.all()}

    def shown(name: str, value: Any) -> str:
        if name == "owner":
            if value == "family":
                return "the family"
            return names.get(value, "someone no longer known")
        if name == "domain":
            return (
                str(WheelDomain(value).label) if value in WheelDomain.values else value
            )
        if name == "due_on":
            return dateformat.format(dt.date.fromisoformat(value), "j F Y")
        if name == "community":
            return "yes" if value else "no"
        if name == "community_service":
            return "none" if value is None else services.get(value, "a service")
        return f"“{value}”"

    out: dict[int, tuple[str, list[str]]] = {}
    for e in edits:
        if e.kind == Kind.NOTE_AMENDED:
            note, amendment = amendments.get(e.data.get("amendment"), (None, None))
            if note is None:
                continue
            out[e.pk] = (
                f"The {note.get_kind_display().lower()} note of "
                f"{dateformat.format(timezone.localtime(note.happened_at), 'j F Y')}"
                f": {amendment.reason}",
                [],
            )
            continue
        changes = [
            f"{_EDIT_FIELDS.get(name, name)}: {shown(name, change['from'])} → "
            f"{shown(name, change['to'])}"
            for name, change in e.data.get("changes", {}).items()
        ]
        subject = ""
        if e.kind == Kind.PLAN_ACTION_EDITED and e.data["action"] in actions:
            subject = f"“{actions[e.data['action']]}”"
        elif e.kind == Kind.PLAN_OUTCOME_EDITED and e.data["outcome"] in outcomes:
            subject = f"“{outcomes[e.data['outcome']]}”"
        out[e.pk] = (subject, changes)
    return out


def household_open_case(family_ids: list[int]) -> Case | None:
    """The open case intake attaches a strongly matched form to, newest first
    (``family_connect.household_cases``)."""
    return (
        Case.objects.select_related("lead_practitioner")
        .filter(family_id__in=family_ids, status__in=OPEN_STATUSES)
        .order_by("-opened_at")
        .first()
    )


def household_case_localities(family_ids: list[int]) -> Iterable[tuple[int, int]]:
    """The localities of the households' cases, for intake's cross-locality
    links (``family_connect.household_cases``)."""
    return Case.objects.filter(family_id__in=family_ids).values_list(
        "family_id", "locality_id"
    )


def household_closed_cases(
    family_ids: list[int],
    person_ids: list[int],
    closed_from: datetime,
    closed_until: datetime,
) -> list[ClosedCase]:
    """The closed cases of the households, or naming the people, that closed
    between the two moments by their closure record, newest first, for
    triage's "returning within 12 months" (``family_connect.household_cases``).
    A reopened case has no closure record and is left out."""
    closures = (
        CaseClosure.objects.filter(
            closed_at__gte=closed_from,
            closed_at__lte=closed_until,
            case__status=CaseStatus.CLOSED,
        )
        .filter(
            Q(case__family_id__in=family_ids)
            | Q(
                case_id__in=CasePerson.objects.filter(person_id__in=person_ids).values(
                    "case_id"
                )
            )
        )
        .select_related("case__locality")
        .order_by("-closed_at", "-case_id")
    )
    return [
        ClosedCase(
            case_id=closure.case_id,
            family_id=closure.case.family_id,
            locality_id=closure.case.locality_id,
            locality_name=closure.case.locality.name,
            closed_at=closure.closed_at,
            reason=closure.reason,
            reason_label=closure.get_reason_display(),
        )
        for closure in closures
    ]
