"""Partner-supplied figures: keyed in or uploaded by performance leads; a bad
file saves nothing; EH23 reads EH23D."""

from __future__ import annotations

import json

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from accounts.roles import Role
from scorecard.models import PartnerFigure
from tests.factories import UserFactory
from tests.helpers import sign_in_verified

pytestmark = pytest.mark.django_db
URL = "/scorecard/partner-figures/"


@pytest.fixture
def lead(client):
    user = UserFactory(role=Role.PERFORMANCE_LEAD, organisation=None)
    sign_in_verified(client, user)
    return user


def test_keying_in_a_figure_and_replacing_it(client, lead):
    data = {"ref": "EH23D", "period": "2026-10", "locality": "", "value": "42"}
    assert client.post(URL, data).status_code == 302
    data["value"] = "45"
    client.post(URL, data)
    figure = PartnerFigure.objects.get()
    assert (figure.value, figure.locality, figure.entered_by) == (45.0, None, lead)
    client.post(URL, {**data, "locality": "erdington", "value": "4"})
    assert PartnerFigure.objects.count() == 2
    # Each entry is in the change log with what it replaced.
    from django.contrib.admin.models import LogEntry

    entries = [
        json.loads(e.change_message)
        for e in LogEntry.objects.filter(object_id=str(figure.pk)).order_by("pk")
    ]
    assert entries == [
        {"before": None, "after": {"value": 42.0}},
        {"before": {"value": 42.0}, "after": {"value": 45.0}},
    ]


@pytest.mark.parametrize(
    "change, message",
    [
        ({"ref": "EH01"}, "Choose a partner-supplied indicator"),
        ({"period": "October"}, "YYYY-MM"),
        ({"locality": "atlantis"}, "No locality has that slug"),
        ({"value": "lots"}, "Enter the figure as a number"),
        ({"value": "-3"}, "0 or more"),
        ({"value": "nan"}, "0 or more"),
    ],
)
def test_bad_figures_are_refused_with_a_message(client, lead, change, message):
    data = {"ref": "EH23D", "period": "2026-10", "locality": "", "value": "42"}
    page = client.post(URL, {**data, **change})
    assert page.status_code == 200
    text = page.content.decode()
    assert "There is a problem" in text and message in text
    assert not PartnerFigure.objects.exists()


def test_a_csv_upload_saves_every_row_or_none(client, lead):
    good = b"ref,period,locality,value\nOF7.2,2026-10,,2898\nOF7.3,2026-10,,352\n"
    bad = good + b"OF7.4,2026-13,,930\n"
    page = client.post(URL, {"file": SimpleUploadedFile("f.csv", bad, "text/csv")})
    assert "Row 4, period" in page.content.decode()
    assert not PartnerFigure.objects.exists()
    client.post(URL, {"file": SimpleUploadedFile("f.csv", good, "text/csv")})
    assert sorted(PartnerFigure.objects.values_list("indicator__ref", "value")) == [
        ("OF7.2", 2898.0),
        ("OF7.3", 352.0),
    ]
    template = client.get("/scorecard/partner-figures/template.csv")
    assert template.content.decode().startswith("ref,period,locality,value")


@pytest.mark.parametrize(
    "role", [Role.LOCALITY_MANAGER, Role.PRACTITIONER, Role.AUDITOR, Role.ADMINISTRATOR]
)
def test_only_performance_leads_enter_figures(client, role):
    sign_in_verified(client, UserFactory(role=role, organisation=None))
    data = {"ref": "EH23D", "period": "2026-10", "locality": "", "value": "42"}
    assert client.post(URL, data).status_code == 404
    assert client.get(URL).status_code == 404
    assert not PartnerFigure.objects.exists()


def test_every_problem_with_a_figure_is_listed_at_once_linked_to_its_field(
    client, lead
):
    from tests.error_summary import error_summary

    page = client.post(
        URL, {"ref": "EH01", "period": "October", "locality": "atlantis", "value": "x"}
    )
    assert page.status_code == 200
    assert [target for target, _ in error_summary(page.content)] == [
        "figure-ref",
        "figure-period",
        "figure-locality",
        "figure-value",
    ]
    assert not PartnerFigure.objects.exists()


def test_an_upload_lists_every_problem_of_every_row(client, lead):
    bad = b"ref,period,locality,value\nEH01,October,,lots\n"
    page = client.post(
        URL, {"file": SimpleUploadedFile("f.csv", bad, content_type="text/csv")}
    )
    text = page.content.decode()
    for message in ("Row 2, ref:", "Row 2, period:", "Row 2, value:"):
        assert message in text
    assert not PartnerFigure.objects.exists()
