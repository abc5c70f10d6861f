"""EH21a–d after closure (3-month window, availability), EH22 step-ups from open
cases, EH23 step-downs against the partner figure."""

from __future__ import annotations

import datetime as dt

import pytest

from accounts.roles import Role
from casework.models import CaseClosure, ClosurePerson, SocialCareReferral
from family_connect.models import FormMember
from scorecard.measures import escalation
from scorecard.measures.base import CITY
from scorecard.models import Indicator, PartnerFigure
from tests.factories import CaseFactory, FormFactory, PersonFactory, UserFactory
from tests.scorecard.helpers import UTC, loc, period

pytestmark = pytest.mark.django_db

# 30 November 2026 10:00 GMT; the window ends 28 February 2027 10:00 GMT.
CLOSED = dt.datetime(2026, 11, 30, 10, 0, tzinfo=UTC)
WINDOW_END = dt.datetime(2027, 2, 28, 10, 0, tzinfo=UTC)
S = dt.timedelta(seconds=1)
AFTER = dt.datetime(2027, 6, 1, tzinfo=UTC)


def closed_with_child(where="erdington"):
    case = CaseFactory(
        locality=loc(where),
        opened_at=CLOSED - dt.timedelta(days=100),
        closed_at=CLOSED,
        status="closed",
    )
    child = PersonFactory(family=case.family, role="child")
    closure = CaseClosure.objects.create(
        case=case, closed_at=CLOSED, closed_by=case.lead_practitioner, reason="other"
    )
    ClosurePerson.objects.create(closure=closure, person=child)
    return case, child


def referral(child, at, source="external", case=None, outcome=""):
    SocialCareReferral.objects.create(
        person=child, referred_at=at, source=source, case=case, outcome=outcome
    )


def support_form(child, at, **kwargs):
    form = FormFactory(received_at=at, locality=loc("erdington"), **kwargs)
    FormMember.objects.create(
        form=form,
        position=0,
        role="child",
        given_name="A",
        family_name="B",
        date_of_birth=dt.date(2015, 1, 1),
        person=child,
    )


def test_eh21_window_edges_and_what_counts_as_a_referral():
    _c, at_end = closed_with_child()
    referral(at_end, WINDOW_END)  # exactly at the window's end: inside
    _c, too_late = closed_with_child()
    referral(too_late, WINDOW_END + S)
    _c, at_closure = closed_with_child()
    referral(at_closure, CLOSED)  # the window opens after the closure moment
    own_case, own = closed_with_child()
    referral(own, CLOSED + dt.timedelta(days=5), source="case", case=own_case)
    _c, triage = closed_with_child()
    referral(triage, CLOSED + dt.timedelta(days=5), source="triage")
    rows = escalation.measure(period(2026, 11, now=AFTER))
    a = rows["EH21a"]["erdington"]
    assert (a.numerator, a.denominator, a.value) == (2, 5, 40.0)
    assert rows["EH21b"]["erdington"].numerator == 3
    assert rows["EH21a"][CITY].numerator == 2


def test_eh21_further_early_help_is_a_support_form_naming_the_child():
    _c, helped = closed_with_child()
    support_form(helped, CLOSED + dt.timedelta(days=20))
    _c, consulted = closed_with_child()
    support_form(consulted, CLOSED + dt.timedelta(days=20), request_type="consultation")
    _c, duplicate = closed_with_child()
    support_form(duplicate, CLOSED + dt.timedelta(days=20), status="duplicate")
    rows = escalation.measure(period(2026, 11, now=AFTER))
    c = rows["EH21c"]["erdington"]
    assert (c.numerator, c.denominator) == (2, 3)
    assert rows["EH21d"]["erdington"].numerator == 1


def test_eh21_waits_until_every_window_in_the_scope_has_ended():
    closed_with_child("erdington")
    rows = escalation.measure(period(2026, 11, now=WINDOW_END - S))
    assert rows["EH21a"]["erdington"] == escalation.UNCALCULABLE
    assert rows["EH21a"][CITY] == escalation.UNCALCULABLE
    empty = rows["EH21a"]["ladywood"]  # no children: an empty cohort, no wait
    assert (empty.value, empty.numerator, empty.denominator) == (None, 0, 0)
    ended = escalation.measure(period(2026, 11, now=WINDOW_END))
    assert ended["EH21a"]["erdington"].denominator == 1


def test_eh22_counts_case_child_pairs_with_a_step_up_in_the_month_while_open():
    may = dt.datetime(2024, 5, 10, 10, 0, tzinfo=UTC)
    case = CaseFactory(locality=loc("erdington"), opened_at=may - dt.timedelta(days=40))
    first = PersonFactory(family=case.family, role="child")
    PersonFactory(family=case.family, role="child")
    PersonFactory(family=case.family, role="adult")
    referral(first, may, source="case", case=case)
    referral(first, may + dt.timedelta(days=1), source="case", case=case)  # same pair
    closed = CaseFactory(
        locality=loc("erdington"),
        opened_at=may - dt.timedelta(days=40),
        closed_at=may,
        status="closed",
    )
    late = PersonFactory(family=closed.family, role="child")
    referral(late, may + S, source="case", case=closed)  # after the case closed
    rows = escalation.measure(period(2024, 5))
    eh22 = rows["EH22"]["erdington"]
    assert (eh22.numerator, eh22.denominator) == (1, 3)


