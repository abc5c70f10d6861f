"""Reads of Family Connect Forms, with the joins their pages need."""

from __future__ import annotations

from collections.abc import Iterable

from django.db.models import Prefetch, QuerySet

from accounts.access import Viewer
from core.periods import add_months_to_moment
from family_connect.access import form_queryset_for_user
from family_connect.household_cases import ClosedCase, household_closed_cases
from family_connect.matching import FormMatch, MemberProbe, undecided_form_matches
from family_connect.models import FamilyConnectForm, FormMember, Reason

# A family whose case closed this many months or fewer before a form about it
# arrived is "returning", and triage is told.
RETURNING_WITHIN_MONTHS = 12


def form_list_for_user(user: Viewer) -> QuerySet[FamilyConnectForm]:
    """The user's forms, newest first, with what a list shows in constant queries."""
    return (
        form_queryset_for_user(user)
        .select_related("locality", "organisation", "decision", "duplicate_of")
        .prefetch_related(
            Prefetch("reasons", queryset=Reason.objects.only("code", "label")),
            Prefetch("members", queryset=FormMember.objects.order_by("position")),
        )
        .order_by("-received_at", "-pk")
    )


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
