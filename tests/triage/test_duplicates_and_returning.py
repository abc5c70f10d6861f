"""The triage page names the other waiting forms about the same family, and a
case of the family closed in the 12 months before the form arrived."""

from __future__ import annotations

import datetime as dt
import re
from zoneinfo import ZoneInfo

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from accounts.roles import Role
from casework.selectors.names import case_family_name
from casework.services.closure import ClosureInput, case_close
from core import clock
from core.models import AccessLog
from family_connect.models import FamilyConnectForm, FormMember
from family_connect.services.matches import form_matches_store
from localities.models import Locality
from tests.factories import (
    CaseFactory,
    FamilyFactory,
    FormFactory,
    OrganisationFactory,
    PersonFactory,
    UserFactory,
)
from tests.helpers import sign_in_verified
from tests.triage.test_triage import decide, submit

pytestmark = pytest.mark.django_db

LONDON = ZoneInfo("Europe/London")
T0 = dt.datetime(2026, 3, 3, 10, 0, tzinfo=LONDON)
NONE_KNOWN = "No existing household or person looks like this family."


@pytest.fixture
def manager(client):
    user = UserFactory(role=Role.LOCALITY_MANAGER, localities=["erdington"])
    sign_in_verified(client, user)
    return user


@pytest.fixture
def requester():
    return UserFactory(
        role=Role.REQUESTER, organisation=OrganisationFactory(kind="school")
    )


def submitted_at(moment: dt.datetime, requester, **changes) -> FamilyConnectForm:
    with clock.replaying_at(moment):
        return submit(requester, **changes)


def page(client, form: FamilyConnectForm, query: str = "") -> str:
    response = client.get(f"/triage/forms/{form.reference}/{query}")
    assert response.status_code == 200
    return response.content.decode()


def duplicates_block(html: str) -> str:
    found = re.search(r'data-testid="duplicates">(.*?)</dl>', html, re.S)
    return found.group(1) if found else ""


# Duplicates -----------------------------------------------------------------


def test_the_same_family_sent_twice_a_minute_apart_names_each_form_on_the_other(
    client, manager, requester
):
    first = submitted_at(T0, requester)
    # The second time from the family, with a typo and the postcode unspaced.
    second = submitted_at(
        T0 + dt.timedelta(minutes=1),
        requester,
        household__postcode="b236tj",
        household__members__0__family_name="Kahn",
    )

    on_second = duplicates_block(page(client, second))
    assert f'href="/triage/forms/{first.reference}/"' in on_second
    assert "Possible duplicate</dt>" in on_second
    assert "received 3 March 2026 at 10:00, waiting for a decision" in on_second
    assert "in the Erdington queue" in on_second
    assert "Ayesha Kahn: date of birth: same, family name: one letter" in on_second
    assert "2 of 2 people match" in on_second

    on_first = duplicates_block(page(client, first))
    assert second.reference in on_first
    assert "received 3 March 2026 at 10:01, waiting for a decision" in on_first


def test_a_different_family_at_the_same_postcode_is_not_a_duplicate(
    client, manager, requester
):
    first = submitted_at(T0, requester)
    neighbours = submitted_at(
        T0 + dt.timedelta(minutes=1),
        requester,
        household__members__0__given_name="Tom",
        household__members__0__family_name="Price",
        household__members__0__date_of_birth="2016-09-09",
        household__members__1__given_name="Jo",
        household__members__1__family_name="Price",
        household__members__1__date_of_birth="1990-02-02",
    )
    html = page(client, neighbours)
    assert first.reference not in html
    assert 'data-testid="duplicates"' not in html
    assert NONE_KNOWN in html


def test_a_decided_form_is_no_longer_named_as_a_possible_duplicate(
    client, manager, requester
):
    # Once decided, the first form has its own outcome (an allocation makes the
    # family known, and the household matching names it); the queue's job of
    # spotting two waiting forms about one family is done.
    first = submitted_at(T0, requester)
    second = submitted_at(T0 + dt.timedelta(minutes=1), requester)
    assert first.reference in duplicates_block(page(client, second))
    assert decide(manager, first, outcome="no_further_action").status_code == 200

    html = page(client, second)
    assert 'data-testid="duplicates"' not in html
    assert first.reference not in html
    # The decided form's own page still names the waiting one, without the
    # offer to close itself as its duplicate.
    on_first = duplicates_block(page(client, first))
    assert second.reference in on_first
    assert "Close this form as its duplicate" not in on_first


