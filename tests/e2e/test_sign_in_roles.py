import pytest
from django.test import override_settings

from accounts.roles import Role
from tests.e2e.conftest import SCREENSHOTS, axe_violations
from tests.factories import DEFAULT_PASSWORD, UserFactory

pytestmark = [
    pytest.mark.e2e,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


def sign_in_with_browser(page, base: str, email: str, password: str = DEFAULT_PASSWORD):
    page.goto(f"{base}/")
    assert page.title() == "Sign in – Early Help Connect"
    page.get_by_label("E-mail address").fill(email)
    page.get_by_label("Password").fill(password)
    page.get_by_role("button", name="Sign in").click()


@override_settings(TWO_FACTOR_REQUIRED=False)
@pytest.mark.parametrize("role", list(Role))
def test_each_role_signs_in_and_lands_on_its_home_page(
    live_server, page, browser, role
):
    user = UserFactory(
        role=role,
        localities=["erdington", "ladywood"],
        organisation__name="Erdington Early Help Locality",
    )
    sign_in_with_browser(page, live_server.url, user.email)
    heading = page.get_by_test_id("home-heading")
    assert heading.inner_text() == role.label
    assert "Erdington" in page.get_by_test_id("localities").inner_text()
    assert page.get_by_test_id("signed-in-user").is_visible()
    # GOV.UK Frontend's JavaScript loaded as a module (CSP allows only our files).
    assert "govuk-frontend-supported" in page.evaluate("document.body.className")
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SCREENSHOTS / f"home-{role.value}.png"), full_page=True)
    assert axe_violations(browser, page.url, page.context.cookies()) == []


def test_sign_in_errors_are_summarised_and_accessible(live_server, page, browser):
    sign_in_with_browser(
        page, live_server.url, "nobody@example.org", "wrong-password-x"
    )
    assert page.title().startswith("Error: Sign in")
    assert page.get_by_role("alert").inner_text().startswith("There is a problem")
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SCREENSHOTS / "sign-in-error.png"), full_page=True)
    assert axe_violations(browser, page.url, page.context.cookies()) == []


def test_a_staff_user_enrols_two_factor_in_the_browser(live_server, page):
    from django_otp.plugins.otp_totp.models import TOTPDevice

    from tests.helpers import totp_now

    user = UserFactory(role=Role.LOCALITY_MANAGER, localities=["erdington"])
    sign_in_with_browser(page, live_server.url, user.email)
    page.goto(f"{live_server.url}/admin/")
    assert (
        page.get_by_role("heading", level=1).inner_text() == "Set up two-factor sign-in"
    )
    assert page.get_by_role(
        "img", name="QR code for your authenticator app"
    ).is_visible()
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SCREENSHOTS / "two-factor-setup.png"), full_page=True)
    device = TOTPDevice.objects.get(user=user, confirmed=False)
    page.get_by_label("Security code").fill(totp_now(device))
    page.get_by_role("button", name="Continue").click()
    assert page.get_by_test_id("home-heading").inner_text() == "Locality manager"
    assert "Two-factor sign-in is set up." in page.content()
