"""Reads of consent on a case: each person's consent to each purpose as it
stands, the records behind it, and whether partners' access is closed by a
withdrawal of information-sharing consent."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field

from django.core.exceptions import ObjectDoesNotExist
from django.db.models import Exists, OuterRef, Prefetch

from accounts.selectors import user_fields_unread
from casework.models import (
    ConsentOverride,
    ConsentPurpose,
    ConsentWithdrawal,
    PersonConsent,
)
from core.periods import Month
from families.models import Person
from family_connect.models import FamilyConnectForm


def withdrawal_of(consent: PersonConsent) -> ConsentWithdrawal | None:
    try:
        return consent.withdrawal
    except ObjectDoesNotExist:
        return None


def override_of(withdrawal: ConsentWithdrawal | None) -> ConsentOverride | None:
    if withdrawal is None:
        return None
    try:
        return withdrawal.override
    except ObjectDoesNotExist:
        return None


def sharing_withdrawn() -> Exists:
    """For filtering ``Case`` querysets in SQL: the case has a withdrawal of
    information-sharing consent in force — on a person's latest consent to
    sharing (not given again since) and not overridden by a manager."""
    given_again = PersonConsent.objects.filter(
        case_id=OuterRef("consent__case_id"),
        person_id=OuterRef("consent__person_id"),
        purpose=ConsentPurpose.INFORMATION_SHARING,
        pk__gt=OuterRef("consent_id"),
    )
    return Exists(
        ConsentWithdrawal.objects.filter(
            consent__case_id=OuterRef("pk"),
            consent__purpose=ConsentPurpose.INFORMATION_SHARING,
            override__isnull=True,
        ).exclude(Exists(given_again))
    )


def case_consents(case_id: int) -> list[PersonConsent]:
    """Every consent recorded on the case, oldest first, with its person, its
    withdrawal and any override (one query), and the reference of the form
    it came from (a second, when one did). A form's every column joined to
    each consent doubled the time Django took to build the query; of the
    staff who recorded them, only what names them is read."""
    return list(
        PersonConsent.objects.filter(case_id=case_id)
        .select_related(
            "person",
            "recorded_by",
            "withdrawal",
            "withdrawal__recorded_by",
            "withdrawal__override",
            "withdrawal__override__recorded_by",
        )
        .defer(
            *user_fields_unread(
                "recorded_by",
                "withdrawal__recorded_by",
                "withdrawal__override__recorded_by",
            )
        )
        .prefetch_related(
            Prefetch("form", queryset=FamilyConnectForm.objects.only("reference"))
        )
        .order_by("recorded_at", "pk")
    )


def latest_consents(
    consents: Iterable[PersonConsent],
) -> dict[tuple[int, str], PersonConsent]:
    """Each person's latest consent to each purpose: the one that stands."""
    latest: dict[tuple[int, str], PersonConsent] = {}
    for consent in sorted(consents, key=lambda c: c.pk):
        latest[(consent.person_id, consent.purpose)] = consent
    return latest


def withdrawable(consents: Iterable[PersonConsent]) -> list[PersonConsent]:
    """The consents that stand and have not been withdrawn."""
    return [c for c in latest_consents(consents).values() if withdrawal_of(c) is None]


def overridable(consents: Iterable[PersonConsent]) -> list[ConsentWithdrawal]:
    """The withdrawals of information-sharing consent in force with no
    override: each closes partners' access to the case."""
    out = []
    for consent in latest_consents(consents).values():
        withdrawal = withdrawal_of(consent)
        if (
            consent.purpose == ConsentPurpose.INFORMATION_SHARING
            and withdrawal is not None
            and override_of(withdrawal) is None
        ):
            out.append(withdrawal)
    return sorted(out, key=lambda w: w.pk)


@dataclass
class ConsentLine:
    """One purpose for one person on the case page: the consent that stands
    (None: nothing recorded) and the earlier records."""

    purpose: str
    purpose_label: str
    current: PersonConsent | None
    withdrawal: ConsentWithdrawal | None
    override: ConsentOverride | None
    earlier: list[PersonConsent] = field(default_factory=list)

    @property
    def status(self) -> str:
        if self.current is None:
            return "not_recorded"
        if self.withdrawal is None:
            return "given"
        return "overridden" if self.override is not None else "withdrawn"


@dataclass
class PersonConsents:
    person: Person
    lines: list[ConsentLine]


def consent_summary(
    people: Iterable[Person], consents: list[PersonConsent]
) -> list[PersonConsents]:
    """For each person on the case, each purpose: what stands and what came
    before (no queries: ``case_consents`` read them)."""
    latest = latest_consents(consents)
    out = []
    for person in people:
        lines = []
        for purpose, label in ConsentPurpose.choices:
            current = latest.get((person.pk, purpose))
            withdrawal = withdrawal_of(current) if current is not None else None
            lines.append(
                ConsentLine(
                    purpose=purpose,
                    purpose_label=str(label),
                    current=current,
                    withdrawal=withdrawal,
                    override=override_of(withdrawal),
                    earlier=[
                        c
                        for c in reversed(consents)
                        if c.person_id == person.pk
                        and c.purpose == purpose
                        and c is not current
                    ],
                )
            )
        out.append(PersonConsents(person=person, lines=lines))
    return out


def consent_overrides_in(month: Month) -> list[ConsentOverride]:
    """Every override of a withdrawal recorded in the month, newest first, with
    its case, person, withdrawal and manager (one query): for the data
    protection officer's review."""
    start, end = month.bounds()
    return list(
        ConsentOverride.objects.filter(recorded_at__gte=start, recorded_at__lt=end)
        .select_related(
            "recorded_by",
            "withdrawal",
            "withdrawal__recorded_by",
            "withdrawal__consent",
            "withdrawal__consent__person",
            "withdrawal__consent__case",
            "withdrawal__consent__case__locality",
        )
        .order_by("-recorded_at", "-pk")
    )


def consent_description(consent: PersonConsent) -> str:
    """One line for the timeline: whose consent, to what, given by whom."""
    person = consent.person
    who = consent.get_given_by_display().lower()
    if consent.given_by_name:
        who = f"{who}, {consent.given_by_name}"
    what = consent.get_purpose_display().lower()
    if consent.agencies:
        what = f"{what}: {consent.agencies}"
    return f"{person.given_name} {person.family_name}: {what}, given by {who}"