def test_eh22_counts_only_children_of_its_cohort():
    """A child stepped up from the case who has since moved household is no
    longer among the case's children, and not counted above its cohort."""
    may = dt.datetime(2024, 5, 10, 10, 0, tzinfo=UTC)
    case = CaseFactory(locality=loc("erdington"), opened_at=may - dt.timedelta(days=40))
    PersonFactory(family=case.family, role="child")
    moved = PersonFactory(role="child")  # now in another household
    referral(moved, may, source="case", case=case)
    eh22 = escalation.measure(period(2024, 5))["EH22"]["erdington"]
    assert (eh22.numerator, eh22.denominator) == (0, 1)


def test_eh22_breaks_the_pairs_down_by_outcome_once_per_outcome():
    may = dt.datetime(2024, 5, 10, 10, 0, tzinfo=UTC)
    case = CaseFactory(locality=loc("erdington"), opened_at=may - dt.timedelta(days=40))
    twice, once, waiting, _none = (
        PersonFactory(family=case.family, role="child") for _ in range(4)
    )
    # Two step-ups with the same outcome count once; two outcomes count once each.
    referral(twice, may, source="case", case=case, outcome="child_protection")
    referral(twice, may + S, source="case", case=case, outcome="child_protection")
    referral(twice, may + 2 * S, source="case", case=case, outcome="other")
    referral(once, may, source="case", case=case, outcome="accepted_for_assessment")
    referral(waiting, may, source="case", case=case)
    elsewhere = CaseFactory(locality=loc("ladywood"), opened_at=may)
    child = PersonFactory(family=elsewhere.family, role="child")
    referral(child, may, source="case", case=elsewhere, outcome="child_protection")
    rows = escalation.measure(period(2024, 5))

    def cell(ref, scope="erdington"):
        c = rows[ref][scope]
        return (c.numerator, c.denominator, c.value)

    assert cell("EH22") == (3, 4, 75.0)
    assert cell("EH22:child_protection") == (1, 4, 25.0)
    assert cell("EH22:other") == (1, 4, 25.0)
    assert cell("EH22:accepted_for_assessment") == (1, 4, 25.0)
    assert cell("EH22:awaiting_outcome") == (1, 4, 25.0)
    assert cell("EH22:nfa_returned_to_early_help") == (0, 4, 0.0)
    assert cell("EH22:child_protection", CITY) == (2, 5, 40.0)
    assert cell("EH22:other", "ladywood") == (0, 1, 0.0)
    assert cell("EH22:other", "yardley") == (0, 0, None)  # no children on cases
    registered = set(
        Indicator.objects.filter(ref__startswith="EH22:").values_list("ref", flat=True)
    )
    assert registered == {r for r in rows if r.startswith("EH22:")}


def test_eh23_needs_the_partner_figure():
    may = dt.datetime(2024, 5, 10, 10, 0, tzinfo=UTC)
    child = PersonFactory(role="child")
    for _ in range(2):  # the same child on two step-down forms counts once
        form = FormFactory(
            received_at=may, locality=loc("erdington"), route="step_down"
        )
        FormMember.objects.create(
            form=form,
            position=0,
            role="child",
            given_name="A",
            family_name="B",
            date_of_birth=dt.date(2015, 1, 1),
            person=child,
        )
    assert escalation.measure(period(2024, 5))["EH23"][CITY] == escalation.UNCALCULABLE
    lead = UserFactory(role=Role.PERFORMANCE_LEAD, organisation=None)
    PartnerFigure.objects.create(
        indicator=Indicator.objects.get(ref="EH23D"),
        period="2024-05",
        locality=None,
        value=4,
        entered_by=lead,
    )
    city = escalation.measure(period(2024, 5))["EH23"][CITY]
    assert (city.numerator, city.denominator, city.value) == (1, 4, 25.0)


def test_eh21_window_keeps_the_wall_clock_time_across_the_clock_change():
    # 31 August 10:00 BST → 30 November 10:00 GMT (settled reading 10).
    closed = dt.datetime(2026, 8, 31, 9, 0, tzinfo=UTC)
    case = CaseFactory(
        locality=loc("erdington"),
        opened_at=closed - dt.timedelta(days=60),
        closed_at=closed,
        status="closed",
    )
    inside, outside = (
        PersonFactory(family=case.family, role="child") for _ in range(2)
    )
    closure = CaseClosure.objects.create(
        case=case, closed_at=closed, closed_by=case.lead_practitioner, reason="other"
    )
    for child in (inside, outside):
        ClosurePerson.objects.create(closure=closure, person=child)
    end = dt.datetime(2026, 11, 30, 10, 0, tzinfo=UTC)
    referral(inside, end)
    referral(outside, end + S)
    rows = escalation.measure(period(2026, 8, now=end))
    assert rows["EH21a"]["erdington"].numerator == 1
    assert escalation.measure(period(2026, 8, now=end - S))["EH21a"]["erdington"] == (
        escalation.UNCALCULABLE
    )
