"""Search reads: people, households, cases and forms matching a query, each
only through the choke point of the records it shows.

Names are matched on the keys intake's matching uses
(``families.names.name_key``): every word typed must be the start of
the person's given or family name key, or within one letter of it (one
insertion, deletion, substitution or swap, for words of three letters or
more). The keys each word matches are found first, among every key there is
(``families.names.keys_matching``); people and forms are then read by those
exact keys from B-tree indexes, so only records that match are read. Every
function runs a fixed number of queries whatever the number of matches.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any, cast

from django.db import models
from django.db.models import Exists, OuterRef, Q, QuerySet, Value, When

from accounts.access import Viewer
from casework.access import case_queryset_for_user, person_queryset_for_user
from casework.models import OPEN_STATUSES, Case, CasePerson
from casework.selectors.names import FamilyName, case_family_names
from families.models import Family, Person
from families.names import keys_in_q
from families.query import SearchQuery
from family_connect.access import (
    form_details_filter,
    form_queryset_for_user,
    form_shows_details,
)
from family_connect.matching import names_score
from family_connect.models import FamilyConnectForm
from family_connect.selectors import form_ids_naming, name_keys_for
from localities.models import Locality
from search.access import searches_citywide, searches_family_details

# Candidates read (keys only) before the one-letter rule; matches kept.
CANDIDATE_LIMIT = 2000
MATCH_LIMIT = 500
# What the results page shows of each group: GOV.UK's twenty a page. More
# is narrowed by a date of birth or a postcode rather than paged through.
PAGE_LIMIT = 20


# --- Names ------------------------------------------------------------------


@dataclass(frozen=True)
class Matches:
    """The ids of the people who match, best first. ``capped``: more people
    were candidates than ``CANDIDATE_LIMIT`` or matched than ``MATCH_LIMIT``,
    so more may match than ``ids`` holds."""

    ids: list[int]
    capped: bool = False


PERSON_KEYS = ("given_name_key", "family_name_key")


def person_ids_matching(
    people: QuerySet[Person],
    query: SearchQuery,
    *,
    by_details: bool = True,
    locality: Locality | None = None,
    keys: Mapping[str, list[str]] | None = None,
) -> Matches:
    """The people in ``people`` who match the query, best first: two queries
    (the keys the words match, then the people), the second reading at most
    ``CANDIDATE_LIMIT`` candidates' keys from the keys' indexes.
    ``by_details`` False matches names and year of birth only. ``keys``:
    ``name_keys_for(query)``, when already read (then one query)."""
    first_keys: list[str] = []
    if query.names:
        keys = keys if keys is not None else name_keys_for(query)
        first_keys = list(keys[query.names[0]])
        if not first_keys:
            return Matches([])  # the first word matches no name there is
        for token in query.names[1:]:
            people = people.filter(keys_in_q(keys[token], PERSON_KEYS))
    if by_details and query.date_of_birth:
        people = people.filter(date_of_birth=query.date_of_birth)
    year = query.year_of_birth
    if not by_details and query.date_of_birth:
        year = query.date_of_birth.year
    if year:
        people = people.filter(date_of_birth__year=year)
    if by_details and query.postcode:
        people = people.filter(family__postcode=query.postcode)
    if locality is not None:
        people = people.filter(family__locality=locality)
    if not (
        query.names or year or (by_details and (query.date_of_birth or query.postcode))
    ):
        return Matches([])
    # Candidates whose names start with the words typed first, so that the
    # limit leaves out the least likely; one row more than the limit tells
    # whether there were more.
    columns = ["pk", "given_name_key", "family_name_key"]
    order: list[Any] = ["family_name_key", "given_name_key", "pk"]
    if not query.names:
        rows = list(
            people.order_by(*order).values_list(*columns)[: CANDIDATE_LIMIT + 1]
        )
    else:
        people = people.annotate(
            near=sum(
                (
                    models.Case(
                        When(
                            Q(given_name_key__startswith=token)
                            | Q(family_name_key__startswith=token),
                            then=Value(0),
                        ),
                        default=Value(1),
                    )
                    for token in query.names
                ),
                start=Value(0),
            )
        ).values_list(*columns, "near")
        # The first word's keys as a family name, then as a given name only:
        # each part is read from its key's index alone (which holds the other
        # key, the household and the id), where one OR of the two would read
        # every candidate's row from the table.
        as_family = people.filter(family_name_key__in=first_keys)
        as_given = people.filter(given_name_key__in=first_keys).exclude(
            family_name_key__in=first_keys
        )
        both = cast(
            Iterable[tuple[int, str, str, int]],
            as_family.union(as_given, all=True).order_by("near", *order)[
                : CANDIDATE_LIMIT + 1
            ],
        )
        rows = [(pk, given, family) for pk, given, family, _near in both]
    capped = len(rows) > CANDIDATE_LIMIT
    scored = []
    for pk, given, family in rows[:CANDIDATE_LIMIT]:
        score = names_score(query.names, (given, family)) if query.names else 0
        if score is not None:
            scored.append((-score, pk))
    # Python's sort is stable: equal scores keep the names' order.
    scored.sort(key=lambda s: s[0])
    return Matches(
        ids=[pk for _score, pk in scored[:MATCH_LIMIT]],
        capped=capped or len(scored) > MATCH_LIMIT,
    )


# --- People (within scope) ---------------------------------------------------


@dataclass(frozen=True)
class PersonResult:
    person: Person
    case_id: int | None
    case_name: FamilyName | None


def people_for_user(user: Viewer) -> QuerySet[Person]:
    return person_queryset_for_user(user)


def open_cases_of_people(user: Viewer, people: Sequence[Person]) -> dict[int, int]:
    """Each person's open case that the user may see, in one query: a case the
    person is on, else their household's; the newest when there are several."""
    ids = [p.pk for p in people]
    family_ids = {p.family_id for p in people if p.family_id}
    if not ids:
        return {}
    rows = (
        case_queryset_for_user(user)
        .filter(status__in=OPEN_STATUSES)
        .filter(Q(places__person_id__in=ids) | Q(family_id__in=family_ids))
        .values_list("pk", "family_id", "places__person_id")
    )
    on_case: dict[int, int] = {}
    of_household: dict[int, int] = {}
    for case_id, family_id, person_id in rows:
        if person_id is not None:
            on_case[person_id] = max(case_id, on_case.get(person_id, 0))
        of_household[family_id] = max(case_id, of_household.get(family_id, 0))
    found = {}
    for person in people:
        chosen = on_case.get(person.pk) or of_household.get(person.family_id or 0)
        if chosen:
            found[person.pk] = chosen
    return found


