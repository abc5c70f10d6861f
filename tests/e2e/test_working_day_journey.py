"""A working day in Chromium, for each role: sign in, move by the service
navigation, find a family by a misspelt name and a child by a date of birth
typed as people type it, open what was found, and reach each item on My work.
The roles without search see no search box and are refused the search page.
Every page visited is checked with axe; the search results and My work are
kept as screenshots at desk and phone widths."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from django.test import override_settings
from playwright.sync_api import Page, expect

from accounts.roles import Role
from families.names import name_keys
from family_connect.models import FormMember
from tests.casework.test_my_work import action, at, days, frozen, world  # noqa: F401
from tests.e2e.conftest import AXE, SCREENSHOTS, failing
from tests.e2e.test_sign_in_roles import sign_in_with_browser
from tests.factories import FormFactory, PersonFactory, UserFactory

pytestmark = [
    pytest.mark.e2e,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

WIDTHS = (1280, 390)
BORN = dt.date(2014, 4, 3)

# Each role's places in the service navigation, in order.
PLACES = {
    "lead": ["Home", "My work", "Cases", "Forms", "Search", "Audits"],
    "manager": [
        "Home",
        "My work",
        "Cases",
        "Triage",
        "Forms",
        "Search",
        "Audits",
        "Scorecard",
    ],
    "partner": ["Home", "My work", "Cases", "Forms", "Search"],
    "data_protection": ["Home", "Search", "Privacy"],
    "performance_lead": ["Home", "Audits", "Scorecard"],
    "administrator": ["Home", "Admin"],
    "auditor": ["Home", "Audits"],
}
# The place each role goes to by the navigation after signing in, and how
# each misspells "Patel" (two letters swapped, or one letter wrong).
FIRST_PLACE = {
    "lead": "My work",
    "manager": "My work",
    "partner": "Cases",
    "data_protection": "Privacy",
    "performance_lead": "Scorecard",
    "administrator": "Home",
    "auditor": "Audits",
}
MISSPELT = {
    "lead": "Ptael",
    "manager": "Pstel",
    "partner": "Patle",
    "data_protection": "Parel",
}


@pytest.fixture
def day(world):  # noqa: F811
    """The My work world, with a child born on 3 April 2014 in the Patel
    family (on a form the partner sent), and work for the manager too."""
    w = dict(world)
    patel = w["patel"]
    ruby = PersonFactory(
        family=patel.family, given_name="Ruby", family_name="Patel", date_of_birth=BORN
    )
    form = FormFactory(
        requester=w["partner"],
        organisation=w["partner"].organisation,
        case=patel,
        family=patel.family,
    )
    FormMember.objects.create(
        form=form,
        position=0,
        role="child",
        given_name="Ruby",
        family_name="Patel",
        **name_keys("Ruby", "Patel"),
        date_of_birth=BORN,
        person=ruby,
    )
    # The manager leads a case of their own and owns an action on another.
    from tests.casework.test_my_work import family_case

    family_case("Nowak", w["manager"], opened_at=at(-35))
    action(w["khan"], "Check the school's attendance", days(2), owner=w["manager"])
    w["ruby"] = ruby
    w["data_protection"] = UserFactory(role=Role.DATA_PROTECTION)
    return w


class Axe:
    """Every address the page loads, checked once with axe (moderate, serious
    and critical violations) as the same user, as ``conftest.watch_with_axe``
    does, but in one probe page kept for the whole journey, so that a long
    day stays quick. The probe's context bypasses CSP only so that axe can be
    injected."""

    def __init__(self, browser, page: Page) -> None:
        self.page = page
        self.context = browser.new_context(bypass_csp=True)
        self.probe = self.context.new_page()
        self.seen: set[str] = set()
        self.failures: dict[str, list[str]] = {}
        page.on("load", self.check)

    def check(self, loaded) -> None:
        url = loaded.url.split("#")[0]
        if not url.startswith("http") or url in self.seen:
            return
        self.seen.add(url)
        self.context.clear_cookies()
        self.context.add_cookies(self.page.context.cookies())
        self.probe.goto(url)
        self.probe.add_script_tag(path=str(AXE))
        result = self.probe.evaluate(
            "async () => await axe.run(document, {resultTypes: ['violations']})"
        )
        bad = [f"{v['id']}: {v['help']}" for v in failing(result["violations"])]
        if bad:
            self.failures[url] = bad

    def close(self) -> dict[str, list[str]]:
        self.context.close()
        return self.failures


def shoot(page: Page, name: str) -> None:
    """Full-page screenshots at desk and phone widths, neither wider than the
    screen (wide tables scroll in their own box); back to the desk."""
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    for width in WIDTHS:
        page.set_viewport_size({"width": width, "height": 900})
        page.screenshot(path=str(SCREENSHOTS / f"{name}-{width}.png"), full_page=True)
        wide = page.evaluate("document.documentElement.scrollWidth")
        assert wide <= width, f"{name} is {wide}px wide on a {width}px screen"
    page.set_viewport_size({"width": WIDTHS[0], "height": 900})


def check_header_on_a_desk(page: Page) -> None:
    """At 1,280px the places keep to one line, and the search box to the
    account links' line above them."""
    nav = page.get_by_test_id("service-navigation")
    tops = {round(box["y"]) for box in _boxes(nav.get_by_role("link"))}
    assert len(tops) == 1, f"the places wrap onto {len(tops)} lines"
    search = page.get_by_test_id("navigation-search").bounding_box()
    account = page.get_by_role("navigation", name="Account").bounding_box()
    assert search and account
    assert search["y"] + search["height"] <= min(tops), "the search box wraps"
    assert search["y"] < account["y"] + account["height"]
    assert account["y"] < search["y"] + search["height"]