def test_the_page_offers_to_close_the_form_as_a_duplicate_of_the_waiting_one(
    client, manager, requester
):
    first = submitted_at(T0, requester)
    second = submitted_at(T0 + dt.timedelta(minutes=1), requester)
    html = page(client, second)
    offer = f'href="?duplicate_of={first.reference}#decision"'
    assert offer in html

    filled = page(client, second, f"?duplicate_of={first.reference}")
    assert re.search(r'value="duplicate"[^>]*checked', filled)
    assert f'name="duplicate_of" value="{first.reference}"' in filled
    assert f"The same family as {first.reference}, received 3 March 2026 at " in (
        filled
    )
    response = client.post(
        f"/triage/forms/{second.reference}/",
        {
            "outcome": "duplicate",
            "duplicate_of": first.reference,
            "reason": f"The same family as {first.reference}.",
            "version": second.version,
        },
    )
    assert response.status_code == 302
    second.refresh_from_db()
    assert second.status == "duplicate" and second.duplicate_of == first


@pytest.mark.parametrize(
    "query",
    [
        "?duplicate_of=FC-NOPE-NOPE",
        "?duplicate_of=%3Cb%3E" + "x" * 300,
        "?duplicate_of=",
    ],
)
def test_a_reference_that_is_not_an_offered_duplicate_fills_in_nothing(
    client, manager, requester, query
):
    first = submitted_at(T0, requester)
    unrelated = FormFactory(reference="FC-NOPE-NOPE")
    second = submitted_at(T0 + dt.timedelta(minutes=1), requester)
    html = page(client, second, query)
    assert "The same family as" not in html
    assert not re.search(r'value="duplicate"[^>]*checked', html)
    for form in (first, second, unrelated):
        form.refresh_from_db()
        assert form.status == "submitted"


def test_a_manager_of_another_locality_is_told_only_that_a_form_is_waiting(
    client, manager, requester
):
    # The family moved to Yardley: the form there matches the one waiting in
    # Erdington, whose manager alone may open it.
    erdington = submitted_at(T0, requester)
    yardley = submitted_at(
        T0 + dt.timedelta(minutes=1), requester, household__postcode="B25 8AA"
    )
    assert yardley.locality.slug == "yardley"
    other = Client()
    yardley_manager = UserFactory(role=Role.LOCALITY_MANAGER, localities=["yardley"])
    sign_in_verified(other, yardley_manager)

    html = page(other, yardley)
    block = duplicates_block(html)
    assert "A form received 3 March 2026 at 10:00, waiting for a decision, in " in (
        block
    )
    assert "the Erdington queue. You cannot open it" in block
    assert erdington.reference not in html
    assert "/triage/forms/" + erdington.reference not in html
    assert "Close this form as its duplicate" not in html
    # Naming it in the address fills nothing in either.
    filled = page(other, yardley, f"?duplicate_of={erdington.reference}")
    assert "The same family as" not in filled
    assert not re.search(r'value="duplicate"[^>]*checked', filled)
    # Only this form's people are named in the evidence.
    assert "Ayesha Khan: date of birth: same" in block
    assert other.get(f"/triage/forms/{erdington.reference}/").status_code == 404

    # Erdington's manager is told the same of the form waiting in Yardley.
    mine = duplicates_block(page(client, erdington))
    assert "You cannot open it" in mine and yardley.reference not in mine


def test_reads_of_the_other_forms_and_closed_cases_are_logged(
    client, manager, requester
):
    first = submitted_at(T0, requester)
    second = submitted_at(T0 + dt.timedelta(minutes=1), requester)
    page(client, second)
    logged = AccessLog.objects.filter(user=manager, action="view")
    assert logged.filter(
        object_type="family_connect.familyconnectform", object_id=str(first.pk)
    ).exists()
    assert logged.filter(
        object_type="family_connect.familyconnectform", object_id=str(second.pk)
    ).exists()


# Returning within 12 months -------------------------------------------------


def closed_case(at, *, reason="moved_away", locality="erdington"):
    """A known family (Ayesha Khan at B23 6TJ) whose case closed at ``at``."""
    family = FamilyFactory(postcode="B23 6TJ")
    PersonFactory(family=family, given_name="Ayesha", family_name="Khan")
    worker = UserFactory(role=Role.PRACTITIONER, localities=[locality])
    case = CaseFactory(
        family=family,
        locality=Locality.objects.get(slug=locality),
        lead_practitioner=worker,
        opened_at=at - dt.timedelta(days=90),
    )
    with clock.replaying_at(at):
        case_close(case_id=case.pk, actor=worker, data=ClosureInput(reason=reason))
    return case


def returning_text(html: str) -> str:
    found = re.findall(r'data-testid="returning">(.*?)</div>', html, re.S)
    return " ".join(re.sub(r"\s+", " ", text) for text in found)