def people_page(user: Viewer, ids: Sequence[int]) -> list[PersonResult]:
    """The people with these ids (already matched within the user's scope), in
    that order, with their household, locality and open case: three queries."""
    by_pk = (
        Person.objects.select_related("family__locality")
        # What the page and the people API show of each: the rest of a
        # person's and a household's columns cost more to read and build
        # than the page takes to draw.
        .only(
            "given_name",
            "family_name",
            "date_of_birth",
            "family__postcode",
            "family__locality__slug",
            "family__locality__name",
        )
        .in_bulk(list(ids))
    )
    people = [by_pk[pk] for pk in ids if pk in by_pk]
    cases = open_cases_of_people(user, people)
    names = case_family_names(cases.values())
    return [
        PersonResult(
            person=p,
            case_id=cases.get(p.pk),
            case_name=names.get(cases[p.pk]) if p.pk in cases else None,
        )
        for p in people
    ]


def people_search(
    user: Viewer, query: SearchQuery, keys: Mapping[str, list[str]] | None = None
) -> Matches:
    """The people the user may see who match the query."""
    if not searches_family_details(user):
        return Matches([])
    return person_ids_matching(people_for_user(user), query, keys=keys)


# --- Households --------------------------------------------------------------


def households_search(user: Viewer, query: SearchQuery) -> list[Family]:
    """Households at the postcode among those whose people the user may see."""
    if not query.postcode or not searches_family_details(user):
        return []
    in_scope = people_for_user(user).filter(family_id=OuterRef("pk"))
    return list(
        Family.objects.filter(Exists(in_scope), postcode=query.postcode)
        .select_related("locality")
        .order_by("address_line", "pk")[:PAGE_LIMIT]
    )


