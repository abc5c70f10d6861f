"""My work: each worker's list, overdue first, then the next 14 days; the
manager's view of the team and of one worker's list."""

from __future__ import annotations

import datetime as dt
from unittest import mock

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from accounts.roles import Role
from casework.models import (
    PlanAction,
    PlanOutcome,
    PostClosureCheck,
    Review,
    SocialCareReferral,
)
from casework.selectors.work import WORK_PAGE_SIZE
from core.models import AccessLog
from core.periods import LONDON
from tests.factories import (
    CaseFactory,
    OrganisationFactory,
    PersonFactory,
    UserFactory,
    join_team,
)
from tests.helpers import sign_in_as

pytestmark = pytest.mark.django_db

# The present, frozen: a Tuesday.
NOW = dt.datetime(2026, 3, 10, 10, 0, tzinfo=LONDON)
TODAY = NOW.date()


def days(n: int) -> dt.date:
    return TODAY + dt.timedelta(days=n)


def at(n: int) -> dt.datetime:
    return NOW + dt.timedelta(days=n)


@pytest.fixture(autouse=True)
def frozen():
    with mock.patch("core.clock.now", return_value=NOW):
        yield


def family_case(surname: str, lead, **kwargs):
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
    return case


def review(case, next_on: dt.date) -> Review:
    return Review.objects.create(
        case=case,
        held_at=at(-30),
        attendees="Mum",
        progress="Better",
        scaling=5,
        next_review_on=next_on,
        recorded_by=case.lead_practitioner,
    )


def action(case, what: str, due: dt.date, owner=None, status="not_started"):
    lead = case.lead_practitioner
    outcome = PlanOutcome.objects.create(
        case=case, text="Calm", domain="relationships", created_by=lead
    )
    return PlanAction.objects.create(
        case=case,
        outcome=outcome,
        what=what,
        owner=owner,
        owner_is_family=owner is None,
        due_on=due,
        status=status,
    )


@pytest.fixture
def world():
    lead = UserFactory(role=Role.PRACTITIONER, localities=["erdington"])
    member = UserFactory(role=Role.PRACTITIONER, localities=["erdington"])
    partner = UserFactory(
        role=Role.REQUESTER, organisation=OrganisationFactory(kind="school")
    )
    manager = UserFactory(role=Role.LOCALITY_MANAGER, localities=["erdington"])
    taylor = family_case("Taylor", lead, opened_at=at(-40))  # assessment overdue
    khan = family_case("Khan", lead, opened_at=at(-20))  # assessment due in 10 days
    patel = family_case("Patel", lead, opened_at=at(-90), status="plan")
    review(patel, days(5))
    okafor = family_case("Okafor", lead, opened_at=at(-120), status="plan")
    review(okafor, days(-3))
    join_team(patel, member)
    join_team(patel, partner)
    action(patel, "Book the dentist", days(-11), owner=lead)
    action(patel, "Call the school nurse", days(3), owner=member)
    action(patel, "Bring the forms", days(6), owner=partner)
    action(patel, "Attend the parenting course", days(20))  # beyond 14 days
    action(patel, "Done already", days(-5), owner=lead, status="done")
    obrien = family_case(
        "Obrien", lead, opened_at=at(-200), status="closed", closed_at=at(-84)
    )
    PostClosureCheck.objects.create(case=obrien, closed_at=at(-84), window_end=at(7))
    child = okafor.people.get(role="child")
    SocialCareReferral.objects.create(
        person=child,
        referred_at=at(-5),  # Thursday: the outcome was due on Friday
        source=SocialCareReferral.Source.CASE,
        case=okafor,
        reason="Worries grew",
        recorded_by=lead,
    )
    return {
        "lead": lead,
        "member": member,
        "partner": partner,
        "manager": manager,
        "taylor": taylor,
        "khan": khan,
        "patel": patel,
        "okafor": okafor,
        "obrien": obrien,
    }


def listed(response, section: str) -> list[tuple[str, int, str]]:
    work = response.context["work"]
    return [(i.kind, i.case_id, i.detail) for i in getattr(work, section)]


