"""Recording well, as one practitioner's and one manager's journey in Chromium,
every page checked with axe: the assessment's every gap listed at once, an
action corrected, a note amended, a document added, a withdrawal of consent
that takes the partner's view away at once, a closure that warns about the
open action, and the manager's sign-off showing the distance travelled."""

from __future__ import annotations

import datetime as dt

import pytest
from django.test import override_settings
from django.utils import timezone

from accounts.roles import Role
from casework.models import (
    CaseClosure,
    CaseDocument,
    ConsentWithdrawal,
    NoteAmendment,
    PlanAction,
    WheelDomain,
)
from casework.services.cases import case_note_add
from casework.services.consent import consent_record
from core.periods import local_date
from tests.e2e.conftest import SCREENSHOTS, watch_with_axe
from tests.e2e.dates import fill_date
from tests.e2e.test_sign_in_roles import sign_in_with_browser
from tests.factories import (
    CaseFactory,
    FamilyFactory,
    OrganisationFactory,
    PersonFactory,
    UserFactory,
    join_team,
)

pytestmark = [
    pytest.mark.e2e,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

WHEEL = [f"Family wheel: {d.label}" for d in WheelDomain]


def shot(page, name: str) -> None:
    SHOTS = SCREENSHOTS / "recording-well"
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SHOTS / f"{name}.png"), full_page=True)


