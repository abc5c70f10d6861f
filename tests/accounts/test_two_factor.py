import pytest
from django.test import override_settings
from django_otp.plugins.otp_totp.models import TOTPDevice
from rest_framework.test import APIClient

from accounts.roles import STAFF_ROLES, Role
from accounts.services import api_token_issue
from tests.factories import TOTPDeviceFactory, UserFactory
from tests.helpers import sign_in, sign_in_verified, totp_now

pytestmark = pytest.mark.django_db

# A staff page beyond the home page that every administrator may otherwise open.
STAFF_PAGE = "/admin/"


@pytest.mark.parametrize("role", sorted(STAFF_ROLES))
def test_staff_without_a_device_are_sent_to_enrolment_and_see_only_home(client, role):
    user = UserFactory(role=role, is_staff=True)
    sign_in(client, user)
    response = client.get(STAFF_PAGE)
    assert response.status_code == 302 and response.url == "/account/two-factor/"
    home = client.get("/")
    assert home.status_code == 200
    assert b"set up or confirm two-factor sign-in" in home.content


def test_staff_with_a_device_must_enter_a_code_before_staff_pages(client):
    user = UserFactory(role=Role.ADMINISTRATOR, is_staff=True, is_superuser=True)
    device = TOTPDeviceFactory(user=user)
    sign_in(client, user)
    response = client.get(STAFF_PAGE)
    assert response.status_code == 302
    assert response.url == "/account/two-factor/verify/?next=%2Fadmin%2F"
    wrong = client.post("/account/two-factor/verify/", {"code": "000000"})
    assert wrong.status_code == 200 and b"not correct" in wrong.content
    device.refresh_from_db()
    # The wrong code started the device's throttle; wait it out as a user would.
    TOTPDevice.objects.filter(pk=device.pk).update(
        throttling_failure_count=0, throttling_failure_timestamp=None
    )
    done = client.post(response.url, {"code": totp_now(device)})
    assert done.status_code == 302 and done.url == STAFF_PAGE
    assert client.get(STAFF_PAGE).status_code == 200


@pytest.mark.parametrize(
    "target", ["https://evil.example/", "//evil.example/x", "javascript:x"]
)
def test_verification_never_redirects_off_site(client, target):
    user = UserFactory(role=Role.PRACTITIONER)
    device = TOTPDeviceFactory(user=user)
    sign_in(client, user)
    response = client.post(
        f"/account/two-factor/verify/?next={target}", {"code": totp_now(device)}
    )
    assert response.status_code == 302 and response.url == "/"


def test_enrolment_confirms_the_device_with_a_first_code(client):
    user = UserFactory(role=Role.ADMINISTRATOR, is_staff=True, is_superuser=True)
    sign_in(client, user)
    page = client.get("/account/two-factor/")
    assert page.status_code == 200 and b"data:image/svg+xml" in page.content
    device = TOTPDevice.objects.get(user=user, confirmed=False)
    bad = client.post("/account/two-factor/", {"code": "12ab56"})
    assert b"must be 6 digits" in bad.content
    response = client.post("/account/two-factor/", {"code": totp_now(device)})
    assert response.status_code == 302
    device.refresh_from_db()
    assert device.confirmed
    assert client.get(STAFF_PAGE).status_code == 200


def test_requesters_do_not_need_two_factor(client):
    user = UserFactory(role=Role.REQUESTER)
    sign_in(client, user)
    home = client.get("/")
    assert home.status_code == 200 and b"two-factor" not in home.content.lower()


def test_an_unverified_staff_session_cannot_use_the_api_but_a_token_can(client):
    user = UserFactory(role=Role.LOCALITY_MANAGER, localities=["erdington"])
    sign_in(client, user)
    assert client.get("/api/v1/me/").status_code == 403
    token = api_token_issue(user=user)
    api = APIClient()
    response = api.get("/api/v1/me/", HTTP_AUTHORIZATION=f"Token {token}")
    assert response.status_code == 200 and response.json()["localities"] == [
        "erdington"
    ]


def test_a_verified_staff_session_can_use_the_api(client):
    user = UserFactory(role=Role.PRACTITIONER, localities=["ladywood"])
    sign_in_verified(client, user)
    response = client.get("/api/v1/me/")
    assert response.status_code == 200 and response.json()["role"] == "practitioner"


def test_two_factor_cannot_be_switched_off_unless_debug(monkeypatch):
    import importlib

    import config.settings as settings_module

    monkeypatch.setenv("DEBUG", "0")
    monkeypatch.setenv("TWO_FACTOR_REQUIRED", "0")
    assert importlib.reload(settings_module).TWO_FACTOR_REQUIRED is True
    monkeypatch.setenv("DEBUG", "1")
    assert importlib.reload(settings_module).TWO_FACTOR_REQUIRED is False
    monkeypatch.setenv("DEBUG", "0")
    monkeypatch.setenv("TWO_FACTOR_REQUIRED", "1")
    importlib.reload(settings_module)


@override_settings(TWO_FACTOR_REQUIRED=False)
def test_when_two_factor_is_off_every_page_says_so(client):
    user = UserFactory(role=Role.ADMINISTRATOR, is_staff=True, is_superuser=True)
    sign_in(client, user)
    home = client.get("/")
    assert b"two-factor sign-in is switched off" in home.content
    assert client.get(STAFF_PAGE).status_code == 200