def test_overdue_first_then_the_next_14_days_each_kind_with_its_family(client, world):
    w = world
    sign_in_as(client, w["lead"])
    response = client.get("/cases/my-work/")
    assert response.status_code == 200
    assert listed(response, "overdue") == [
        ("action", w["patel"].pk, "Book the dentist"),  # 11 days overdue
        ("assessment", w["taylor"].pk, ""),
        ("step_up_outcome", w["okafor"].pk, ""),
        ("review", w["okafor"].pk, ""),
    ]
    assert listed(response, "due") == [
        ("action", w["patel"].pk, "Call the school nurse"),
        ("review", w["patel"].pk, ""),
        ("action", w["patel"].pk, "Bring the forms"),
        ("post_closure_check", w["obrien"].pk, ""),
        ("assessment", w["khan"].pk, ""),
    ]
    overdue = response.context["work"].overdue
    assert [i.due for i in overdue] == [days(-11), days(-10), days(-4), days(-3)]
    html = response.content.decode()
    # Overdue comes first, and nothing overdue is shown as due.
    assert html.index('data-testid="work-overdue"') < html.index(
        'data-testid="work-due"'
    )
    due_html = html[html.index('data-testid="work-due"') :]
    assert "Book the dentist" not in due_html
    for surname in ("Taylor", "Khan", "Patel", "Okafor", "Obrien"):
        assert f"{surname} family" in html
    # The place to act on each.
    for path in (
        f"/cases/{w['taylor'].pk}/assessment/",
        f"/cases/{w['khan'].pk}/assessment/",
        f"/cases/{w['patel'].pk}/reviews/",
        f"/cases/{w['okafor'].pk}/reviews/",
        f"/cases/{w['patel'].pk}/plan/",
        f"/cases/{w['okafor'].pk}/step-up/",
        f"/cases/{w['obrien'].pk}/",
    ):
        assert f'href="{path}"' in html
    # The lead sees who owns the actions that are not theirs.
    member_name = w["member"].display_name
    assert f"Owned by {member_name}" in html
    # Each case named is a read in the access log.
    logged = set(
        AccessLog.objects.filter(
            user=w["lead"], object_type="casework.case", path="/cases/my-work/"
        ).values_list("object_id", flat=True)
    )
    assert logged == {
        str(w[k].pk) for k in ("taylor", "khan", "patel", "okafor", "obrien")
    }


def test_a_team_member_sees_only_their_own_actions(client, world):
    w = world
    sign_in_as(client, w["member"])
    response = client.get("/cases/my-work/")
    assert listed(response, "overdue") == []
    assert listed(response, "due") == [
        ("action", w["patel"].pk, "Call the school nurse")
    ]
    assert "Patel family" in response.content.decode()


def test_a_requester_sees_the_actions_they_own(client, world):
    w = world
    sign_in_as(client, w["partner"])
    response = client.get("/cases/my-work/")
    assert response.status_code == 200
    assert listed(response, "due") == [("action", w["patel"].pk, "Bring the forms")]
    html = response.content.decode()
    assert f'href="/cases/{w["patel"].pk}/plan/"' in html
    assert "Mia Patel" not in html  # partners see the plan, not the family's people


def test_the_dashboard_shows_the_same_list(client, world):
    w = world
    sign_in_as(client, w["lead"])
    response = client.get("/cases/dashboard/")
    assert listed(response, "overdue")[0] == (
        "action",
        w["patel"].pk,
        "Book the dentist",
    )
    html = response.content.decode()
    due_html = html[html.index('data-testid="work-due"') :]
    assert "Book the dentist" not in due_html
    assert "Okafor family" in html


