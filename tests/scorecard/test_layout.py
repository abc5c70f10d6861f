"""How the scorecard reads: references never wrap, EH07's rows are labelled in
words in the PDF, and a partner indicator names its owner once."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from django.template.loader import render_to_string

from accounts.roles import Role
from core.periods import Month
from scorecard.documents import _parts
from scorecard.models import Indicator
from scorecard.services import scorecard_run
from tests.factories import UserFactory
from tests.helpers import sign_in_verified

pytestmark = pytest.mark.django_db

STATIC = Path(__file__).resolve().parents[2] / "core" / "static"


def css_rule(path: Path, selector: str) -> str:
    css = path.read_text()
    found = re.search(re.escape(selector) + r"\s*\{([^}]*)\}", css)
    assert found, selector
    return found[1]


def test_references_never_wrap_in_the_html_or_the_pdf():
    assert "white-space: nowrap" in css_rule(
        STATIC / "core" / "app.css", ".ehc-scorecard .ehc-ref"
    )
    pdf_css = STATIC / "pdf" / "scorecard.css"
    assert "white-space: nowrap" in css_rule(pdf_css, "table.scorecard .ref")
    assert "white-space: nowrap" in css_rule(pdf_css, "table.definitions .ref")


def test_eh07_rows_are_labelled_in_words_in_the_pdf():
    release = scorecard_run(period=Month(2024, 5))
    city, *_, definitions = _parts(release)
    page = render_to_string("pdf/scorecard.html", city)
    refs = re.findall(r'<th scope="row" class="ref">(.*?)</th>', page, re.S)
    assert refs.count("EH07") == 13
    # A row's reference is one word: no reason code, nothing to break it.
    assert all(re.fullmatch(r"[A-Z]+[0-9.]+[A-Za-z]?", ref) for ref in refs), refs
    assert "financial_housing_employment" not in page
    assert "Reasons for connection: Domestic abuse" in page
    page = render_to_string("pdf/scorecard.html", definitions)
    assert "domestic_abuse" not in page


def test_a_partner_indicator_names_its_owner_once(client):
    partners = Indicator.objects.filter(source="partner")
    assert partners.count() >= 5
    for indicator in partners:
        assert indicator.data_owner not in indicator.title, indicator.title
    sign_in_verified(client, UserFactory(role=Role.PERFORMANCE_LEAD, organisation=None))
    page = client.get("/scorecard/partner-figures/").content.decode()
    option = re.search(r'<option value="OF3\.5"[^>]*>([^<]*)</option>', page)[1]
    assert option.count("Birmingham Children&#x27;s Trust") == 1, option
    assert option == "OF3.5: Number of contacts (Birmingham Children&#x27;s Trust)"
