"""The administration site for an administrator made the documented way
(``create_user --role administrator``): reference data, no case data, no
two-factor secrets, no setting of other people's passwords."""

from __future__ import annotations

import base64
import io
import json

import pytest
from django.contrib import admin
from django.contrib.admin.models import ADDITION, CHANGE, DELETION, LogEntry
from django.contrib.auth.models import Group
from django.core.management import call_command
from django_otp.plugins.otp_totp.models import TOTPDevice

from accounts.models import Organisation, User
from accounts.roles import ADMINISTRATORS_GROUP, Role
from accounts.services import user_save
from audits.models import AuditDomain, AuditTemplate
from core.models import Notification
from family_connect.models import Reason
from localities.models import Locality
from tests.factories import (
    DEFAULT_PASSWORD,
    CaseFactory,
    OrganisationFactory,
    TOTPDeviceFactory,
    UserFactory,
    join_team,
)
from tests.helpers import sign_in_verified

pytestmark = pytest.mark.django_db

# Models an administrator must never reach through the administration site.
CASE_DATA = [
    "families.family",
    "families.person",
    "casework.case",
    "casework.casemember",
    "casework.casenote",
    "privacy.purgedrecord",
    "family_connect.familyconnectform",
    "audits.caseaudit",
    "audits.auditanswer",
    "audits.auditround",
    "core.accesslog",
    "core.notification",
]


@pytest.fixture
def administrator(client):
    call_command(
        "create_user",
        "helen@council.example",
        "--role",
        "administrator",
        "--password",
        DEFAULT_PASSWORD,
        stdout=io.StringIO(),
    )
    user = User.objects.get(email="helen@council.example")
    sign_in_verified(client, user)
    return user


def test_create_user_administrator_is_staff_in_the_group_and_not_superuser():
    user = user_save(email="a@council.example", role=Role.ADMINISTRATOR).user
    assert user.is_staff and not user.is_superuser
    assert user.groups.filter(name=ADMINISTRATORS_GROUP).exists()

    user_save(email="a@council.example", role=Role.PERFORMANCE_LEAD)
    user.refresh_from_db()
    assert not user.is_staff
    assert not user.groups.exists()


def test_the_administrator_sees_reference_data_and_no_case_data(client, administrator):
    index = client.get("/admin/")
    assert index.status_code == 200
    page = index.content.decode()
    assert "have permission to view or edit anything" not in page
    for label in ("Users", "Organisations", "Localities", "Wards", "Reasons"):
        assert label in page, label
    assert "Retention rules" in page and "Indicators" in page
    assert "Audit templates" in page

    case = CaseFactory()
    for label in CASE_DATA:
        app, model = label.split(".")
        for url in (f"/admin/{app}/{model}/", f"/admin/{app}/{model}/1/change/"):
            assert client.get(url).status_code in (403, 404), url
    assert client.get(f"/admin/casework/case/{case.pk}/change/").status_code in (
        403,
        404,
    )
    assert "Families" not in page and "Access log" not in page


def test_the_group_holds_no_permission_on_case_data():
    group = Group.objects.get(name=ADMINISTRATORS_GROUP)
    held = {
        f"{p.content_type.app_label}.{p.content_type.model}"
        for p in group.permissions.select_related("content_type")
    }
    assert held and not held & set(CASE_DATA)
    assert "accounts.user" in held and "family_connect.reason" in held


def test_every_registered_admin_is_reference_data_or_case_data():
    """A new admin page must be placed on one side or the other here."""
    registered = {
        f"{m._meta.app_label}.{m._meta.model_name}" for m in admin.site._registry
    }
    held = {
        f"{p.content_type.app_label}.{p.content_type.model}"
        for p in Group.objects.get(name=ADMINISTRATORS_GROUP).permissions.all()
    }
    # Sign-in attempts (e-mail addresses and IP addresses) stay with superusers.
    not_for_administrators = {
        "auth.group",
        "axes.accessattempt",
        "axes.accessfailurelog",
        "axes.accesslog",
    }
    unplaced = registered - held - set(CASE_DATA) - not_for_administrators
    assert unplaced == set()


