"""Reads of Family Connect Forms, with the joins their pages need."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import EmptyResultSet
from django.db import connections
from django.db.models import Prefetch, Q, QuerySet

from accounts.access import Viewer
from accounts.models import Organisation
from core.codes import MemberRole
from core.periods import add_months_to_moment
from families.names import key_near_ranges, keys_in_q, keys_matching
from families.query import SearchQuery
from family_connect.access import form_details_filter, form_queryset_for_user
from family_connect.household_cases import ClosedCase, household_closed_cases
from family_connect.matching import (
    FormMatch,
    MemberProbe,
    names_match,
    undecided_form_matches,
)
from family_connect.models import FamilyConnectForm, FormDecision, FormMember, Reason
from localities.models import Locality

# A family whose case closed this many months or fewer before a form about it
# arrived is "returning", and triage is told.
RETURNING_WITHIN_MONTHS = 12
# Member rows read (names only) before the one-letter rule; forms kept.
CANDIDATE_LIMIT = 2000
MATCH_LIMIT = 500
# The locality filter's value for forms whose locality is not yet known.
LOCALITY_UNKNOWN = "unknown"


@dataclass(frozen=True)
class FormFilters:
    """What the forms list is narrowed to; empty values narrow nothing."""

    query: SearchQuery | None = None
    status: str = ""
    locality: str = ""

    @property
    def active(self) -> bool:
        return bool(self.query or self.status or self.locality)


def form_list_for_user(
    user: Viewer, filters: FormFilters | None = None
) -> QuerySet[FamilyConnectForm]:
    """The user's forms, newest first, with what a list shows in constant
    queries; narrowed by ``filters``. A reference finds any form the user sees;
    names, dates of birth and postcodes find only the forms whose details the
    user may read (``form_details_filter``)."""
    forms = form_queryset_for_user(user)
    if filters is not None:
        forms = _narrowed(user, forms, filters)
    # Each related record read once by its own query, not joined to every
    # row: a page of fifty forms over four joins took 12 ms more to plan,
    # read and build than over four short queries (one locality, a few
    # organisations, the decisions, and only the references of originals).
    return forms.prefetch_related(
        "locality",
        "organisation",
        "decision",
        Prefetch("duplicate_of", queryset=FamilyConnectForm.objects.only("reference")),
        Prefetch("reasons", queryset=Reason.objects.only("code", "label")),
        Prefetch("members", queryset=FormMember.objects.order_by("position")),
    ).order_by("-received_at", "-pk")


# A form's own columns the list API answers with (and the access rule reads,
# ``access.form_shows_details``).
LIST_COLUMNS = (
    "pk",
    "reference",
    "status",
    "locality_id",
    "route",
    "request_type",
    "received_at",
    "organisation_id",
    "postcode",
    "level_of_need",
    "consent",
    "safeguarding_concern",
    "duplicate_of_id",
    "requester_id",
    "entered_by_id",
)
# What the list API says of each member on a form (its ``MemberReadSerializer``).
MEMBER_FIELDS = (
    "role",
    "given_name",
    "family_name",
    "date_of_birth",
    "expected",
    "sex",
    "gender_identity",
    "ethnicity",
    "school",
    "send",
    "young_carer",
    "relationship",
)


def form_rows_for_user(user: Viewer) -> QuerySet[FamilyConnectForm, dict[str, Any]]:
    """``form_list_for_user``'s forms, newest first, as rows of their own
    columns (``LIST_COLUMNS``): a page of the list API is built from rows and
    one short query per related record (``form_rows_related``), not from
    fifty forms and their members as model instances."""
    return (
        form_queryset_for_user(user)
        .order_by("-received_at", "-pk")
        .values(*LIST_COLUMNS)
    )


@dataclass(frozen=True)
class FormRowsRelated:
    """What a page of form rows refers to, by form (or record) id."""

    locality_slugs: dict[int, str]
    organisation_names: dict[int, str]
    original_references: dict[int, str]
    decisions: dict[int, dict[str, Any]]  # outcome, decided_at, reason
    reason_codes: dict[int, list[str]]  # in the reasons' order
    members: dict[int, list[dict[str, Any]]]  # ``MEMBER_FIELDS``, by position


def form_rows_related(rows: list[dict[str, Any]]) -> FormRowsRelated:
    """The localities, organisations, originals, decisions, reasons and
    members of a page of ``form_rows_for_user`` rows: six queries, whatever
    the page's size."""
    ids = [row["pk"] for row in rows]

    def of(column: str) -> set[int]:
        return {row[column] for row in rows if row[column] is not None}

    reasons: dict[int, list[str]] = {}
    for form_id, code in (
        FamilyConnectForm.reasons.through.objects.filter(familyconnectform_id__in=ids)
        .order_by("reason__position", "reason__label")
        .values_list("familyconnectform_id", "reason__code")
    ):
        reasons.setdefault(form_id, []).append(code)
    members: dict[int, list[dict[str, Any]]] = {}
    for member in (
        FormMember.objects.filter(form_id__in=ids)
        .order_by("form", "position")
        .values("form_id", *MEMBER_FIELDS)
    ):
        members.setdefault(member.pop("form_id"), []).append(member)
    return FormRowsRelated(
        locality_slugs=dict(
            Locality.objects.filter(pk__in=of("locality_id")).values_list("pk", "slug")
        ),
        organisation_names=dict(
            Organisation.objects.filter(pk__in=of("organisation_id")).values_list(
                "pk", "name"
            )
        ),
        original_references=dict(
            FamilyConnectForm.objects.filter(pk__in=of("duplicate_of_id")).values_list(
                "pk", "reference"
            )
        ),
        decisions={
            form_id: {"outcome": outcome, "decided_at": at, "reason": reason}
            for form_id, outcome, at, reason in FormDecision.objects.filter(
                form_id__in=ids
            ).values_list("form_id", "outcome", "decided_at", "reason")
        },
        reason_codes=reasons,
        members=members,
    )


