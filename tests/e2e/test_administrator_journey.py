"""An administrator made the documented way (``create_user --role
administrator``, no superuser) signs in with two-factor, manages reference data
in the administration site, sees no case data and no two-factor secret."""

from __future__ import annotations

import base64
import io

import pytest
from django.core.management import call_command

from accounts.models import Organisation, User
from accounts.roles import Role
from tests.e2e.conftest import SCREENSHOTS
from tests.factories import (
    DEFAULT_PASSWORD,
    CaseFactory,
    OrganisationFactory,
    TOTPDeviceFactory,
    UserFactory,
)
from tests.helpers import totp_now

pytestmark = [
    pytest.mark.e2e,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


@pytest.fixture
def admin_page(browser):
    """A desk-sized page. Not checked with axe: the administration site is
    Django's own (its list and change pages have links told apart by colour
    alone, axe's "link-in-text-block"); the service's pages are checked
    elsewhere."""
    context = browser.new_context(viewport={"width": 1100, "height": 900})
    yield context.new_page()
    context.close()


def test_an_administrator_manages_reference_data_and_sees_no_secrets(
    live_server, admin_page
):
    page = admin_page
    call_command(
        "create_user",
        "helen.morris@council.example",
        "--role",
        "administrator",
        "--password",
        DEFAULT_PASSWORD,
        "--name",
        "Helen Morris",
        stdout=io.StringIO(),
    )
    admin_user = User.objects.get(email="helen.morris@council.example")
    assert admin_user.is_staff and not admin_user.is_superuser
    own_device = TOTPDeviceFactory(user=admin_user)
    OrganisationFactory(name="Stockland Green Primary", kind="school")
    worker = UserFactory(role=Role.PRACTITIONER, full_name="Grace Okafor")
    device = TOTPDeviceFactory(user=worker)
    secret = base64.b32encode(device.bin_key).decode().rstrip("=")
    case = CaseFactory()
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    base = live_server.url

    page.goto(f"{base}/sign-in/?next=/admin/")
    page.get_by_label("E-mail address").fill(admin_user.email)
    page.get_by_label("Password").fill(DEFAULT_PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    page.goto(f"{base}/admin/")
    page.get_by_label("Security code").fill(totp_now(own_device))
    page.get_by_role("button", name="Continue").click()

    page.goto(f"{base}/admin/")
    index = page.content()
    assert "have permission to view or edit anything" not in index
    for section in ("Users", "Organisations", "Reasons", "Indicators", "TOTP devices"):
        assert section in index, section
    for case_data in ("Families", "Cases", "Access logs", "Family Connect Forms"):
        assert case_data not in index, case_data
    page.screenshot(path=str(SCREENSHOTS / "admin-index.png"), full_page=True)

    page.get_by_role("link", name="Organisations").first.click()
    page.get_by_role("link", name="Stockland Green Primary").click()
    page.get_by_label("Name").fill("Stockland Green Primary School")
    page.screenshot(
        path=str(SCREENSHOTS / "admin-organisation-edit.png"), full_page=True
    )
    page.get_by_role("button", name="Save", exact=True).click()
    assert "was changed successfully" in page.content()
    page.screenshot(
        path=str(SCREENSHOTS / "admin-organisation-saved.png"), full_page=True
    )
    assert Organisation.objects.filter(name="Stockland Green Primary School").exists()

    page.goto(f"{base}/admin/otp_totp/totpdevice/{device.pk}/change/")
    shown = page.content()
    assert "Grace Okafor" in shown
    assert device.key not in shown and secret not in shown
    page.screenshot(path=str(SCREENSHOTS / "admin-totp-device.png"), full_page=True)
    response = page.goto(f"{base}/admin/otp_totp/totpdevice/{device.pk}/config/")
    assert response is not None and response.status == 404
    assert device.key not in page.content()

    response = page.goto(f"{base}/admin/casework/case/{case.pk}/change/")
    assert response is not None and response.status == 404