@override_settings(TWO_FACTOR_REQUIRED=False)
def test_a_practitioner_records_well_and_the_manager_signs_off(live_server, browser):
    base = live_server.url
    today = local_date(timezone.now())
    family = FamilyFactory()
    amir = PersonFactory(
        family=family,
        given_name="Amir",
        family_name="Khan",
        role="child",
        date_of_birth=dt.date(today.year - 7, 3, 1),
    )
    PersonFactory(
        family=family,
        role="adult",
        given_name="Sara",
        family_name="Khan",
        relationship="mother",
        date_of_birth=dt.date(today.year - 36, 3, 1),
    )
    lead = UserFactory(
        role=Role.PRACTITIONER, localities=["erdington"], full_name="Sam Lead"
    )
    manager = UserFactory(
        role=Role.LOCALITY_MANAGER, localities=["erdington"], full_name="Mo Manager"
    )
    case = CaseFactory(family=family, lead_practitioner=lead)
    partner = UserFactory(
        role=Role.REQUESTER,
        organisation=OrganisationFactory(name="Erdington Primary"),
        full_name="Pat Partner",
    )
    join_team(case, partner)
    consent_record(
        case_id=case.pk,
        actor=lead,
        person_id=amir.pk,
        purposes=["early_help", "information_sharing"],
        agencies="Erdington Primary",
        given_by="parent_carer",
        given_by_name="Sara Khan (mother)",
        given_on=today - dt.timedelta(days=3),
    )
    case_note_add(
        case_id=case.pk,
        actor=lead,
        kind="visit",
        text="Home visit on Tuesday: Amir was tired.",
        significant=True,
    )
    case_url = f"{base}/cases/{case.pk}/"

    context = browser.new_context(viewport={"width": 1100, "height": 900})
    page = context.new_page()
    failures = watch_with_axe(browser, page)
    sign_in_with_browser(page, base, lead.email)

    # The assessment: every gap listed at once, then completed.
    page.goto(f"{case_url}assessment/")
    page.get_by_label("What we are worried about").fill("Money and sleep.")
    page.get_by_role("button", name="Complete the assessment").click()
    summary = page.locator(".govuk-error-summary")
    links = summary.get_by_role("link")
    # Two questions, the scaling, every part of the wheel and both people.
    assert links.count() == 2 + 1 + len(WheelDomain) + 2, summary.inner_text()
    assert page.get_by_label("What we are worried about").input_value() == (
        "Money and sleep."
    )
    shot(page, "01-assessment-every-gap")
    page.get_by_label("What is working well").fill("Grandma helps every day.")
    page.get_by_label("What needs to happen").fill("A bedtime routine.")
    page.get_by_label(
        "Scaling: how close are things to being good enough to close?"
    ).select_option("3")
    for label in WHEEL:
        page.get_by_label(label).select_option("4")
    page.get_by_label("Overall score for Amir Khan").select_option("4")
    page.get_by_label("Overall score for Sara Khan").select_option("5")
    page.get_by_role("button", name="Complete the assessment").click()
    assert "Assessment completed" in page.content()

    # The plan: an action added in day, month and year, then corrected.
    page.get_by_role("link", name="Our Family Plan").click()
    page.get_by_label("Outcome, in the family's words").fill("Mornings are calm.")
    page.get_by_label("Part of the family wheel").select_option("relationships")
    page.get_by_role("button", name="Add the outcome").click()
    page.get_by_label("What will be done").fill("Bedtime chart")
    page.get_by_label("Who will do it").select_option("family")
    fill_date(page, "Due date", today + dt.timedelta(days=14))
    page.get_by_role("button", name="Add the action").click()
    page.get_by_role("link", name="Change the action: Bedtime chart").click()
    page.get_by_label("What will be done").fill("Bedtime chart on the fridge")
    page.get_by_role("button", name="Save the changes").click()
    assert page.get_by_text("Action updated.").is_visible()
    assert PlanAction.objects.get().what == "Bedtime chart on the fridge"
    shot(page, "02-action-corrected")

    # The note amended, the original kept.
    page.goto(case_url)
    page.get_by_role("link", name="Amend the visit note").click()
    page.get_by_label("The note as it should read").fill(
        "Home visit on Wednesday: Amir was tired."
    )
    page.get_by_label("Why are you amending it?").fill("The visit was on Wednesday.")
    page.get_by_role("button", name="Amend the note").click()
    assert "Home visit on Wednesday" in page.get_by_test_id("timeline").inner_text()
    assert NoteAmendment.objects.count() == 1

    # A document added.
    page.get_by_test_id("documents-link").click()
    page.get_by_role("link", name="Add a document").click()
    page.get_by_label("Title").fill("Signed consent to share")
    page.get_by_label("Signed consent").check()
    page.get_by_label("Yes, share it with the partners on the team").check()
    page.get_by_label("File").set_input_files(
        {
            "name": "consent.txt",
            "mimeType": "text/plain",
            "buffer": b"Consent to share with Erdington Primary. Signed: S Khan\n",
        }
    )
    page.get_by_role("button", name="Add the document").click()
    assert page.get_by_text("Document “Signed consent to share” added.").is_visible()
    assert CaseDocument.objects.filter(case=case).count() == 1
    shot(page, "03-document-added")

    # The partner sees the case until the family withdraws sharing.
    partner_context = browser.new_context(viewport={"width": 1100, "height": 900})
    partner_page = partner_context.new_page()
    partner_failures = watch_with_axe(browser, partner_page)
    sign_in_with_browser(partner_page, base, partner.email)
    assert partner_page.goto(case_url).status == 200
    page.goto(f"{case_url}#consent")
    page.get_by_role(
        "link",
        name="Record withdrawal of sharing information with named agencies for "
        "Amir Khan",
    ).click()
    page.get_by_role("radio", name="A parent or carer").check()
    page.get_by_role("textbox", name="Name of the parent or carer").fill(
        "Sara Khan (mother)"
    )
    fill_date(page, "Date consent was withdrawn", today)
    page.get_by_role("button", name="Record the withdrawal").click()
    assert page.get_by_text(
        "Partners on the team no longer see this case."
    ).is_visible()
    assert ConsentWithdrawal.objects.filter(consent__case=case).count() == 1
    assert partner_page.goto(case_url).status == 404
    assert partner_page.goto(f"{case_url}documents/").status == 404
    partner_context.close()

    # Closing: the open action is shown, and must be confirmed as checked.
    page.goto(case_url)
    page.get_by_role("link", name="Close the case").click()
    assert "Check these before you close the case" in page.content()
    assert "Bedtime chart on the fridge" in (
        page.get_by_test_id("open-actions").inner_text()
    )
    page.get_by_label("Outcomes met").check()
    for label in WHEEL:
        page.get_by_label(
            label.replace("Family wheel:", "Family wheel at closure:")
        ).select_option("8")
    page.get_by_label("Overall score at closure for Amir").select_option("8")
    page.get_by_label("Overall score at closure for Sara").select_option("7")
    for question in ("happy", "healthy", "safe"):
        page.get_by_label(f"Does Amir feel {question}?").select_option("yes")
    page.get_by_label(
        "Family feedback: how helpful was early help? (1 to 5)"
    ).select_option("5")
    shot(page, "04-close-warning")
    page.get_by_role("button", name="Close the case").click()
    assert "Confirm that you have checked the plan's open actions" in (
        page.locator(".govuk-error-summary").inner_text()
    )
    assert not CaseClosure.objects.exists()
    page.get_by_label("I have checked the open actions in the plan").check()
    page.get_by_role("button", name="Close the case").click()
    assert "Case closed" in page.content()
    context.close()
    assert failures == {}, failures
    assert partner_failures == {}, partner_failures

    # The manager signs off, seeing the closure against the baseline.
    context = browser.new_context(viewport={"width": 1100, "height": 900})
    page = context.new_page()
    failures = watch_with_axe(browser, page)
    sign_in_with_browser(page, base, manager.email)
    page.goto(f"{case_url}closure/sign-off/")
    change = page.get_by_test_id("wheel-change").inner_text()
    assert "Relationships\t4\t8\t+4" in change, change
    people = page.get_by_test_id("people-change").inner_text()
    assert "Amir Khan\t4\t8\t+4" in people, people
    table = page.get_by_test_id("wheel-table").inner_text()
    assert "Baseline" in table and "Closure" in table, table
    chart = page.locator('[data-testid="wheel-chart"] svg[role="img"]')
    assert chart.count() == 1
    page.get_by_test_id("distance-travelled").scroll_into_view_if_needed()
    shot(page, "05-sign-off")
    page.get_by_role("button", name="Sign off the closure").click()
    closure = CaseClosure.objects.get()
    assert closure.signed_off_by == manager
    context.close()
    assert failures == {}, failures