# --- Cases -------------------------------------------------------------------


@dataclass(frozen=True)
class CaseResult:
    case: Case
    name: FamilyName
    # The people on the case, whose names its family name and children's
    # names are made from: each is logged as shown.
    people_ids: tuple[int, ...] = ()


def cases_search(
    user: Viewer, query: SearchQuery, *, people: Matches | None = None
) -> tuple[list[CaseResult], bool]:
    """The cases the user may see with someone on them who matches. Partners
    on a case's team (who see children's names, not the family's details)
    match on names only. ``people``: the matches of ``people_search`` for the
    same user and query, when already read (everyone on a case the user may
    see is among the people they may see). The newest ``PAGE_LIMIT``, and
    whether more match."""
    by_details = searches_family_details(user)
    if not query.names and not by_details:
        return [], False
    visible = case_queryset_for_user(user)
    if by_details and people is not None:
        matched = people.ids
    else:
        on_visible = Person.objects.filter(
            Exists(visible.filter(places__person_id=OuterRef("pk")))
        )
        plain = SearchQuery(text=query.text, names=query.names)
        matched = person_ids_matching(on_visible, query if by_details else plain).ids
    if not matched:
        return [], False
    cases = list(
        visible.filter(
            pk__in=CasePerson.objects.filter(person_id__in=matched).values("case_id")
        )
        .select_related("locality", "lead_practitioner")
        .order_by("-opened_at", "-pk")[: PAGE_LIMIT + 1]
    )
    more = len(cases) > PAGE_LIMIT
    cases = cases[:PAGE_LIMIT]
    names = case_family_names(c.pk for c in cases)
    on_cases: dict[int, list[int]] = {c.pk: [] for c in cases}
    for case_id, person_id in CasePerson.objects.filter(
        case_id__in=list(on_cases)
    ).values_list("case_id", "person_id"):
        on_cases[case_id].append(person_id)
    return [
        CaseResult(case=c, name=names[c.pk], people_ids=tuple(on_cases[c.pk]))
        for c in cases
    ], more


# --- Forms -------------------------------------------------------------------


@dataclass(frozen=True)
class FormResult:
    form: FamilyConnectForm
    shows_details: bool
    children: tuple[str, ...]


def forms_search(
    user: Viewer, query: SearchQuery, keys: Mapping[str, list[str]] | None = None
) -> tuple[list[FormResult], bool]:
    """Forms the user may see with this reference, or naming someone who
    matches, newest first: the first ``PAGE_LIMIT``. Names, dates of birth and
    postcodes match only the forms whose details the user may read
    (``form_details_filter``: a requester's colleagues' forms are found by
    reference only). Only the forms shown, and their members, are read;
    whether more match."""
    visible = form_queryset_for_user(user)
    readable = visible.filter(form_details_filter(user))
    ids: list[int] = []
    if query.reference:
        ids += list(
            visible.filter(reference=query.reference).values_list("pk", flat=True)
        )
    if query.names or query.date_of_birth or query.year_of_birth:
        named = form_ids_naming(readable, query, keys=keys)
    elif query.postcode:
        named = list(
            readable.filter(postcode=query.postcode)
            .order_by("-received_at", "pk")
            .values_list("pk", flat=True)[:MATCH_LIMIT]
        )
    else:
        named = []
    # The named forms come newest first, so with the form found by its
    # reference the page's forms are among the first PAGE_LIMIT of them.
    ids += [pk for pk in named if pk not in ids]
    more = len(ids) > PAGE_LIMIT
    ids = ids[:PAGE_LIMIT]
    if not ids:
        return [], False
    forms = (
        visible.filter(pk__in=ids)
        .select_related("locality")
        .prefetch_related("members")
        .order_by("-received_at", "pk")[:PAGE_LIMIT]
    )
    return [
        FormResult(
            form=form,
            shows_details=form_shows_details(user, form),
            children=tuple(
                f"{m.given_name} {m.family_name}"
                for m in form.members.all()
                if m.role == "child"
            ),
        )
        for form in forms
    ], more


