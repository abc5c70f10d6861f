"""The caseload table: each case by its family's name, with its level of need,
next review and last contact, sortable by each column on the server."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from accounts.roles import Role
from casework.models import Assessment, CaseNote, Review
from casework.selectors.cases import CASELOAD_PAGE_SIZE, CASELOAD_SORTS, case_links
from tests.factories import CaseFactory, FormFactory, PersonFactory, UserFactory
from tests.helpers import sign_in_as

pytestmark = pytest.mark.django_db


def family_case(surname: str, lead, *, need: str = "additional", **kwargs):
    case = CaseFactory(lead_practitioner=lead, **kwargs)
    PersonFactory(
        family=case.family,
        role="adult",
        relationship="mother",
        given_name="Sam",
        family_name=surname,
        date_of_birth=dt.date(1990, 1, 1),
    )
    PersonFactory(family=case.family, given_name="Mia", family_name=surname)
    FormFactory(case=case, family=case.family, level_of_need=need)
    return case


def titles(html: str) -> list[str]:
    table = html[html.index('data-testid="caseload"') :]
    return re.findall(r">(\w+ family)</a>", table)


@pytest.fixture
def lead():
    return UserFactory(role=Role.PRACTITIONER, localities=["erdington"])


def test_the_caseload_shows_each_family_with_need_review_and_last_contact(client, lead):
    now = timezone.now()
    case = family_case(
        "Taylor", lead, need="complex_significant", status="plan", opened_at=now
    )
    Review.objects.create(
        case=case,
        held_at=now,
        attendees="Mum",
        progress="Better",
        scaling=5,
        next_review_on=dt.date(2031, 4, 3),
        recorded_by=lead,
    )
    CaseNote.objects.create(
        case=case,
        kind="visit",
        happened_at=dt.datetime(2026, 11, 2, 10, tzinfo=dt.UTC),
        text="Home visit",
        author=lead,
    )
    CaseNote.objects.create(
        case=case,
        kind="call",
        happened_at=dt.datetime(2026, 10, 1, 10, tzinfo=dt.UTC),
        text="Earlier call",
        author=lead,
    )
    # No review yet: one interval (6 weeks) after the assessment was completed.
    assessed = family_case("Khan", lead, status="plan", opened_at=now)
    Assessment.objects.create(
        case=assessed,
        completed_at=dt.datetime(2026, 11, 30, 23, 30, tzinfo=dt.UTC),
        completed_by=lead,
    )
    sign_in_as(client, lead)
    html = client.get("/cases/").content.decode()
    assert "11 January 2027" in html
    assert "Taylor family" in html
    assert f"Case {case.pk}<" not in html
    assert "Mia Taylor" in html
    assert "Complex or significant" in html
    assert "3 April 2031" in html
    assert "2 November 2026" in html and "Visit" in html
    assert "1 October 2026" not in html


def test_the_caseload_sorts_by_each_column_both_ways(client, lead):
    now = timezone.now()
    family_case("Brown", lead, need="universal", opened_at=now - dt.timedelta(days=3))
    family_case(
        "Adams",
        lead,
        need="complex_significant",
        opened_at=now - dt.timedelta(days=1),
    )
    family_case("Clarke", lead, need="additional", opened_at=now - dt.timedelta(days=2))
    sign_in_as(client, lead)

    def get(sort: str) -> str:
        response = client.get(f"/cases/?sort={sort}")
        assert response.status_code == 200
        return response.content.decode()

    assert titles(get("family")) == ["Adams family", "Brown family", "Clarke family"]
    assert titles(get("-family")) == ["Clarke family", "Brown family", "Adams family"]
    assert titles(get("need")) == ["Brown family", "Clarke family", "Adams family"]
    assert titles(get("allocated")) == [
        "Brown family",
        "Clarke family",
        "Adams family",
    ]
    # The sorted column says so; its link reverses the order; the others sort up.
    html = get("family")
    assert re.search(r'aria-sort="ascending" data-sort="family"', html)
    assert 'href="?sort=-family"' in html
    assert re.search(
        r'aria-sort="none" data-sort="need"><a [^>]*href="\?sort=need"', html
    )
    assert re.search(r'aria-sort="descending" data-sort="family"', get("-family"))
    # Anything else is the default order, oldest first.
    for sort in ("'; drop table", "pk", "-lead_practitioner__password", ""):
        assert titles(get(sort)) == ["Brown family", "Clarke family", "Adams family"]
    for key in CASELOAD_SORTS:
        assert len(titles(get(key))) == 3
        assert len(titles(get(f"-{key}"))) == 3


def test_the_caseload_query_count_does_not_grow_with_cases(client, lead):
    now = timezone.now()

    def add(n: int) -> None:
        for i in range(n):
            case = family_case(f"F{i}", lead, status="plan", opened_at=now)
            CaseNote.objects.create(
                case=case, kind="call", happened_at=now, text="Call", author=lead
            )

    def count(sort: str) -> int:
        with CaptureQueriesContext(connection) as ctx:
            assert client.get(f"/cases/?sort={sort}").status_code == 200
        return len(ctx.captured_queries)

    sign_in_as(client, lead)
    add(2)
    few = {key: count(key) for key in CASELOAD_SORTS}
    add(20)
    assert {key: count(key) for key in CASELOAD_SORTS} == few


def test_the_children_are_named_eldest_first_whenever_they_were_added(client, lead):
    case = family_case("Taylor", lead, opened_at=timezone.now())  # Mia, no birthday
    PersonFactory(
        family=case.family,
        given_name="Ada",
        family_name="Taylor",
        date_of_birth=dt.date(2012, 5, 1),
    )
    PersonFactory(
        family=case.family,
        given_name="Ben",
        family_name="Taylor",
        date_of_birth=dt.date(2010, 2, 3),
    )
    case.people.filter(given_name="Mia").update(date_of_birth=None)
    sign_in_as(client, lead)
    html = client.get("/cases/").content.decode()
    assert "Ben Taylor, Ada Taylor, Mia Taylor" in html


def test_a_long_caseload_is_counted_and_read_a_page_at_a_time(client, lead):
    now = timezone.now()
    for i in range(CASELOAD_PAGE_SIZE + 2):
        CaseFactory(lead_practitioner=lead, opened_at=now - dt.timedelta(days=i))
    closed = CaseFactory(lead_practitioner=lead, status="closed", opened_at=now)
    sign_in_as(client, lead)
    first = client.get("/cases/")
    assert len(first.context["rows"]) == CASELOAD_PAGE_SIZE
    assert first.context["page"].paginator.count == CASELOAD_PAGE_SIZE + 2
    assert "Page 1 of 2" in first.content.decode()
    second = client.get("/cases/?page=2&sort=allocated")
    assert len(second.context["rows"]) == 2
    # Oldest first: the two opened last are on the second page.
    assert [r["opened_at"] for r in second.context["rows"]] == [
        now - dt.timedelta(days=1),
        now,
    ]
    with_closed = client.get("/cases/?closed=1&page=2")
    assert with_closed.context["page"].paginator.count == CASELOAD_PAGE_SIZE + 3
    assert closed.pk in {r["pk"] for r in with_closed.context["rows"]}


@pytest.mark.parametrize(
    "name", ["casework:case", "casework:plan", "casework:reviews", "casework:step_up"]
)
def test_a_lists_case_links_are_the_urls_reverse_gives(name):
    link = case_links(name)
    for case_id in (1, 42, 2_147_483_646):
        assert link(case_id) == reverse(name, args=[case_id])
