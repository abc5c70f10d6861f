"""A family whose case closed last month is referred twice a minute apart: the
manager sees on the second form that the family is returning and that the first
form is waiting, and closes the second as its duplicate in one step."""

from __future__ import annotations

import datetime as dt

import pytest
from django.test import override_settings
from django.utils import timezone
from playwright.sync_api import expect

from accounts.roles import Role
from casework.services.closure import ClosureInput, case_close
from core import clock
from family_connect.models import FamilyConnectForm
from tests.e2e.conftest import SCREENSHOTS
from tests.e2e.test_sign_in_roles import sign_in_with_browser
from tests.factories import (
    CaseFactory,
    FamilyFactory,
    OrganisationFactory,
    PersonFactory,
    UserFactory,
)
from tests.triage.test_triage import submit

pytestmark = [
    pytest.mark.e2e,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


@override_settings(TWO_FACTOR_REQUIRED=False)
def test_a_returning_family_sent_twice_is_closed_as_a_duplicate(
    live_server, page, browser
):
    page.set_viewport_size({"width": 1280, "height": 900})
    now = timezone.now()
    family = FamilyFactory(postcode="B23 6TJ")
    PersonFactory(family=family, given_name="Ayesha", family_name="Khan")
    worker = UserFactory(role=Role.PRACTITIONER, localities=["erdington"])
    case = CaseFactory(
        family=family, lead_practitioner=worker, opened_at=now - dt.timedelta(90)
    )
    with clock.replaying_at(now - dt.timedelta(days=30)):
        case_close(case_id=case.pk, actor=worker, data=ClosureInput(reason="other"))
    manager = UserFactory(role=Role.LOCALITY_MANAGER, localities=["erdington"])
    requester = UserFactory(
        role=Role.REQUESTER, organisation=OrganisationFactory(kind="school")
    )
    with clock.replaying_at(now - dt.timedelta(minutes=1)):
        first = submit(requester)
    second = submit(requester)

    sign_in_with_browser(page, live_server.url, manager.email)
    page.goto(f"{live_server.url}/triage/forms/{second.reference}/")
    expect(page.get_by_test_id("returning")).to_contain_text(
        "Returning within 12 months: a case of the Khan family in Erdington closed on"
    )
    expect(page.get_by_test_id("returning")).to_contain_text("(reason: other)")
    duplicates = page.get_by_test_id("duplicates")
    expect(duplicates).to_contain_text(f"Form {first.reference} received")
    expect(duplicates).to_contain_text("waiting for a decision")
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SCREENSHOTS / "duplicates-01-form.png"), full_page=True)

    duplicates.get_by_role("link", name="Close this form as its duplicate").click()
    expect(page.get_by_label("Duplicate of another form")).to_be_checked()
    expect(page.get_by_label("Reference of the original form")).to_have_value(
        first.reference
    )
    page.screenshot(
        path=str(SCREENSHOTS / "duplicates-02-decision.png"), full_page=True
    )
    page.get_by_role("button", name="Record the decision").click()
    expect(page.get_by_role("alert")).to_contain_text(second.reference)
    second = FamilyConnectForm.objects.get(pk=second.pk)
    assert second.status == "duplicate" and second.duplicate_of_id == first.pk

    # The first form's page no longer names the one just closed.
    page.goto(f"{live_server.url}/triage/forms/{first.reference}/")
    expect(page.get_by_test_id("returning")).to_be_visible()
    assert second.reference not in page.content()
