"""Each case known by its family's name, as practitioners speak of it: "Taylor
family", with the children's names beneath.

The name comes from the people on the case (``CasePerson``), not from today's
household: the lead adult's family name — the first parent or carer placed on
the case (mother, father, step-parent, carer, grandparent, in that order of
preference), else any adult, else the first child. A case with nobody on it
yet keeps its number.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date

from django.db import models
from django.db.models import IntegerField, OuterRef, Subquery, Value, When

from casework.models import CasePerson
from core.codes import MemberRole, Relationship

# Who the household is named after, most likely first.
_LEAD_ADULT = [
    Relationship.MOTHER,
    Relationship.FATHER,
    Relationship.STEP_PARENT,
    Relationship.CARER,
    Relationship.GRANDPARENT,
]


@dataclass(frozen=True)
class FamilyName:
    """A case's family name (``title``) and its children's names."""

    case_id: int
    title: str
    children: tuple[str, ...]

    def __str__(self) -> str:
        return self.title


def case_family_names(case_ids: Iterable[int]) -> dict[int, FamilyName]:
    """The family name of each case, in one query whatever their number."""
    return case_family_names_and_children(case_ids)[0]


def case_family_names_and_children(
    case_ids: Iterable[int],
) -> tuple[dict[int, FamilyName], dict[int, list[str]]]:
    """The family name of each case and its children's names eldest first (the
    order a case lists its people in), in one query whatever their number."""
    ids = set(case_ids)
    people: dict[int, list[tuple[str, str, str, str]]] = {pk: [] for pk in ids}
    children: dict[int, list[tuple[date | None, int, str]]] = {pk: [] for pk in ids}
    rows = (
        CasePerson.objects.filter(case_id__in=ids)
        .order_by("case_id", "added_at", "pk")
        .values_list(
            "case_id",
            "person__role",
            "person__relationship",
            "person__given_name",
            "person__family_name",
            "person__date_of_birth",
            "person_id",
        )
    )
    for case_id, role, relationship, given, family, born, person_id in rows:
        people[case_id].append((role, relationship or "", given, family))
        if role == MemberRole.CHILD:
            children[case_id].append((born, person_id, f"{given} {family}".strip()))
    return (
        {pk: _name(pk, on_case) for pk, on_case in people.items()},
        {
            pk: [name for *_, name in sorted(c, key=_by_age)]
            for pk, c in children.items()
        },
    )


def _by_age(child: tuple[date | None, int, str]) -> tuple[bool, date, int]:
    """Eldest first, those with no date of birth last (as PostgreSQL orders
    ``date_of_birth, pk``)."""
    born, person_id, _ = child
    return born is None, born or date.min, person_id


def case_family_name(case_id: int) -> FamilyName:
    return case_family_names([case_id])[case_id]


def _name(case_id: int, people: list[tuple[str, str, str, str]]) -> FamilyName:
    adults = [p for p in people if p[0] == MemberRole.ADULT]
    children = [p for p in people if p[0] == MemberRole.CHILD]
    rank = {r.value: i for i, r in enumerate(_LEAD_ADULT)}
    lead = min(adults, key=lambda p: rank.get(p[1], len(rank)), default=None) or next(
        iter(children), None
    )
    surname = lead[3].strip() if lead else ""
    title = f"{surname} family" if surname else f"Case {case_id}"
    return FamilyName(
        case_id=case_id,
        title=title,
        children=tuple(f"{c[2]} {c[3]}".strip() for c in children),
    )


def family_name_subquery(case_ref: str = "pk") -> Subquery:
    """The lead person's family name in SQL, by the same rule as ``_name``, so
    that lists sort by family in the database (None for a case with nobody on
    it)."""
    rank = models.Case(
        *[
            When(
                person__role=MemberRole.ADULT,
                person__relationship=relationship,
                then=Value(i),
            )
            for i, relationship in enumerate(_LEAD_ADULT)
        ],
        When(person__role=MemberRole.ADULT, then=Value(len(_LEAD_ADULT))),
        default=Value(len(_LEAD_ADULT) + 1),
        output_field=IntegerField(),
    )
    return Subquery(
        CasePerson.objects.filter(case_id=OuterRef(case_ref))
        .annotate(rank=rank)
        .order_by("rank", "added_at", "pk")
        .values("person__family_name")[:1]
    )