def test_the_manager_sees_each_workers_counts_and_opens_a_list(client, world):
    w = world
    elsewhere = UserFactory(role=Role.PRACTITIONER, localities=["ladywood"])
    sign_in_as(client, w["manager"])
    response = client.get("/cases/my-work/team/")
    assert response.status_code == 200
    counts = {r.worker.pk: (r.overdue, r.due) for r in response.context["rows"]}
    # The lead answers for every action on their cases, the member's and the
    # partner's too: the counts are those of each worker's own list.
    assert counts[w["lead"].pk] == (4, 5)
    assert counts[w["member"].pk] == (0, 1)
    assert counts[w["manager"].pk] == (0, 0)
    for worker in (w["lead"], w["member"]):
        listed_work = client.get(f"/cases/my-work/{worker.pk}/").context["work"]
        assert counts[worker.pk] == (len(listed_work.overdue), len(listed_work.due))
    assert elsewhere.pk not in counts
    assert response.context["rows"][0].worker == w["lead"]  # most overdue first
    assert f'href="/cases/my-work/{w["lead"].pk}/"' in response.content.decode()

    theirs = client.get(f"/cases/my-work/{w['lead'].pk}/")
    assert theirs.status_code == 200
    assert len(theirs.context["work"].overdue) == 4
    assert w["lead"].display_name in theirs.content.decode()
    assert client.get(f"/cases/my-work/{elsewhere.pk}/").status_code == 404
    assert client.get(f"/cases/my-work/{w['partner'].pk}/").status_code == 404
    assert client.get("/cases/my-work/999999/").status_code == 404


def test_a_managers_view_of_a_worker_keeps_to_the_managers_localities(client, world):
    w = world
    both = UserFactory(role=Role.PRACTITIONER, localities=["erdington", "ladywood"])
    family_case("Erdington", both, opened_at=at(-40))
    family_case(
        "Ladywood",
        both,
        opened_at=at(-40),
        locality=both.memberships.get(locality__slug="ladywood").locality,
    )
    sign_in_as(client, w["manager"])
    html = client.get(f"/cases/my-work/{both.pk}/").content.decode()
    assert "Erdington family" in html
    assert "Ladywood family" not in html


@pytest.mark.parametrize("role", [Role.PRACTITIONER, Role.REQUESTER])
def test_only_managers_see_the_team(client, role):
    user = UserFactory(role=role, localities=["erdington"])
    other = UserFactory(role=Role.PRACTITIONER, localities=["erdington"])
    sign_in_as(client, user)
    assert client.get("/cases/my-work/team/").status_code == 404
    assert client.get(f"/cases/my-work/{other.pk}/").status_code == 404


def test_my_work_reads_a_fixed_number_of_queries(client):
    lead = UserFactory(role=Role.PRACTITIONER, localities=["erdington"])
    manager = UserFactory(role=Role.LOCALITY_MANAGER, localities=["erdington"])

    def add(n: int) -> None:
        for i in range(n):
            case = family_case(f"Family{i}", lead, opened_at=at(-40), status="plan")
            review(case, days(2))
            action(case, "Call", days(-1), owner=lead)

    def count(c: Client, url: str) -> int:
        with CaptureQueriesContext(connection) as ctx:
            assert c.get(url).status_code == 200
        return len(ctx.captured_queries)

    other = Client()
    sign_in_as(client, lead)
    sign_in_as(other, manager)

    def both() -> tuple[int, int]:
        return count(client, "/cases/my-work/"), count(other, "/cases/my-work/team/")

    add(2)
    few = both()
    add(WORK_PAGE_SIZE + 5)  # past the first page of each list
    assert both() == few


def closed_with_check(surname: str, lead, window_end: dt.datetime):
    case = family_case(
        surname, lead, opened_at=at(-300), status="closed", closed_at=at(-100)
    )
    PostClosureCheck.objects.create(
        case=case, closed_at=at(-100), window_end=window_end
    )
    return case


@pytest.fixture
def long_list():
    """A worker with 30 overdue post-closure checks, all due the same day (so
    the family decides their order), and two items due."""
    lead = UserFactory(role=Role.PRACTITIONER, localities=["erdington"])
    # Made in the reverse of the families' order: the case number is no guide.
    checks = {
        i: closed_with_check(f"Family{i:02d}", lead, at(-10)) for i in range(29, -1, -1)
    }
    soon = family_case("Soon", lead, opened_at=at(-20))  # assessment due in 10 days
    later = family_case("Later", lead, opened_at=at(-18))  # due in 12 days
    return {
        "lead": lead,
        "overdue": [checks[i].pk for i in range(30)],
        "due": [soon.pk, later.pk],
    }


