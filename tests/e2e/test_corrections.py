"""Correcting the record in Chromium at desk and phone widths: an action changed
from the plan, a note amended from the chronology, each page checked with axe."""

from __future__ import annotations

import datetime as dt
import os
from pathlib import Path

import pytest
from django.test import override_settings
from django.utils import timezone

from accounts.roles import Role
from casework.models import CaseEvent, NoteAmendment, PlanAction
from casework.services.cases import case_note_add
from casework.services.plan import plan_action_add, plan_outcome_add
from core.periods import local_date
from localities.models import CommunityService
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

SHOTS = Path(os.environ.get("CORRECTIONS_SCREENSHOT_DIR", "/tmp/ehc-screenshots"))
WIDTHS = (1280, 390)


def shoot(page, name: str) -> None:
    SHOTS.mkdir(parents=True, exist_ok=True)
    for width in WIDTHS:
        page.set_viewport_size({"width": width, "height": 900})
        page.screenshot(path=str(SHOTS / f"{name}-{width}.png"), full_page=True)
    page.set_viewport_size({"width": 1100, "height": 900})


@override_settings(TWO_FACTOR_REQUIRED=False)
def test_the_lead_corrects_an_action_and_amends_a_note(live_server, page):
    base = live_server.url
    family = FamilyFactory()
    PersonFactory(family=family, given_name="Amir", family_name="Khan")
    lead = UserFactory(
        role=Role.PRACTITIONER, localities=["erdington"], full_name="Sam Lead"
    )
    case = CaseFactory(family=family, lead_practitioner=lead)
    partner = UserFactory(
        role=Role.REQUESTER,
        organisation=OrganisationFactory(name="Erdington Primary"),
        full_name="Pat Partner",
    )
    join_team(case, partner)
    outcome = plan_outcome_add(
        case_id=case.pk,
        actor=lead,
        text="Amir gets to school on time",
        domain="learning_development",
    )
    today = local_date(timezone.now())
    action = plan_action_add(
        case_id=case.pk,
        actor=lead,
        outcome_id=outcome.pk,
        what="Breakfast club place",
        owner=partner,
        owner_is_family=False,
        due_on=today + dt.timedelta(days=14),
        community=False,
    )
    case_note_add(
        case_id=case.pk,
        actor=lead,
        kind="visit",
        text="Home visit on Tuesday: Amir was tired.",
        significant=True,
    )

    CommunityService.objects.create(
        locality=case.locality,
        name="Erdington Family Hub",
        category="Family support",
        contact="0121 000 0000",
    )
    sign_in_with_browser(page, base, lead.email)
    page.goto(f"{base}/cases/{case.pk}/plan/")
    page.get_by_role("link", name="Change the action: Breakfast club place").click()
    assert page.get_by_role("heading", name="Change an action").is_visible()
    shoot(page, "G-edit-action")
    # A past date is refused, with the message linked to the field.
    last_week = today - dt.timedelta(days=7)
    page.get_by_label("Day").fill(str(last_week.day))
    page.get_by_label("Month").fill(str(last_week.month))
    page.get_by_label("Year").fill(str(last_week.year))
    page.get_by_label("What will be done").fill("")
    page.get_by_role("button", name="Save the changes").click()
    summary = page.locator(".govuk-error-summary")
    assert "The due date must be today or in the future" in summary.inner_text()
    assert "Enter what will be done" in summary.inner_text()
    shoot(page, "G-edit-action-errors")
    new_due = today + dt.timedelta(days=21)
    page.get_by_label("What will be done").fill("Breakfast club, three days a week")
    page.get_by_label("Day").fill(str(new_due.day))
    page.get_by_label("Month").fill(str(new_due.month))
    page.get_by_label("Year").fill(str(new_due.year))
    page.get_by_label("Who will do it").select_option(label="The family")
    page.get_by_label("Service from the community services directory").select_option(
        label="Erdington Family Hub"
    )
    # Away from the list, which a screenshot would otherwise show open.
    page.get_by_role("heading", name="Change an action").click()
    shoot(page, "G-edit-action-filled")
    page.get_by_role("button", name="Save the changes").click()
    assert page.get_by_text("Action updated.").is_visible()
    shoot(page, "G-plan-after-edit")
    action.refresh_from_db()
    assert action.owner_is_family and action.due_on == new_due and action.community
    assert action.community_service is not None
    assert page.get_by_test_id("community-service").inner_text() == (
        "Erdington Family Hub"
    )
    assert CaseEvent.objects.filter(kind="plan_action_edited").count() == 1

    page.goto(f"{base}/cases/{case.pk}/")
    page.get_by_role("link", name="Amend the visit note").click()
    assert page.get_by_role("heading", name="Amend a note").is_visible()
    page.get_by_label("The note as it should read").fill(
        "Home visit on Wednesday: Amir was tired."
    )
    page.get_by_label("Why are you amending it?").fill(
        "The visit was on Wednesday, not Tuesday."
    )
    shoot(page, "G-amend-note")
    page.get_by_role("button", name="Amend the note").click()
    timeline = page.get_by_test_id("timeline")
    assert "Home visit on Wednesday: Amir was tired." in timeline.inner_text()
    assert "by Sam Lead: The visit was on Wednesday, not Tuesday." in (
        timeline.inner_text()
    )
    page.get_by_text("See the original note").click()
    assert page.get_by_text("Home visit on Tuesday: Amir was tired.").is_visible()
    page.get_by_test_id("timeline").scroll_into_view_if_needed()
    shoot(page, "G-amended-note")
    assert NoteAmendment.objects.count() == 1
    assert PlanAction.objects.count() == 1
