"""Reads for triage: the queue, its ageing bands and counts, the practitioners'
headroom, and a form's match candidates, possible duplicates and recently
closed cases as triage sees them."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Any

from django.db.models import Count, F, Max, Q, QuerySet, Value
from django.db.models.functions import Coalesce

from accounts.models import User
from accounts.roles import Role
from casework.access import case_queryset_for_user
from casework.models import OPEN_STATUSES
from casework.selectors.names import FamilyName, case_family_names
from core.codes import LevelOfNeed
from core.periods import LONDON, Month, local_date
from families.models import Family
from family_connect.access import form_queryset_for_user
from family_connect.household_cases import ClosedCase
from family_connect.linking import candidate_household, cross_locality_concerns
from family_connect.matching import FormMatch
from family_connect.models import (
    CrossLocalityLink,
    FamilyConnectForm,
    FormMember,
    FormStatus,
    MatchCandidate,
    MatchStatus,
    RequestType,
    Route,
)
from family_connect.selectors import form_possible_duplicates, form_returning_cases
from localities.models import Locality

# The 7-day target: a decision within 168 hours of receipt. Exactly 168 hours
# is within; 168 hours and a second is not (INDICATORS.md, settled reading 1).
# The queue's "Over 7 days" band and the team page's figures use this one rule.
TARGET = timedelta(hours=168)


@dataclass(frozen=True)
class Band:
    code: str
    label: str
    tag: str  # GOV.UK tag colour
    upto: timedelta | None  # the band ends before this age (at it, if ``closed``)
    closed: bool = False


# PRODUCT §3.2: green under 3 days, amber 3–5, red 5–7, breached after 7.
BANDS = (
    Band("green", "Under 3 days", "govuk-tag--green", timedelta(days=3)),
    Band("amber", "3 to 5 days", "govuk-tag--yellow", timedelta(days=5)),
    Band("red", "5 to 7 days", "govuk-tag--red", TARGET, closed=True),
    Band("breached", "Over 7 days: target missed", "govuk-tag--purple", None),
)
BAND_BY_CODE = {band.code: band for band in BANDS}


def band_for(age: timedelta) -> Band:
    for band in BANDS:
        if band.upto is None or age < band.upto or (band.closed and age == band.upto):
            return band
    return BANDS[-1]


@dataclass(frozen=True)
class QueueFilters:
    route: str = ""
    request_type: str = ""
    reason: str = ""
    level_of_need: str = ""
    safeguarding: bool = False
    band: str = ""


def triage_queue(
    user: Any, locality: Locality | None, filters: QueueFilters, now: datetime
) -> QuerySet[FamilyConnectForm]:
    """Forms waiting for a decision in a locality's queue (``None``: the
    unresolved queue), oldest first, filtered, within the user's scope."""
    forms = form_queryset_for_user(user).filter(status=FormStatus.SUBMITTED)
    forms = (
        forms.filter(locality=locality)
        if locality is not None
        else forms.filter(locality__isnull=True)
    )
    if filters.route:
        forms = forms.filter(route=filters.route)
    if filters.request_type:
        forms = forms.filter(request_type=filters.request_type)
    if filters.level_of_need:
        forms = forms.filter(level_of_need=filters.level_of_need)
    if filters.reason:
        forms = forms.filter(reasons__code=filters.reason)
    if filters.safeguarding:
        forms = forms.filter(safeguarding_concern=True)
    band = BAND_BY_CODE.get(filters.band)
    if band is not None:
        forms = forms.filter(_band_q(band, now))
    return forms.order_by("received_at", "pk")


@dataclass(frozen=True)
class QueueRow:
    """A form as the queue's table shows it: read as values, not a model
    instance, since a page lists many."""

    pk: int
    reference: str
    received_at: datetime
    safeguarding_concern: bool
    consultation: bool
    route: str
    organisation: str
    reasons: list[str]
    level_of_need: str
    band: Band
    age_hours: int
    left_hours: int

    @property
    def access_key(self) -> tuple[str, int]:
        """What the access log records for the row."""
        return (FamilyConnectForm._meta.label_lower, self.pk)