def _boxes(links):
    return [box for link in links.all() if (box := link.bounding_box())]


def check_navigation(page: Page, who: str, current: str) -> None:
    """Exactly the role's places, in order, with the current one marked."""
    nav = page.get_by_test_id("service-navigation")
    links = nav.get_by_role("link")
    expect(links).to_have_text(PLACES[who])
    marked = nav.locator("[aria-current]")
    expect(marked).to_have_count(1)
    expect(marked).to_have_text(current)


def nav_search(page: Page, typed: str) -> None:
    box = page.get_by_test_id("navigation-search")
    box.get_by_label("Search for a family or a form").fill(typed)
    box.get_by_role("button", name="Search").click()
    expect(page).to_have_title(re.compile(f"^Search results for ‘{typed}’"))


def walk_my_work(page: Page, base: str, who: str) -> None:
    """Every item's link opens a page about the item's family, where a plan
    action is overdue exactly when My work says it is."""
    page.get_by_test_id("service-navigation").get_by_role(
        "link", name="My work"
    ).click()
    expect(page.get_by_role("heading", name="My work", level=1)).to_be_visible()
    items = [
        (
            row.locator("td:nth-child(3) a").get_attribute("href"),
            row.locator("td:nth-child(2) a").inner_text(),
            row.get_attribute("data-kind"),
            row.locator("td:nth-child(3)").inner_text(),
            bool(row.locator(".govuk-tag--red").count()),
        )
        for row in page.locator("tr[data-kind]").all()
    ]
    assert items, f"nothing on {who}'s My work"
    shoot(page, f"working-day-my-work-{who}")
    # Several actions of a plan open the same page: each page once.
    pages: dict[tuple[str, str], list[tuple[str, bool]]] = {}
    for href, family, kind, text, overdue in items:
        assert href and family.endswith(" family"), (href, family)
        actions = pages.setdefault((href, family), [])
        if kind == "action":
            actions.append((text.split(": ", 1)[1].splitlines()[0], overdue))
    for (href, family), actions in pages.items():
        response = page.goto(f"{base}{href}")
        assert response is not None and response.status == 200, href
        expect(page.locator("main")).to_contain_text(family)
        for what, overdue in actions:
            row = page.locator("main tr").filter(has_text=what)
            tag = row.locator(".govuk-tag--red", has_text="Overdue")
            expect(tag).to_have_count(1 if overdue else 0)
        fits_a_phone(page, href)


def fits_a_phone(page: Page, what: str) -> None:
    """At 390px the page is no wider than the screen."""
    page.set_viewport_size({"width": WIDTHS[1], "height": 900})
    wide = page.evaluate("document.documentElement.scrollWidth")
    if wide > WIDTHS[1]:
        name = re.sub(r"[^a-z0-9]+", "-", what).strip("-")
        SCREENSHOTS.mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(SCREENSHOTS / f"too-wide-{name}.png"), full_page=True)
    page.set_viewport_size({"width": WIDTHS[0], "height": 900})
    assert wide <= WIDTHS[1], f"{what} is {wide}px wide on a {WIDTHS[1]}px screen"


def change_phone(page: Page, user) -> None:
    """From the account links, the worker corrects their work phone number:
    a wrong one is refused with a message linked to the box."""
    page.get_by_role("navigation", name="Account").get_by_role(
        "link", name="Your details"
    ).click()
    box = page.get_by_label("Work phone number (optional)")
    box.fill("0121 496")
    page.get_by_role("button", name="Save your phone number").click()
    summary = page.locator(".govuk-error-summary")
    expect(summary).to_contain_text("Enter a UK telephone number")
    shoot(page, "working-day-your-details-error")
    summary.get_by_role("link").click()
    expect(box).to_be_focused()
    box.fill("0121 496 0000")
    page.get_by_role("button", name="Save your phone number").click()
    expect(page.locator(".govuk-notification-banner")).to_contain_text(
        "Your phone number is now 0121 496 0000."
    )
    user.refresh_from_db()
    assert user.phone == "0121 496 0000"


