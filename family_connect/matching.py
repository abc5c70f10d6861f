"""'Tell our story once': propose existing households and people for a new form,
and the other forms still waiting for a decision that may be about the same family.

Tolerant of case, accents, spacing and punctuation in names and postcodes, and of
one-letter typos in names. Candidates are fetched in two indexed queries (people by
date of birth, households by postcode) whatever the number of members, then scored
here. Nothing is merged: candidates are stored for triage to confirm.

Waiting forms are compared when triage reads a form, not stored: the same family
sent twice a minute apart is then named on both forms' pages, and a form stops
being named as soon as it is decided (``undecided_form_matches``).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from functools import cached_property

from django.db.models import Q

from families.models import Family, Person
from families.names import name_key, token_score, within_one_edit
from family_connect.models import FamilyConnectForm, FormMember, FormStatus

# A person is proposed at this score or above; a household when its postcode or a
# member matches and the total reaches HOUSEHOLD_THRESHOLD. A household at or above
# STRONG is "the family" for attaching a form to its open case.
PERSON_THRESHOLD = 60
HOUSEHOLD_THRESHOLD = 50
STRONG = 80
MAX_CANDIDATES_PER_MEMBER = 5
MAX_FORM_CANDIDATES = 5


def names_score(tokens: Sequence[str], keys: Sequence[str]) -> int | None:
    """The match of every word typed against any of a record's name keys; None
    when a word matches none of them."""
    total = 0
    for token in tokens:
        best = max((token_score(token, key) for key in keys), default=0)
        if not best:
            return None
        total += best
    return total


def names_match(tokens: Sequence[str], given: str, family: str) -> bool:
    """Whether the words typed (name keys) name someone with these name keys:
    every word matches the given or the family name (``names_score``), or the
    words run together match a name typed with its spaces put in or left out
    ("van der berg" for Van der Berg, "ayeshakhan" for Ayesha Khan)."""
    if not tokens:
        return False
    if names_score(tokens, (given, family)) is not None:
        return True
    joined = "".join(tokens)
    return any(token_score(joined, key) for key in (given, family, given + family))


def _name_points(new: str, old: str, exact: int, close: int) -> tuple[int, str]:
    if not new or not old:
        return 0, ""
    if new == old:
        return exact, "same"
    if len(new) > 2 and within_one_edit(new, old):
        return close, "one letter different"
    return 0, ""


@dataclass(frozen=True)
class MemberProbe:
    """What matching needs of a member of the new form."""

    index: int
    given_name: str
    family_name: str
    date_of_birth: dt.date | None

    @cached_property
    def given_name_key(self) -> str:
        return name_key(self.given_name)

    @cached_property
    def family_name_key(self) -> str:
        return name_key(self.family_name)


@dataclass
class PersonMatch:
    member_index: int
    person: Person
    score: int
    evidence: list[str]


@dataclass
class HouseholdMatch:
    family: Family
    score: int
    evidence: list[str] = field(default_factory=list)


def _member_score(
    probe: MemberProbe,
    *,
    date_of_birth: dt.date | None,
    family_name_key: str,
    given_name_key: str,
    same_postcode: bool,
) -> tuple[int, list[str]]:
    score, evidence = 0, []
    if probe.date_of_birth and probe.date_of_birth == date_of_birth:
        score += 40
        evidence.append("date of birth: same")
    points, how = _name_points(probe.family_name_key, family_name_key, 30, 25)
    if points:
        score += points
        evidence.append(f"family name: {how}")
    points, how = _name_points(probe.given_name_key, given_name_key, 20, 15)
    if points:
        score += points
        evidence.append(f"given name: {how}")
    if same_postcode:
        score += 10
        evidence.append("postcode: same")
    return score, evidence


def household_score(*, same_postcode: bool, person_scores: list[int]) -> int:
    """0–100: the same postcode 30, plus 70% of the best person's score, plus 10
    for each further person who matches. A new baby or partner on the form does
    not lower the score of the family it joins."""
    score = 30 if same_postcode else 0
    if person_scores:
        score += round(0.7 * max(person_scores)) + 10 * (len(person_scores) - 1)
    return min(100, score)


def find_matches(
    *, postcode: str, members: Sequence[MemberProbe]
) -> tuple[list[HouseholdMatch], list[PersonMatch]]:
    """Households and people that may be the ones on a new form.

    ``postcode`` is normalised (``localities.postcodes.postcode_normalise``).
    Two queries: the households at the postcode, then the people sharing a
    member's date of birth or living in one of those households; a third reads
    the people who score.
    """
    dobs = {m.date_of_birth for m in members if m.date_of_birth}
    families_at_postcode = {f.pk: f for f in Family.objects.filter(postcode=postcode)}
    # Scored from the columns that score; a person is read in full only when
    # they reach the threshold (a date of birth alone is shared by dozens).
    rows = list(
        Person.objects.filter(
            Q(date_of_birth__in=dobs) | Q(family_id__in=list(families_at_postcode))
        ).values_list(
            "pk",
            "date_of_birth",
            "family_name_key",
            "given_name_key",
            "family__postcode",
        )
    )
    scored_by_member: list[list[tuple[int, int, list[str]]]] = []
    for probe in members:
        scored = []
        for pk, date_of_birth, family_key, given_key, family_postcode in rows:
            score, evidence = _member_score(
                probe,
                date_of_birth=date_of_birth,
                family_name_key=family_key,
                given_name_key=given_key,
                same_postcode=family_postcode == postcode,
            )
            if score >= PERSON_THRESHOLD:
                scored.append((score, pk, evidence))
        scored.sort(key=lambda m: (-m[0], m[1]))
        scored_by_member.append(scored[:MAX_CANDIDATES_PER_MEMBER])
    wanted = {pk for scored in scored_by_member for _score, pk, _ev in scored}
    people = Person.objects.select_related("family").in_bulk(wanted) if wanted else {}
    person_matches = [
        PersonMatch(probe.index, people[pk], score, evidence)
        for probe, scored in zip(members, scored_by_member, strict=True)
        for score, pk, evidence in scored
    ]

    households: dict[int, HouseholdMatch] = {}
    for family_id, family in families_at_postcode.items():
        households[family_id] = HouseholdMatch(family, 0, ["postcode: same"])
    for match in person_matches:
        if match.person.family is not None:
            found = match.person.family
            households.setdefault(found.pk, HouseholdMatch(found, 0, []))
    for family_id, household in households.items():
        best: dict[int, int] = {}
        for match in person_matches:
            if match.person.family_id == family_id:
                best[match.member_index] = max(
                    best.get(match.member_index, 0), match.score
                )
        household.score = household_score(
            same_postcode=household.family.postcode == postcode,
            person_scores=list(best.values()),
        )
        if best:
            household.evidence.append(f"{len(best)} of {len(members)} people match")
    household_matches = sorted(
        (h for h in households.values() if h.score >= HOUSEHOLD_THRESHOLD),
        key=lambda h: (-h.score, h.family.pk),
    )
    return household_matches, person_matches


@dataclass
class FormMatch:
    """Another form waiting for a decision that may be about the same family.
    ``evidence`` speaks of this form's people, never of the other form's."""

    form: FamilyConnectForm
    score: int
    evidence: list[str] = field(default_factory=list)


def undecided_form_matches(
    *, form_id: int, postcode: str, members: Sequence[MemberProbe]
) -> list[FormMatch]:
    """The other forms still waiting for a decision whose family looks like this
    one, by the rules households are matched by: a member who scores as a person
    match, the form as a household match. Best first, at most
    ``MAX_FORM_CANDIDATES``.

    One query whatever the number of members or forms: the members of waiting
    forms sharing a member's date of birth or the postcode (waiting forms are
    found through the status index, their members through the form key), each
    with its form and the form's locality."""
    dobs = {m.date_of_birth for m in members if m.date_of_birth}
    near = Q(form__postcode=postcode)
    if dobs:
        near |= Q(date_of_birth__in=dobs)
    others = (
        FormMember.objects.filter(form__status=FormStatus.SUBMITTED)
        .exclude(form_id=form_id)
        .filter(near)
        .select_related("form__locality")
        .order_by("form_id", "position")
    )
    by_form: dict[int, list[FormMember]] = {}
    for other in others:
        by_form.setdefault(other.form_id, []).append(other)

    found: list[FormMatch] = []
    for other_members in by_form.values():
        other_form = other_members[0].form
        same_postcode = other_form.postcode == postcode
        best: dict[int, tuple[int, list[str]]] = {}
        for probe in members:
            for other in other_members:
                score, evidence = _member_score(
                    probe,
                    date_of_birth=other.date_of_birth,
                    family_name_key=name_key(other.family_name),
                    given_name_key=name_key(other.given_name),
                    same_postcode=same_postcode,
                )
                if score < PERSON_THRESHOLD:
                    continue
                if probe.index not in best or score > best[probe.index][0]:
                    best[probe.index] = (score, evidence)
        score = household_score(
            same_postcode=same_postcode,
            person_scores=[points for points, _ in best.values()],
        )
        if not best or score < HOUSEHOLD_THRESHOLD:
            continue
        evidence = [
            f"{probe.given_name} {probe.family_name}: "
            + ", ".join(e for e in best[probe.index][1] if not e.startswith("postcode"))
            for probe in members
            if probe.index in best
        ]
        if same_postcode:
            evidence.append("postcode: same")
        evidence.append(f"{len(best)} of {len(members)} people match")
        found.append(FormMatch(other_form, score, evidence))
    found.sort(key=lambda m: (-m.score, m.form.received_at, m.form.pk))
    return found[:MAX_FORM_CANDIDATES]


def member_probes(
    members: Iterable[tuple[int, str, str, dt.date | None]],
) -> list[MemberProbe]:
    return [MemberProbe(i, g, f, d) for i, g, f, d in members]