# --- The data protection officer ---------------------------------------------


@dataclass(frozen=True)
class CitywidePerson:
    id: int
    name: str
    year_of_birth: int | None
    locality: str | None


def citywide_people(
    query: SearchQuery, *, locality: Locality | None = None
) -> tuple[list[CitywidePerson], Matches]:
    """The first page of the people city-wide who match by name, year of birth
    and locality, for the data protection officer, who sees nothing else of
    them here; and all the matches. Two queries."""
    matches = person_ids_matching(
        Person.objects.all(), query, by_details=False, locality=locality
    )
    ids = matches.ids[:PAGE_LIMIT]
    rows = Person.objects.filter(pk__in=ids).values_list(
        "pk", "given_name", "family_name", "date_of_birth", "family__locality__name"
    )
    by_pk = {
        pk: CitywidePerson(
            id=pk,
            name=f"{given} {family}".strip(),
            year_of_birth=born.year if isinstance(born, dt.date) else None,
            locality=place,
        )
        for pk, given, family, born, place in rows
    }
    return [by_pk[pk] for pk in ids if pk in by_pk], matches


# --- Everything, grouped -----------------------------------------------------


@dataclass(frozen=True)
class SearchResults:
    query: SearchQuery
    people: list[PersonResult]
    # How many people matched (city-wide ones for the officer).
    people_total: int
    households: list[Family]
    cases: list[CaseResult]
    forms: list[FormResult]
    citywide: list[CitywidePerson]
    # More people (or, for the officer, city-wide people) may match than were
    # found: the page asks for a date of birth or a postcode.
    capped: bool = False
    # More cases, or forms, match than the page shows.
    more_cases: bool = False
    more_forms: bool = False

    @property
    def count(self) -> int:
        return (
            len(self.people)
            + len(self.households)
            + len(self.cases)
            + len(self.forms)
            + len(self.citywide)
        )

    def shown(self) -> list[Any]:
        """Every record the answer shows, for the access log: the people
        named in a case's result among them, once each."""
        people = {r.person.pk for r in self.people}
        named = sorted({pk for r in self.cases for pk in r.people_ids} - people)
        return [
            *(r.person for r in self.people),
            *(("families.person", pk) for pk in named),
            *self.households,
            *(r.case for r in self.cases),
            *(r.form for r in self.forms),
            *(("families.person", p.id) for p in self.citywide),
        ]


def search_for_user(
    user: Viewer, query: SearchQuery, *, locality: Locality | None = None
) -> SearchResults:
    """Everything the user may see that matches, grouped. The caller has
    checked ``search.access.may_search``."""
    if searches_citywide(user):
        citywide, matches = citywide_people(query, locality=locality)
        return SearchResults(
            query=query,
            people=[],
            people_total=len(matches.ids),
            households=[],
            cases=[],
            forms=[],
            citywide=citywide,
            capped=matches.capped,
        )
    keys = name_keys_for(query)
    matches = people_search(user, query, keys)
    cases, more_cases = cases_search(user, query, people=matches)
    forms, more_forms = forms_search(user, query, keys)
    return SearchResults(
        query=query,
        people=people_page(user, matches.ids[:PAGE_LIMIT]),
        people_total=len(matches.ids),
        households=households_search(user, query),
        cases=cases,
        forms=forms,
        citywide=[],
        capped=matches.capped,
        more_cases=more_cases,
        more_forms=more_forms,
    )