def _narrowed(
    user: Viewer, forms: QuerySet[FamilyConnectForm], filters: FormFilters
) -> QuerySet[FamilyConnectForm]:
    if filters.status:
        forms = forms.filter(status=filters.status)
    if filters.locality == LOCALITY_UNKNOWN:
        forms = forms.filter(locality__isnull=True)
    elif filters.locality:
        forms = forms.filter(locality__slug=filters.locality)
    query = filters.query
    if query is None:
        return forms
    if query.is_empty:
        # Typed, but nothing in it could name a form (only punctuation, say).
        return forms.none()
    if query.reference:
        forms = forms.filter(reference=query.reference)
    if query.names or query.date_of_birth or query.year_of_birth:
        forms = forms.filter(
            pk__in=form_ids_naming(forms.filter(form_details_filter(user)), query)
        )
    elif query.postcode:
        forms = forms.filter(form_details_filter(user), postcode=query.postcode)
    return forms


def form_localities(user: Viewer) -> list[tuple[str, str]]:
    """The localities the user's forms are in, as (slug, name) by name, with
    ``LOCALITY_UNKNOWN`` last when some forms' locality is not yet known: one
    query. Empty when the user has no forms."""
    rows = list(
        form_queryset_for_user(user)
        .order_by()
        .values_list("locality__slug", "locality__name")
        .distinct()
    )
    known = sorted(
        ((slug, name) for slug, name in rows if slug), key=lambda row: row[1]
    )
    unknown = (
        [(LOCALITY_UNKNOWN, "Not yet known")]
        if any(slug is None for slug, _name in rows)
        else []
    )
    return known + unknown


def child_initials(form: FamilyConnectForm) -> str:
    """The initials of the first child on the form, like "A. K." (members
    prefetched in order); empty when no child is named."""
    for member in form.members.all():
        if member.role == MemberRole.CHILD:
            return " ".join(
                f"{letter.upper()}."
                for letter in (
                    _first_letter(member.given_name),
                    _first_letter(member.family_name),
                )
                if letter
            )
    return ""


def _first_letter(name: str) -> str:
    return next((ch for ch in name if ch.isalpha()), "")


# --- Forms by the names on them ---------------------------------------------