def test_a_re_referral_three_minutes_after_closure_names_the_returning_case(
    client, manager, requester
):
    case = closed_case(T0, reason="declined_or_disengaged")
    form = submitted_at(T0 + dt.timedelta(minutes=3), requester)
    form.refresh_from_db()
    assert form.case is None  # closed: nothing to attach the form to
    text = returning_text(page(client, form))
    assert "Returning within 12 months:" in text
    # Named as the family (the case's people), linked for a user who may open it.
    name = case_family_name(case.pk).title
    assert name == "Khan family"
    assert (
        f'a case of the <a class="govuk-link" href="/cases/{case.pk}/">{name}</a>'
        in text
    )
    assert "in Erdington closed on 3 March 2026 (reason: declined or disengaged)" in (
        text
    )
    assert AccessLog.objects.filter(
        user=manager, object_type="casework.case", object_id=str(case.pk)
    ).exists()


@pytest.mark.parametrize(
    ("closed", "named"),
    [
        (
            dt.datetime(2025, 3, 3, 10, 0, tzinfo=LONDON),
            True,
        ),  # 12 months to the minute
        (dt.datetime(2025, 4, 20, 9, 0, tzinfo=LONDON), True),
        (dt.datetime(2025, 3, 3, 9, 59, tzinfo=LONDON), False),
        (dt.datetime(2025, 2, 3, 10, 0, tzinfo=LONDON), False),  # 13 months
    ],
)
def test_only_a_case_closed_in_the_12_months_before_the_form_is_named(
    client, manager, requester, closed, named
):
    closed_case(closed)
    form = submitted_at(T0, requester)
    html = page(client, form)
    assert ("Returning within 12 months" in html) is named


def test_a_rejected_match_names_no_returning_case(client, manager, requester):
    closed_case(T0 - dt.timedelta(days=30))
    form = submitted_at(T0, requester)
    for candidate in form.match_candidates.all():
        client.post(
            f"/triage/forms/{form.reference}/matches/{candidate.pk}/",
            {"confirm": "no"},
        )
    assert "Returning within 12 months" not in page(client, form)


def test_a_case_the_manager_may_not_open_is_named_without_a_link(
    client, manager, requester
):
    # The family's case was worked in Yardley; the new form is in Erdington.
    case = closed_case(T0 - dt.timedelta(days=40), locality="yardley")
    form = submitted_at(T0, requester)
    text = returning_text(page(client, form))
    assert (
        "Returning within 12 months: a case in Yardley closed on 22 January 2026"
        in text
    )
    assert "(reason: moved away)" in text
    assert f"/cases/{case.pk}/" not in text and f"case {case.pk}" not in text


# Query counts ---------------------------------------------------------------


def _waiting_twins(surname, n):
    """A form of ``n`` children, ``n`` other waiting forms about the same
    family, and a case of the family closed 20 days before."""
    # Nobody alike between one family and the other: names and births differ.
    year = 2000 + len(surname)
    people = [
        (f"{surname}{chr(65 + i)}", dt.date(year + i, 1 + i, 10)) for i in range(n)
    ]
    family = FamilyFactory(postcode="B23 6TJ")
    for given, born in people:
        PersonFactory(
            family=family, given_name=given, family_name=surname, date_of_birth=born
        )
    worker = UserFactory(role=Role.PRACTITIONER, localities=["erdington"])
    case = CaseFactory(family=family, lead_practitioner=worker, opened_at=T0)
    with clock.replaying_at(T0 - dt.timedelta(days=20)):
        case_close(case_id=case.pk, actor=worker, data=ClosureInput(reason="other"))
    forms = [
        FormFactory(received_at=T0 + dt.timedelta(minutes=i)) for i in range(n + 1)
    ]
    for form in forms:
        FormMember.objects.bulk_create(
            FormMember(
                form=form,
                position=i,
                role="child",
                given_name=given,
                family_name=surname,
                date_of_birth=born,
            )
            for i, (given, born) in enumerate(people)
        )
    # The stored household and person matches, as intake leaves them.
    last = forms[-1]
    form_matches_store(last, list(last.members.all()), now=T0, events=[], actor=None)
    return last


def test_the_page_reads_in_the_same_number_of_queries_for_one_or_three_people(
    client, manager
):
    counts = []
    for surname, n in (("Khan", 1), ("Begum", 3)):
        form = _waiting_twins(surname, n)
        with CaptureQueriesContext(connection) as queries:
            html = page(client, form)
        assert html.count("Possible duplicate</dt>") == n
        assert "Returning within 12 months" in html
        counts.append(len(queries))
    assert counts[0] == counts[1], counts
