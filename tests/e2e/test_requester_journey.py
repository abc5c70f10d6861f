"""A school requester sends a Family Connect Form for two children, follows its
status, and later updates the plan action they own as a member of the team
around the family, in Chromium. E-mails go through a real Celery worker."""

from __future__ import annotations

import datetime as dt
import re
from urllib.parse import urlsplit

import pytest
from django.test import override_settings
from django.utils import timezone

from accounts.roles import Role
from casework.models import Case, CaseEvent
from casework.services.plan import plan_action_add, plan_outcome_add
from casework.services.team import case_member_add
from family_connect.models import FamilyConnectForm
from tests.e2e.conftest import SCREENSHOTS, axe_violations
from tests.e2e.test_sign_in_roles import sign_in_with_browser
from tests.factories import OrganisationFactory, UserFactory
from tests.triage.test_triage import decide

pytestmark = [
    pytest.mark.e2e,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


class Visit:
    """The requester's browser: every page it lands on is checked with axe once,
    and the main ones are kept as full-page screenshots."""

    def __init__(self, page, browser) -> None:
        self.page = page
        self.page.set_default_timeout(10_000)
        self.browser = browser
        self.checked: set[str] = set()
        self.failures: dict[str, list[str]] = {}

    def check(self, again=False) -> None:
        url = self.page.url
        if url in self.checked and not again:
            return
        self.checked.add(url)
        bad = axe_violations(self.browser, url, self.page.context.cookies())
        if bad:
            self.failures[url] = [f"{v['id']}: {v['help']}" for v in bad]

    def shot(self, name) -> None:
        SCREENSHOTS.mkdir(parents=True, exist_ok=True)
        self.page.screenshot(path=str(SCREENSHOTS / f"{name}.png"), full_page=True)

    def choose(self, label) -> None:
        self.page.get_by_label(label, exact=True).check()

    def fill(self, label, text) -> None:
        self.page.get_by_label(label, exact=True).fill(text)

    def next(self, button="Continue") -> None:
        with self.page.expect_navigation():
            self.page.get_by_role("button", name=button, exact=True).click()
        self.check()

    def follow(self, name, again=False, exact=False) -> None:
        with self.page.expect_navigation():
            self.page.get_by_role("link", name=name, exact=exact).click()
        self.check(again)

    def child(self, given, day, month, year, sex) -> None:
        assert self.page.title().startswith("Add a child")
        self.fill("First name", given)
        last_name = self.page.get_by_label("Last name", exact=True)
        if last_name.input_value():
            # A second child is offered the family name already given.
            assert last_name.input_value() == "Begum"
        else:
            last_name.fill("Begum")
        self.fill("Day", day)
        self.fill("Month", month)
        self.fill("Year", year)
        # A child's questions come over three short pages.
        self.next()
        assert self.page.title().startswith(f"About {given}")
        self.choose(sex)
        self.page.get_by_label("Ethnic group", exact=True).select_option(
            "asian_bangladeshi"
        )
        self.next()
        assert self.page.title().startswith(f"{given}'s school and support")
        self.fill("School, nursery or college (optional)", "Short Heath Primary School")


@override_settings(TWO_FACTOR_REQUIRED=False)
def test_a_school_requester_sends_a_form_follows_it_and_updates_their_action(
    live_server, page, browser, real_celery_worker
):
    school = OrganisationFactory(name="Short Heath Primary School", kind="school")
    requester = UserFactory(
        role=Role.REQUESTER, organisation=school, full_name="Priya Shah"
    )
    manager = UserFactory(role=Role.LOCALITY_MANAGER, localities=["erdington"])
    lead = UserFactory(
        role=Role.PRACTITIONER, localities=["erdington"], full_name="Grace Okafor"
    )
    v = Visit(page, browser)
    base = live_server.url

    # 1. From the home page, a Family Connect Form for two children and a parent.
    sign_in_with_browser(page, base, requester.email)
    assert page.get_by_test_id("home-heading").inner_text() == "Requester"
    v.check()
    v.shot("req-01-home")
    v.follow("Send a Family Connect Form")
    v.shot("req-02-start")
    v.next("Start now")
    assert page.title().startswith("Do you think a child may be at risk")
    v.choose("No")
    v.next()
    v.choose("Support for the family")
    v.next()
    # A heading, and the name is not labelled optional: it is needed with a yes.
    assert page.get_by_role("heading", level=1).inner_text() == "Consent"
    v.shot("req-03-consent")
    v.choose("Yes")
    v.fill("Who in the family agreed?", "Rukhsana Begum, mother")
    v.next()
    v.fill("Address (optional)", "12 Example Road")
    v.fill("Postcode", "B23 6TJ")
    v.next()
    v.child("Amira", "14", "9", "2015", "Female")
    v.shot("req-04-child")
    v.next()
    v.choose("Yes")  # another child
    v.next()
    v.child("Zayan", "3", "2", "2018", "Male")
    v.next()
    assert "Amira Begum" in page.content() and "Zayan Begum" in page.content()
    v.shot("req-05-children")
    v.choose("No")
    v.next()
    v.choose("Yes")  # tell us about the adults
    v.next()
    v.fill("First name", "Rukhsana")
    v.fill("Last name", "Begum")
    v.choose("Mother")
    v.next()
    v.choose("No")
    v.next()
    v.fill("What is the family's main language?", "Bengali")
    v.choose("Yes")
    v.next()
    v.next()  # communication needs: optional
    v.choose("Education, including attendance")
    v.choose("Financial, housing, employment or training needs")
    v.next()
    v.choose("Additional")
    v.next()
    v.fill("What would help the family?", "Help getting the children to school.")
    v.next()
    v.fill(
        "What do the children say about things at home? (optional)",
        "Amira says mornings are a rush.",
    )
    v.next()
    v.next()  # what is working well: optional
    assert page.title().startswith("Check your answers")
    for seen in ("Amira", "Zayan", "Rukhsana", "B23 6TJ", "14 September 2015"):
        assert seen in page.content(), seen
    v.shot("req-06-check")
    v.next("Accept and send")

    assert page.title().startswith("Form sent")
    reference = page.get_by_test_id("reference").inner_text()
    assert re.fullmatch(r"FC-[0-9A-Z]{4}-[0-9A-Z]{4}", reference)
    status_path = urlsplit(page.get_by_test_id("status-link").inner_text()).path
    v.shot("req-07-confirmation")
    form = FamilyConnectForm.objects.get()
    assert form.reference == reference and form.route == "school"
    assert form.requester == requester and form.organisation == school
    assert form.locality.slug == "erdington" and form.consent
    children = form.members.filter(role="child").order_by("position")
    assert [m.given_name for m in children] == ["Amira", "Zayan"]
    assert form.members.filter(role="adult").get().given_name == "Rukhsana"
    real_celery_worker.wait_for_sent(
        subject=f"We have received your Family Connect Form {reference}"
    )
    log = real_celery_worker.output()
    assert requester.email in log

    # 2. The form and its status on "my forms" and on its status page.
    page.goto(f"{base}/")
    v.follow("Your organisation's forms, with their status and decision")
    row = page.get_by_role("row").filter(has_text=reference)
    assert "Amira Begum" in row.inner_text() and "Zayan Begum" in row.inner_text()
    assert "Waiting for a decision" in row.inner_text()
    v.shot("req-08-my-forms")
    v.follow(reference)
    assert urlsplit(page.url).path == status_path
    assert "Waiting for a decision" in page.get_by_test_id("status").inner_text()
    v.shot("req-09-status-waiting")
    v.follow("Back", exact=True)  # not the phase banner's "feedback"
    assert page.title().startswith("Family Connect Forms")
    page.context.clear_cookies()

    # 3. Out of the browser: allocated; the lead puts the requester on the team
    # and gives them an action in Our Family Plan.
    response = decide(manager, form, outcome="allocated", lead_practitioner=lead.email)
    assert response.status_code == 200, response.content
    case = Case.objects.get()
    case_member_add(case_id=case.pk, actor=lead, email=requester.email)
    outcome = plan_outcome_add(
        case_id=case.pk,
        actor=lead,
        text="Amira and Zayan get to school on time.",
        domain="learning_development",
    )
    action = plan_action_add(
        case_id=case.pk,
        actor=lead,
        outcome_id=outcome.pk,
        what="Breakfast club place for Amira and Zayan",
        owner=requester,
        owner_is_family=False,
        due_on=timezone.localdate() + dt.timedelta(days=14),
        community=False,
    )
    real_celery_worker.wait_for_sent(
        subject=f"Decision on Family Connect Form {reference}"
    )
    log = real_celery_worker.output()
    assert status_path in log

    # 4. The requester finds the case and updates the action they own.
    sign_in_with_browser(page, base, requester.email)
    v.follow("Families whose team you are on")
    assert page.get_by_role("columnheader", name="Children").count() == 0
    v.shot("req-10-families")
    # The case is known by the family's name (the mother's family name).
    v.follow("Begum family")
    assert "Grace Okafor" in page.get_by_test_id("team").inner_text()
    v.shot("req-11-team")
    v.follow("See Our Family Plan and update the actions you own")
    assert page.get_by_test_id("no-community-action").count() == 0
    v.shot("req-12-plan")
    page.get_by_label(
        "Status of: Breakfast club place for Amira and Zayan"
    ).select_option("in_progress")
    v.next("Update status")
    assert (
        page.get_by_role("alert")
        .inner_text()
        .endswith(
            "Action updated: “Breakfast club place for Amira and Zayan” is now "
            "in progress."
        )
    )
    action.refresh_from_db()
    assert action.status == "in_progress"
    event = CaseEvent.objects.get(case=case, kind="plan_action_updated")
    assert event.actor == requester and event.data["to"] == "in_progress"
    v.shot("req-13-plan-updated")

    # 5. The form's status, in the list and on its status page, is the decision.
    page.goto(f"{base}/family-connect/forms/")
    v.check(again=True)
    row = page.get_by_role("row").filter(has_text=reference)
    assert "Allocated to an early help worker" in row.inner_text()
    v.follow(reference, again=True)
    assert (
        "Allocated to an early help worker"
        in page.get_by_test_id("status").inner_text()
    )
    v.shot("req-14-status-allocated")
    assert v.failures == {}
