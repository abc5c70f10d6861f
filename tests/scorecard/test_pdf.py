"""The scorecard PDF: a city page, a page per locality, the definitions; every
reference and the city's values for the month in its text."""

from __future__ import annotations

import datetime as dt
import io

import pytest
from pypdf import PdfReader
from rest_framework.test import APIClient

from accounts.roles import Role
from accounts.services import api_token_issue
from core.periods import Month
from localities.models import Locality
from scorecard.models import Indicator, ReleasePDF
from scorecard.report import display, scorecard_lines
from scorecard.services import scorecard_run
from tests.factories import FormFactory, UserFactory
from tests.scorecard.helpers import UTC, loc

pytestmark = pytest.mark.django_db


def test_values_are_displayed_half_up():
    assert display(47.0, "percent") == "47.0%"
    assert display(100 / 3, "percent") == "33.3%"
    assert display(0.25, "median_days") == "0.3"  # half up, not to even
    assert display(4.125, "mean") == "4.13"
    assert display(12345.0, "count") == "12,345"
    assert display(None, "percent") == "–"


def test_the_pdf_of_the_latest_release(tmp_path, django_capture_on_commit_callbacks):
    for month in (4, 5):
        for _ in range(month):
            FormFactory(
                received_at=dt.datetime(2024, month, 10, tzinfo=UTC),
                locality=loc("erdington"),
            )
        release = scorecard_run(period=Month(2024, month))
    lead = UserFactory(role=Role.PERFORMANCE_LEAD, organisation=None)
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {api_token_issue(user=lead)}")
    # The first ask queues the job (one per release) and answers 202: the
    # request itself renders nothing.
    with django_capture_on_commit_callbacks() as sent:
        waiting = client.get(
            "/api/v1/scorecard/2024-05/pdf/", HTTP_ACCEPT="application/pdf"
        )
        client.get("/api/v1/scorecard/2024-05/pdf/", HTTP_ACCEPT="application/pdf")
    assert waiting.status_code == 202
    assert waiting["Content-Type"] == "application/json"
    assert waiting["Retry-After"] == "5"
    assert waiting["Location"] == "/api/v1/scorecard/2024-05/pdf/"
    assert waiting.json() == {
        "status": "queued",
        "progress": 0,
        "release": release.pk,
        "detail": "The PDF is being made: ask again in a few seconds.",
    }
    assert len(sent) == 1
    assert ReleasePDF.objects.get(release=release).status == "queued"
    sent[0]()  # the worker's task (in-process here)
    response = client.get(
        "/api/v1/scorecard/2024-05/pdf/", HTTP_ACCEPT="application/pdf"
    )
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    pdf = response.content
    (tmp_path / "scorecard.pdf").write_bytes(pdf)
    reader = PdfReader(io.BytesIO(pdf))
    pages = [page.extract_text() for page in reader.pages]
    text = "\n".join(pages)
    # A breakdown row (EH07's reasons) prints its indicator's reference and
    # says in words which row it is; join lines to find long titles.
    joined = text.replace("\n", " ")
    assert "Early help scorecard: Birmingham (city), May 2024" in pages[0]
    for locality in Locality.objects.all():
        assert f"Early help scorecard: {locality.name}, May 2024" in text
    for indicator in Indicator.objects.filter(active=True):
        assert indicator.family_ref in joined, indicator.ref
        assert " ".join(indicator.title.split()[:3]) in joined, indicator.ref
    assert "domestic_abuse" not in joined
    first_locality = next(
        n for n, page in enumerate(pages) if "scorecard: Edgbaston" in page
    )
    city_pages = "\n".join(pages[:first_locality])
    lines = scorecard_lines(Month(2024, 5))[None]
    for line in lines:
        assert line.indicator.family_ref in city_pages
        assert line.current in city_pages, (line.indicator.ref, line.current)
    eh01 = next(line for line in lines if line.indicator.ref == "EH01")
    assert (eh01.current, eh01.dot_words) == ("5", "Higher")  # 4 → 5, neutral
    assert "Higher" in city_pages
    # The city, the localities by name, then the definitions: each its own
    # part, numbered from its first page.
    titles = [
        "Birmingham (city)",
        *Locality.objects.order_by("name").values_list("name", flat=True),
    ]
    firsts = [
        next(n for n, page in enumerate(pages) if f"scorecard: {title}," in page)
        for title in titles
    ]
    assert firsts == sorted(firsts) and firsts[0] == 0
    assert all("Page 1 of" in pages[n] for n in firsts)
    definitions = next(n for n, page in enumerate(pages) if "Definitions" in page)
    assert definitions > firsts[-1] and "Page 1 of" in pages[definitions]
    assert reader.metadata.title == "Early help scorecard: May 2024"
    # Made once: the second request serves the stored PDF.
    assert ReleasePDF.objects.filter(release=release).count() == 1
    again = client.get("/api/v1/scorecard/2024-05/pdf/")
    assert again.content == pdf