def logged_cases(user, path: str) -> set[int]:
    return {
        int(pk)
        for pk in AccessLog.objects.filter(
            user=user, object_type="casework.case", path=path
        ).values_list("object_id", flat=True)
    }


def test_a_long_list_shows_its_first_page_with_a_count_and_a_link_to_the_rest(
    client, long_list
):
    lead = long_list["lead"]
    sign_in_as(client, lead)
    response = client.get("/cases/my-work/")
    work = response.context["work"]
    assert WORK_PAGE_SIZE == 25
    # The most overdue 25 of the 30, in the list's order; all that is due.
    assert [i.case_id for i in work.overdue] == long_list["overdue"][:25]
    assert work.overdue.count == 30
    assert [i.case_id for i in work.due] == long_list["due"]
    html = response.content.decode()
    more = html[html.index('data-testid="work-overdue-more"') :]
    assert "Showing the first 25 of 30." in more
    assert 'href="/cases/my-work/?list=overdue">See all 30 overdue items</a>' in more
    assert 'data-testid="work-due-more"' not in html  # the whole list is shown
    assert "Family24 family" in html and "Family25 family" not in html
    # Only the cases named on the page are reads.
    assert logged_cases(lead, "/cases/my-work/") == {
        *long_list["overdue"][:25],
        *long_list["due"],
    }


def test_the_rest_of_a_list_is_read_page_by_page(client, long_list):
    lead = long_list["lead"]
    sign_in_as(client, lead)
    response = client.get("/cases/my-work/?list=overdue&page=2")
    assert response.status_code == 200
    work = response.context["work"]
    assert [i.case_id for i in work.overdue] == long_list["overdue"][25:]
    assert (work.overdue.number, work.overdue.num_pages) == (2, 2)
    html = response.content.decode()
    assert "26 to 30 of 30" in html
    assert 'data-testid="work-due"' not in html  # that list alone
    assert 'href="?list=overdue&amp;page=1" rel="prev"' in html
    assert 'rel="next"' not in html
    assert 'href="/cases/my-work/" data-testid="work-back"' in html
    assert logged_cases(lead, "/cases/my-work/?list=overdue&page=2") == set(
        long_list["overdue"][25:]
    )

    first = client.get("/cases/my-work/?list=overdue").context["work"].overdue
    assert [i.case_id for i in first] == long_list["overdue"][:25]
    # A page out of range is the nearest there is; nonsense is the first.
    for page, number in (("9", 2), ("0", 1), ("x", 1), ("", 1)):
        shown = client.get(f"/cases/my-work/?list=overdue&page={page}")
        assert shown.status_code == 200
        assert shown.context["work"].overdue.number == number
    due = client.get("/cases/my-work/?list=due").context["work"]
    assert [i.case_id for i in due.due] == long_list["due"]
    assert list(due.overdue) == [] and due.overdue.count == 30
    # Any other list is the whole page.
    assert client.get("/cases/my-work/?list=other").context["shown"] == ""


def test_the_dashboard_counts_the_whole_list_and_links_to_the_rest(client, long_list):
    sign_in_as(client, long_list["lead"])
    response = client.get("/cases/dashboard/")
    html = response.content.decode()
    assert "30 overdue, 2 due in the next 14 days." in html
    assert 'href="/cases/my-work/?list=overdue">See all 30 overdue items</a>' in html
    assert len(response.context["work"].overdue) == WORK_PAGE_SIZE


def test_a_managers_view_of_a_long_list_pages_the_same_way(client, long_list):
    manager = UserFactory(role=Role.LOCALITY_MANAGER, localities=["erdington"])
    sign_in_as(client, manager)
    url = f"/cases/my-work/{long_list['lead'].pk}/"
    html = client.get(url).content.decode()
    assert f'href="{url}?list=overdue">See all 30 overdue items</a>' in html
    rest = client.get(f"{url}?list=overdue&page=2").context["work"].overdue
    assert [i.case_id for i in rest] == long_list["overdue"][25:]