# A member's two name keys run together, written as the B-tree indexes on them
# (and on them reversed) in ``search/migrations/0006`` are, so that PostgreSQL
# recognises them (keys are never null: no ``COALESCE``).
KEYS_JOINED = '("given_name_key" || "family_name_key")'
MEMBER_KEYS = ("given_name_key", "family_name_key")


def name_keys_for(query: SearchQuery) -> dict[str, list[str]]:
    """The keys each word of the query matches, and the words run together
    (``families.names.keys_matching``): one query, none without names."""
    if not query.names:
        return {}
    return keys_matching([*query.names, "".join(query.names)])


def form_ids_naming(
    forms: QuerySet[FamilyConnectForm],
    query: SearchQuery,
    keys: Mapping[str, list[str]] | None = None,
) -> list[int]:
    """The ids of the forms in ``forms`` with someone on them who matches the
    query's names (``matching.names_match``), date or year of birth and
    postcode, newest first: two queries with names, else one. Names pick the
    members by the exact keys each word matches (``families.names.
    keys_matching``), on each key for every word and for the words joined;
    the two keys run together are narrowed by pattern
    (``families.names.key_near_ranges``); the one-letter rule is then applied
    to the keys read. The caller passes only forms whose details the user may
    read; ``keys``: ``name_keys_for(query)``, when already read."""
    members = FormMember.objects.all()
    if query.date_of_birth:
        members = members.filter(date_of_birth=query.date_of_birth)
    if query.year_of_birth:
        members = members.filter(date_of_birth__year=query.year_of_birth)
    if query.postcode:
        members = members.filter(form__postcode=query.postcode)
    if query.names:
        keys = keys if keys is not None else name_keys_for(query)
        rows = _named_rows(*_named_members(members, query, keys), forms)
    else:
        rows = list(
            members.filter(form__in=forms.order_by())
            .order_by("-form__received_at", "form_id")
            .values_list("form_id", "given_name_key", "family_name_key")[
                :CANDIDATE_LIMIT
            ]
        )
    found: dict[int, None] = {}
    for form_id, given, family in rows:
        if form_id in found:
            continue
        if not query.names or names_match(query.names, given, family):
            found[form_id] = None
    return list(found)[:MATCH_LIMIT]


@dataclass(frozen=True)
class _RunTogether:
    """The members whose keys run together meet any of ``conditions`` (SQL on
    a member's columns, with parameters)."""

    members: QuerySet[FormMember]
    conditions: list[tuple[str, list[Any]]]


def _named_members(
    members: QuerySet[FormMember],
    query: SearchQuery,
    keys: Mapping[str, list[str]],
) -> tuple[list[QuerySet[FormMember]], _RunTogether]:
    """The ``members`` the query's names pick, in parts that do not overlap:
    the first word's keys as a family name, then as a given name only (each
    with the other words' keys), then the words run together. Each of the
    first two is read from its key's index alone, which holds the other key
    and the form; one OR of them all would read every candidate's row."""
    first, *rest = query.names
    first_keys = list(keys[first])
    others = Q()
    for token in rest:
        others &= keys_in_q(keys[token], MEMBER_KEYS)
    parts = []
    if first_keys:
        parts += [
            members.filter(others, family_name_key__in=first_keys),
            members.filter(others, given_name_key__in=first_keys).exclude(
                family_name_key__in=first_keys
            ),
        ]
    # The words run together, as one name or as the two keys joined; one
    # word alone is that word: only the keys run together are new.
    joined_word = "".join(query.names)
    conditions = key_near_ranges(joined_word, KEYS_JOINED)
    if len(query.names) > 1 and keys[joined_word]:
        places = ", ".join(["%s"] * len(keys[joined_word]))
        conditions += [
            (f'"{column}" IN ({places})', list(keys[joined_word]))
            for column in MEMBER_KEYS
        ]
    if first_keys:
        members = members.exclude(others & keys_in_q(first_keys, MEMBER_KEYS))
    return parts, _RunTogether(members, conditions)