def queue_rows(forms: QuerySet[FamilyConnectForm], now: datetime) -> list[QueueRow]:
    """A page of the queue (a slice of ``triage_queue``) as rows, in two
    queries: the forms' columns the table shows, then their reasons."""
    found = list(
        forms.values_list(
            "pk",
            "reference",
            "received_at",
            "safeguarding_concern",
            "request_type",
            "route",
            "organisation__name",
            "level_of_need",
        )
    )
    reasons: dict[int, list[str]] = {}
    for form_id, label in (
        FamilyConnectForm.reasons.through.objects.filter(
            familyconnectform_id__in=[row[0] for row in found]
        )
        .order_by("reason__position", "reason__label")
        .values_list("familyconnectform_id", "reason__label")
    ):
        reasons.setdefault(form_id, []).append(label)
    routes = dict(Route.choices)
    levels = dict(LevelOfNeed.choices)
    rows = []
    for pk, reference, received_at, safeguarding, kind, route, org, need in found:
        age = now - received_at
        rows.append(
            QueueRow(
                pk=pk,
                reference=reference,
                received_at=received_at,
                safeguarding_concern=safeguarding,
                consultation=kind == RequestType.CONSULTATION,
                route=str(routes.get(route, route)),
                organisation=org or "",
                reasons=reasons.get(pk, []),
                level_of_need=str(levels.get(need, need)),
                band=band_for(age),
                age_hours=int(age.total_seconds() // 3600),
                left_hours=int((TARGET - age).total_seconds() // 3600),
            )
        )
    return rows


def _band_q(band: Band, now: datetime) -> Q:
    index = BANDS.index(band)
    before = BANDS[index - 1] if index else None
    if before is None:
        q = Q(received_at__lte=now)
    else:
        assert before.upto is not None
        # Older than the band before ends: past its end if it includes it.
        key = "received_at__lt" if before.closed else "received_at__lte"
        q = Q(**{key: now - before.upto})
    if band.upto is not None:
        key = "received_at__gte" if band.closed else "received_at__gt"
        q &= Q(**{key: now - band.upto})
    return q


def band_counts(forms: QuerySet[FamilyConnectForm], now: datetime) -> dict[str, int]:
    """How many forms are in each band, in one query."""
    counts = forms.order_by().aggregate(
        **{band.code: Count("pk", filter=_band_q(band, now)) for band in BANDS}
    )
    return {band.code: counts[band.code] or 0 for band in BANDS}


DEFAULT_CAPACITY = 15


def practitioners_by_headroom(locality: Locality) -> QuerySet[Any]:
    """The locality's practitioners, most headroom first: capacity (from their
    team in this locality; 15 when not set) less the open cases they lead. One
    query."""
    return (
        User.objects.filter(
            is_active=True,
            role=Role.PRACTITIONER,
            memberships__locality=locality,
        )
        .annotate(
            caseload=Count(
                "led_cases",
                filter=Q(led_cases__status__in=OPEN_STATUSES),
                distinct=True,
            ),
            capacity=Coalesce(
                Max(
                    "team_memberships__capacity",
                    filter=Q(team_memberships__team__locality=locality),
                ),
                Value(DEFAULT_CAPACITY),
            ),
        )
        .annotate(headroom=F("capacity") - F("caseload"))
        .order_by("-headroom", "role", "full_name", "email")
    )


def breaches_this_month(locality: Locality, now: datetime) -> int:
    """Forms of the locality whose 7-day clock ran out this month (Europe/London,
    from the 1st up to ``now``) before a decision was made: still waiting (as
    the queue's "Over 7 days" band counts them), or decided late. A form
    still waiting whose clock ran out in an earlier month is in the queue's
    band but not here. One query."""
    month = Month.of(now)
    month_start, _ = month.bounds()
    until = month.until(now)
    return (
        FamilyConnectForm.objects.filter(
            locality=locality,
            # The clock runs out at received_at + TARGET: on or after the 1st,
            # and already past at ``until`` (more than 168 hours old).
            received_at__gte=month_start - TARGET,
            received_at__lt=until - TARGET,
        )
        .filter(
            Q(status=FormStatus.SUBMITTED)
            | Q(decision__decided_at__gt=F("received_at") + TARGET)
        )
        .count()
    )


@dataclass
class TriageCandidate:
    """A match candidate as triage sees it: what it needs to decide and no more.

    Until a manager confirms it, a person is shown by name, year of birth and
    the locality whose records hold them, a household by its locality — never
    a full date of birth or an address — with the matching evidence in words.
    ``concern`` says why confirming it would link the form across localities
    (a reason is then required), or is "" when it would not.
    """

    candidate: MatchCandidate
    household: Family | None
    concern: str
    linked: bool

    @property
    def confirmed(self) -> bool:
        return self.candidate.status == MatchStatus.CONFIRMED

    @property
    def needs_reason(self) -> bool:
        return bool(self.concern) and not self.linked


def match_candidates_for_triage(form: FamilyConnectForm) -> list[TriageCandidate]:
    """The form's match candidates, each with its household and whether linking
    to it crosses localities, in three queries."""
    candidates = list(
        form.match_candidates.select_related(
            "member", "family__locality", "person__family__locality", "decided_by"
        )
    )
    households = {c.pk: candidate_household(c) for c in candidates}
    concerns = cross_locality_concerns(
        form_locality_id=form.locality_id,
        families=[f for f in households.values() if f is not None],
    )
    linked = set(
        CrossLocalityLink.objects.filter(form=form).values_list("family_id", flat=True)
    )
    return [
        TriageCandidate(
            candidate=c,
            household=(household := households.get(c.pk)),
            concern=concerns.get(household.pk, "") if household else "",
            linked=household is not None and household.pk in linked,
        )
        for c in candidates
    ]


@dataclass(frozen=True)
class TriageDuplicate:
    """Another waiting form that may be about the same family, as triage sees
    it. A manager who may open that form (``form_queryset_for_user``) is given
    its reference and a link; anyone else only that such a form is waiting, in
    which locality's queue and since when, and which of this form's people
    match — never the other form's reference or its people."""

    match: FormMatch
    may_open: bool

    @property
    def form(self) -> FamilyConnectForm:
        return self.match.form

    @property
    def received_at(self) -> datetime:
        """When the other form was received, in local time."""
        return self.match.form.received_at.astimezone(LONDON)


def duplicates_for_triage(
    user: Any, form: FamilyConnectForm, members: Iterable[FormMember]
) -> list[TriageDuplicate]:
    """The form's possible duplicates among the waiting forms, in two queries
    whatever the number of members or forms (one when there are none)."""
    matches = form_possible_duplicates(form, members)
    if not matches:
        return []
    visible = set(
        form_queryset_for_user(user)
        .filter(pk__in=[m.form.pk for m in matches])
        .values_list("pk", flat=True)
    )
    return [TriageDuplicate(m, m.form.pk in visible) for m in matches]


@dataclass(frozen=True)
class TriageReturning:
    """A case of the family closed shortly before the form arrived. The case is
    linked only for a user who may open it (``case_queryset_for_user``)."""

    closed: ClosedCase
    may_open: bool
    # The family's name, for a user who may open the case.
    family: FamilyName | None = None

    @property
    def closed_on(self) -> date:
        return local_date(self.closed.closed_at)


def returning_for_triage(
    user: Any, form: FamilyConnectForm, candidates: Iterable[TriageCandidate]
) -> list[TriageReturning]:
    """The cases of the households and people the form may be about (its
    candidates not rejected, and the household it is linked to) closed in the
    12 months before it was received. Two queries whatever the number of
    candidates or cases; none when the form matches nobody."""
    kept = [t for t in candidates if t.candidate.status != MatchStatus.REJECTED]
    family_ids = {t.household.pk for t in kept if t.household is not None}
    if form.family_id is not None:
        family_ids.add(form.family_id)
    person_ids = {
        t.candidate.person_id for t in kept if t.candidate.person_id is not None
    }
    closed = form_returning_cases(form, family_ids=family_ids, person_ids=person_ids)
    if not closed:
        return []
    visible = set(
        case_queryset_for_user(user)
        .filter(pk__in=[c.case_id for c in closed])
        .values_list("pk", flat=True)
    )
    names = case_family_names(visible)
    return [
        TriageReturning(c, c.case_id in visible, names.get(c.case_id)) for c in closed
    ]