def test_the_administrator_edits_an_organisation_and_the_change_is_logged(
    client, administrator
):
    org = OrganisationFactory(name="Stockland Green Primary", kind="school")
    response = client.post(
        f"/admin/accounts/organisation/{org.pk}/change/",
        {"name": "Stockland Green Primary School", "kind": "school", "school_urn": ""},
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    org.refresh_from_db()
    assert org.name == "Stockland Green Primary School"
    entry = LogEntry.objects.get(object_id=str(org.pk), action_flag=CHANGE)
    assert entry.user_id == administrator.pk
    logged = json.loads(entry.change_message)
    assert logged["before"]["name"] == "Stockland Green Primary"
    assert logged["after"]["name"] == "Stockland Green Primary School"


def test_adding_and_deleting_reference_data_is_logged(client, administrator):
    response = client.post(
        "/admin/family_connect/reason/add/",
        {"code": "young_carer", "label": "Young carer", "position": 50, "active": "on"},
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    reason = Reason.objects.get(code="young_carer")
    added = LogEntry.objects.get(object_id=str(reason.pk), action_flag=ADDITION)
    assert json.loads(added.change_message)["after"]["label"] == "Young carer"

    draft = AuditTemplate.objects.create(name="Draft template", current=False)
    domain = AuditDomain.objects.create(template=draft, position=9, title="Voice")
    response = client.post(
        f"/admin/audits/auditdomain/{domain.pk}/delete/", {"post": "yes"}
    )
    assert response.status_code == 302
    assert not AuditDomain.objects.filter(pk=domain.pk).exists()
    deleted = LogEntry.objects.get(object_id=str(domain.pk), action_flag=DELETION)
    assert json.loads(deleted.change_message)["before"]["title"] == "Voice"


def test_the_admin_change_page_of_a_user_goes_through_the_role_change(
    client, administrator
):
    dsl = UserFactory(role=Role.REQUESTER, organisation=OrganisationFactory())
    case = CaseFactory()
    join_team(case, dsl)
    response = client.post(
        f"/admin/accounts/user/{dsl.pk}/change/",
        {
            "email": dsl.email,
            "full_name": dsl.full_name,
            "role": "auditor",
            "organisation": dsl.organisation_id,
            "work_localities": [],
            "is_active": "on",
        },
    )
    assert response.status_code == 302, response.content.decode()[:3000]
    dsl.refresh_from_db()
    assert dsl.role == Role.AUDITOR
    assert not case.members.filter(user=dsl).exists()
    entry = LogEntry.objects.get(object_id=str(dsl.pk), action_flag=CHANGE)
    assert entry.user_id == administrator.pk
    logged = json.loads(entry.change_message)
    assert logged["after"]["removed"] == [f"team place on Case {case.pk}"]


def test_a_refused_role_change_in_the_admin_says_why_and_changes_nothing(
    client, administrator
):
    case = CaseFactory()
    lead = case.lead_practitioner
    response = client.post(
        f"/admin/accounts/user/{lead.pk}/change/",
        {
            "email": lead.email,
            "full_name": lead.full_name,
            "role": "auditor",
            "organisation": lead.organisation_id,
            "work_localities": [],
            "is_active": "on",
        },
    )
    assert response.status_code == 200
    assert f"Case {case.pk}" in response.content.decode()
    lead.refresh_from_db()
    assert lead.role == Role.PRACTITIONER
    assert case.members.filter(user=lead, is_lead=True).exists()
    assert not LogEntry.objects.filter(object_id=str(lead.pk)).exists()


# --- Two-factor devices -----------------------------------------------------------


def test_no_admin_page_shows_a_two_factor_secret(client, administrator):
    other = UserFactory(role=Role.PRACTITIONER)
    device = TOTPDeviceFactory(user=other)
    secret = base64.b32encode(device.bin_key).decode().rstrip("=")

    for url in (
        f"/admin/otp_totp/totpdevice/{device.pk}/config/",
        f"/admin/otp_totp/totpdevice/{device.pk}/qrcode/",
    ):
        response = client.get(url)
        assert response.status_code in (403, 404), url
        assert secret not in response.content.decode()
        assert device.key not in response.content.decode()
    change = client.get(f"/admin/otp_totp/totpdevice/{device.pk}/change/")
    assert change.status_code == 200
    page = change.content.decode()
    assert device.key not in page and secret not in page
    assert 'name="key"' not in page
    listing = client.get("/admin/otp_totp/totpdevice/").content.decode()
    assert device.key not in listing and "qrcode" not in listing.lower()


def test_a_superuser_sees_no_secret_either(client):
    boss = UserFactory(
        role=Role.ADMINISTRATOR, is_staff=True, is_superuser=True, organisation=None
    )
    sign_in_verified(client, boss)
    device = TOTPDeviceFactory(user=UserFactory(role=Role.PRACTITIONER))
    response = client.get(f"/admin/otp_totp/totpdevice/{device.pk}/config/")
    assert response.status_code in (403, 404)
    assert device.key not in response.content.decode()


def test_reset_two_factor_deletes_the_device_and_logs_it(client, administrator):
    other = UserFactory(role=Role.PRACTITIONER)
    device = TOTPDeviceFactory(user=other)
    response = client.post(
        "/admin/otp_totp/totpdevice/",
        {"action": "reset_two_factor", "_selected_action": [device.pk]},
    )
    assert response.status_code == 302
    assert not TOTPDevice.objects.filter(user=other).exists()
    entry = LogEntry.objects.get(object_id=str(device.pk), action_flag=DELETION)
    assert entry.user_id == administrator.pk
    assert json.loads(entry.change_message)["before"]["user"] == other.email


# --- No silent takeover -----------------------------------------------------------


def test_the_admin_cannot_set_another_users_password(client, administrator):
    other = UserFactory(role=Role.PRACTITIONER)
    before = other.password
    url = f"/admin/accounts/user/{other.pk}/password/"
    page = client.get(url, follow=True)
    assert 'name="password1"' not in page.content.decode()
    response = client.post(
        url, {"password1": "a-brand-new-pass-123", "password2": "a-brand-new-pass-123"}
    )
    assert response.status_code in (302, 404)
    other.refresh_from_db()
    assert other.password == before
    change = client.get(f"/admin/accounts/user/{other.pk}/change/").content.decode()
    assert 'name="password1"' not in change and "password/" not in change


def test_the_admin_sends_a_set_password_link_it_never_sees(client, administrator):
    other = UserFactory(role=Role.PRACTITIONER)
    response = client.post(
        "/admin/accounts/user/",
        {"action": "send_set_password_link", "_selected_action": [other.pk]},
        follow=True,
    )
    assert response.status_code == 200
    mail = Notification.objects.get(to=other.email)
    assert "/account/set-password/" in mail.body
    link = mail.body.split(" ")[-1]
    assert link.split("/account/set-password/")[1] not in response.content.decode()
    assert Organisation.objects.exists()  # nothing else touched


def test_moving_a_worker_to_another_locality_in_the_admin(client, administrator):
    worker = UserFactory(role=Role.PRACTITIONER, localities=["erdington"])
    case = CaseFactory()
    join_team(case, worker)
    ladywood = Locality.objects.get(slug="ladywood")
    page = client.get(f"/admin/accounts/user/{worker.pk}/change/").content.decode()
    assert 'name="work_localities"' in page and 'name="password' not in page

    response = client.post(
        f"/admin/accounts/user/{worker.pk}/change/",
        {
            "email": worker.email,
            "full_name": worker.full_name,
            "role": "practitioner",
            "organisation": worker.organisation_id,
            "work_localities": [ladywood.pk],
            "is_active": "on",
        },
    )

    assert response.status_code == 302, response.content.decode()[:3000]
    assert list(worker.memberships.values_list("locality__slug", flat=True)) == [
        "ladywood"
    ]
    assert not case.members.filter(user=worker).exists()
    logged = json.loads(
        LogEntry.objects.get(
            object_id=str(worker.pk), action_flag=CHANGE
        ).change_message
    )
    assert logged["before"]["localities"] == ["erdington"]
    assert logged["after"]["localities"] == ["ladywood"]


def test_the_admins_own_password_page_is_the_services_own(administrator, client):
    """Django's admin page would change the password without ending other
    sessions, revoking API tokens or telling the user."""
    response = client.get("/admin/password_change/")
    assert response.status_code == 302
    assert response["Location"] == "/account/password/"


def test_the_admin_sets_a_users_work_phone(client, administrator):
    worker = UserFactory(role=Role.PRACTITIONER, localities=["erdington"])
    assert worker.phone == ""
    response = client.post(
        f"/admin/accounts/user/{worker.pk}/change/",
        {
            "email": worker.email,
            "full_name": worker.full_name,
            "phone": " 0121 496 0000 ",
            "role": "practitioner",
            "organisation": worker.organisation_id,
            "work_localities": [Locality.objects.get(slug="erdington").pk],
            "is_active": "on",
        },
    )
    assert response.status_code == 302, response.content.decode()[:3000]
    worker.refresh_from_db()
    assert worker.phone == "0121 496 0000"
    entry = LogEntry.objects.get(object_id=str(worker.pk), action_flag=CHANGE)
    assert json.loads(entry.change_message)["after"]["phone"] == "0121 496 0000"