@override_settings(TWO_FACTOR_REQUIRED=False)
@pytest.mark.parametrize("who", ["lead", "manager", "partner", "data_protection"])
def test_a_working_day_with_search(live_server, browser, day, who):
    base = live_server.url
    context = browser.new_context(viewport={"width": WIDTHS[0], "height": 900})
    page = context.new_page()
    page.set_default_timeout(10_000)
    axe = Axe(browser, page)
    sign_in_with_browser(page, base, day[who].email)
    check_navigation(page, who, "Home")
    nav = page.get_by_test_id("service-navigation")
    nav.get_by_role("link", name=FIRST_PLACE[who]).click()
    check_navigation(page, who, FIRST_PLACE[who])

    # A misspelt family name finds the family.
    nav_search(page, MISSPELT[who])
    check_navigation(page, who, "Search")
    check_header_on_a_desk(page)
    main = page.locator("main")
    if who == "data_protection":
        people = page.get_by_test_id("search-citywide")
        expect(people.get_by_role("row").filter(has_text="Ruby Patel")).to_contain_text(
            "2014"
        )
    else:
        cases = page.get_by_test_id("search-cases")
        expect(cases.get_by_role("link", name="Patel family")).to_be_visible()
        expect(cases).to_contain_text("Ruby Patel")
    shoot(page, f"working-day-search-name-{who}")

    # A date of birth as people type it finds the child born on 3 April 2014.
    nav_search(page, "3/4/2014")
    if who == "data_protection":
        row = page.get_by_test_id("search-citywide").get_by_role("row")
        ruby = row.filter(has_text="Ruby Patel")
        expect(ruby).to_contain_text("2014")
        shoot(page, f"working-day-search-born-{who}")
        # The officer opens who viewed the child's records.
        ruby.get_by_role("link", name="Who viewed").click()
        expect(page.get_by_test_id("who-viewed-person")).to_contain_text("Ruby Patel")
        check_navigation(page, who, "Privacy")
    elif who == "partner":
        # Partners match their own forms' details, and cases by name only.
        forms = page.get_by_test_id("search-forms")
        expect(forms).to_contain_text("Ruby Patel")
        expect(page.get_by_test_id("search-people")).to_have_count(0)
        shoot(page, f"working-day-search-born-{who}")
        nav_search(page, MISSPELT[who])
        page.get_by_test_id("search-cases").get_by_role(
            "link", name="Patel family"
        ).click()
        expect(page.get_by_test_id("case-heading")).to_have_text("Patel family")
        expect(main).to_contain_text("Ruby Patel")
    else:
        people = page.get_by_test_id("search-people")
        child = people.get_by_role("row").filter(has_text="Ruby Patel")
        expect(child).to_contain_text("3 April 2014")
        expect(child.get_by_role("link", name="Patel family")).to_be_visible()
        expect(people).not_to_contain_text("Mia Patel")
        shoot(page, f"working-day-search-born-{who}")
        child.get_by_role("link", name="Ruby Patel").click()
        expect(page.get_by_test_id("person-name")).to_have_text("Ruby Patel")
        cases = page.get_by_test_id("involved-cases")
        if who == "lead":
            shoot(page, "working-day-person-lead")
        cases.get_by_role("link", name="Patel family").click()
        expect(page.get_by_test_id("case-heading")).to_have_text("Patel family")

    if who in ("lead", "manager"):
        walk_my_work(page, base, who)
    if who == "lead":
        change_phone(page, day[who])
    failures = axe.close()
    context.close()
    assert len(axe.seen) > 5
    assert failures == {}, f"axe on the pages visited: {failures}"


@override_settings(TWO_FACTOR_REQUIRED=False)
def test_the_roles_without_search_have_no_box_and_no_search_page(live_server, browser):
    """Performance leads, administrators and auditors see no identifiable
    records: no search box anywhere, and the search page refuses them."""
    base = live_server.url
    for who, role in (
        ("performance_lead", Role.PERFORMANCE_LEAD),
        ("administrator", Role.ADMINISTRATOR),
        ("auditor", Role.AUDITOR),
    ):
        user = UserFactory(role=role)
        context = browser.new_context(viewport={"width": WIDTHS[0], "height": 900})
        page = context.new_page()
        page.set_default_timeout(10_000)
        axe = Axe(browser, page)
        sign_in_with_browser(page, base, user.email)
        check_navigation(page, who, "Home")
        expect(page.get_by_test_id("navigation-search")).to_have_count(0)
        if FIRST_PLACE[who] != "Home":
            page.get_by_test_id("service-navigation").get_by_role(
                "link", name=FIRST_PLACE[who]
            ).click()
            check_navigation(page, who, FIRST_PLACE[who])
            expect(page.get_by_test_id("navigation-search")).to_have_count(0)
        response = page.goto(f"{base}/search/?q=Patel")
        assert response is not None and response.status == 403, who
        expect(page.locator("main")).not_to_contain_text("Patel")
        failures = axe.close()
        context.close()
        assert failures == {}, f"axe on the pages {who} visited: {failures}"
