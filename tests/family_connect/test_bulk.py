from __future__ import annotations

import csv
import io

import pytest

from accounts.roles import Role
from family_connect.bulk import COLUMNS, EXAMPLE, template_csv
from family_connect.models import FamilyConnectForm
from tests.factories import OrganisationFactory, UserFactory
from tests.helpers import sign_in

pytestmark = pytest.mark.django_db


def csv_file(rows: list[dict[str, str]]) -> io.BytesIO:
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=COLUMNS)
    writer.writeheader()
    for row in rows:
        writer.writerow({**EXAMPLE, **row})
    upload = io.BytesIO(out.getvalue().encode())
    upload.name = "families.csv"
    return upload


@pytest.fixture
def uploader(client):
    user = UserFactory(
        role=Role.REQUESTER,
        organisation=OrganisationFactory(name="Hardship Fund", kind="vcs"),
    )
    sign_in(client, user)
    return user


GOOD = [
    {"child_given_name": "Ayesha"},
    {"child_given_name": "Bilal", "postcode": "b9 4aa"},
    {"child_given_name": "Chloe", "consent": "no", "request_type": "consultation"},
]
BAD = [
    {"child_given_name": "Dan", "postcode": "nowhere"},
    {"child_given_name": "Eve", "child_date_of_birth": "2999-01-01"},
]


def test_three_good_and_two_bad_rows_make_three_forms_and_report_both(client, uploader):
    rows = [GOOD[0], BAD[0], GOOD[1], BAD[1], GOOD[2]]
    response = client.post("/family-connect/bulk/", {"file": csv_file(rows)})
    assert response.status_code == 200
    result = response.context["result"]
    assert len(result.created) == 3
    assert FamilyConnectForm.objects.filter(route="bulk").count() == 3
    assert {(e.row, e.column) for e in result.errors} == {
        (3, "postcode"),
        (5, "child_date_of_birth"),
    }
    html = response.content.decode()
    assert "3 forms created" in html and "Enter a real postcode" in html
    form = FamilyConnectForm.objects.get(members__given_name="Bilal")
    assert form.postcode == "B9 4AA" and form.organisation == uploader.organisation
    assert form.entered_by == uploader


def test_one_e_mail_per_upload_to_the_uploader_and_each_triage_inbox(
    client, uploader, django_capture_on_commit_callbacks
):
    manager = UserFactory(role=Role.LOCALITY_MANAGER, localities=["erdington"])
    with django_capture_on_commit_callbacks(execute=True):
        client.post("/family-connect/bulk/", {"file": csv_file([GOOD[0], GOOD[2]])})
    from django.core import mail

    assert sorted(m.to[0] for m in mail.outbox) == sorted(
        [uploader.email, manager.email]
    )
    for message in mail.outbox:
        assert "Ayesha" not in message.body and "Khan" not in message.body


def test_a_corrected_copy_creates_only_the_corrected_rows(client, uploader):
    client.post("/family-connect/bulk/", {"file": csv_file([GOOD[0], BAD[0]])})
    assert FamilyConnectForm.objects.count() == 1
    fixed = {**BAD[0], "postcode": "B23 6TJ"}
    response = client.post(
        "/family-connect/bulk/", {"file": csv_file([GOOD[0], fixed])}
    )
    assert FamilyConnectForm.objects.count() == 2
    assert len(response.context["result"].already) == 1


def test_a_malformed_csv_is_refused_with_a_message(client, uploader):
    huge = ",".join(COLUMNS) + "\n" + '"' + "x" * 200_000 + '"\n'
    upload = io.BytesIO(huge.encode())
    upload.name = "families.csv"
    response = client.post("/family-connect/bulk/", {"file": upload})
    assert response.status_code == 200
    assert "not a CSV file we can read" in response.content.decode()
    assert FamilyConnectForm.objects.count() == 0


def test_uploading_the_same_file_again_creates_nothing_new(client, uploader):
    content = csv_file(GOOD).getvalue()
    for _ in range(2):
        upload = io.BytesIO(content)
        upload.name = "families.csv"
        response = client.post("/family-connect/bulk/", {"file": upload})
    assert FamilyConnectForm.objects.count() == 3
    assert len(response.context["result"].already) == 3


def test_a_file_without_the_columns_is_refused_whole(client, uploader):
    upload = io.BytesIO(b"name,age\nAyesha,10\n")
    upload.name = "families.csv"
    response = client.post("/family-connect/bulk/", {"file": upload})
    assert "missing these columns" in response.content.decode()
    assert FamilyConnectForm.objects.count() == 0


def test_a_binary_file_is_refused(client, uploader):
    upload = io.BytesIO(b"\x89PNG\r\n\x1a\n\x00\x00")
    upload.name = "families.csv"
    response = client.post("/family-connect/bulk/", {"file": upload})
    assert "CSV file saved as UTF-8" in response.content.decode()
    assert FamilyConnectForm.objects.count() == 0


def test_template_matches_the_columns(client, uploader):
    response = client.get("/family-connect/bulk/template.csv")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/csv")
    assert response.content.decode() == template_csv()
    header = next(csv.reader(io.StringIO(template_csv())))
    assert header == COLUMNS


@pytest.mark.parametrize("role", [Role.PRACTITIONER, Role.AUDITOR, Role.ADMINISTRATOR])
def test_other_roles_cannot_upload(client, role):
    from tests.helpers import sign_in_verified

    user = UserFactory(role=role, localities=["erdington"])
    sign_in_verified(client, user)
    response = client.post("/family-connect/bulk/", {"file": csv_file(GOOD)})
    assert response.status_code == 404
    assert FamilyConnectForm.objects.count() == 0