def _named_rows(
    parts: list[QuerySet[FormMember]],
    run_together: _RunTogether,
    forms: QuerySet[FamilyConnectForm],
) -> list[tuple[int, str, str]]:
    """The form, given and family name keys of the members in ``parts`` and
    ``run_together`` (which do not overlap) on ``forms``, newest form first,
    at most ``CANDIDATE_LIMIT``: one query.

    The members the names pick are read first, city-wide, by their keys, and
    only then kept to ``forms``. Asked in one piece,
    PostgreSQL prefers to read every member of the user's forms (a whole
    locality's) and test the patterns on each: six to fifteen times the
    pages. A materialised common table expression holds it to this order.

    The keys run together are read one condition at a time
    (``families.names.key_near_ranges``), each a range of an index that
    holds the keys and the form, so that a pattern is tested in the index;
    a member that meets two is read once, by its id, which those indexes
    include. Asked as one OR, the ranges are one bitmap, and every member in
    it is read from the table to test the patterns: the range of a common
    given name's start holds thousands."""
    named: list[str] = []
    named_params: list[Any] = []
    for part in parts:
        try:
            sql, params = (
                part.order_by()
                .values_list("form_id", "given_name_key", "family_name_key")
                .query.sql_with_params()
            )
        except EmptyResultSet:
            continue  # a part that cannot match
        named.append(f"SELECT * FROM ({sql}) AS part")  # noqa: S608
        named_params += params
    try:
        sql, params = (
            run_together.members.order_by()
            .values_list("id", "form_id", "given_name_key", "family_name_key")
            .query.sql_with_params()
        )
    except EmptyResultSet:
        pass  # no member can match
    else:
        # The members are compiled once and narrowed by each condition; the
        # subquery is merged into its condition's scan.
        pieces = []
        for condition, condition_params in run_together.conditions:
            pieces.append(f"SELECT * FROM ({sql}) AS member WHERE {condition}")  # noqa: S608
            named_params += [*params, *condition_params]
        named.append(
            "SELECT part.form_id, part.given_name_key, part.family_name_key "  # noqa: S608
            f"FROM ({' UNION '.join(pieces)}) AS part"
        )
    if not named:
        return []
    named_sql = " UNION ALL ".join(named)
    try:
        scope_sql, scope_params = (
            forms.order_by().values("id", "received_at").query.sql_with_params()
        )
    except EmptyResultSet:
        return []  # the user sees no forms (``forms.none()``): nothing to ask
    connection = connections[forms.db]
    fence = "MATERIALIZED " if connection.vendor == "postgresql" else ""
    # Only SQL Django compiled and fixed names are joined here; every value
    # typed is a parameter. The forms in scope give when each came (a
    # manager's from the index of their localities' forms alone).
    sql = (
        f"WITH named (form_id, given_key, family_key) AS {fence}({named_sql}) "  # noqa: S608
        "SELECT named.form_id, named.given_key, named.family_key FROM named "
        f"INNER JOIN ({scope_sql}) AS scope "
        "ON scope.id = named.form_id "
        "ORDER BY scope.received_at DESC, named.form_id LIMIT %s"
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, (*named_params, *scope_params, CANDIDATE_LIMIT))
        return [(row[0], row[1], row[2]) for row in cursor.fetchall()]


def form_reason_codes(form: FamilyConnectForm) -> list[str]:
    return sorted(r.code for r in form.reasons.all())


def form_possible_duplicates(
    form: FamilyConnectForm, members: Iterable[FormMember]
) -> list[FormMatch]:
    """The other forms waiting for a decision that may be about this form's
    family (``matching.undecided_form_matches``). One query."""
    return undecided_form_matches(
        form_id=form.pk,
        postcode=form.postcode,
        members=[
            MemberProbe(i, m.given_name, m.family_name, m.date_of_birth)
            for i, m in enumerate(members)
        ],
    )


def form_returning_cases(
    form: FamilyConnectForm, *, family_ids: Iterable[int], person_ids: Iterable[int]
) -> list[ClosedCase]:
    """The cases of the households and people the form may be about that closed
    in the ``RETURNING_WITHIN_MONTHS`` months before the form was received,
    newest first. One query; none when there is nobody to ask about."""
    return household_closed_cases(
        family_ids=sorted(set(family_ids)),
        person_ids=sorted(set(person_ids)),
        closed_from=add_months_to_moment(form.received_at, -RETURNING_WITHIN_MONTHS),
        closed_until=form.received_at,
    )
