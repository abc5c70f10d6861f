"""Every CSV the application exports neutralises formula injection: no cell,
read back as a spreadsheet reads it, starts with a character that makes it a
formula (OWASP: = + - @ tab carriage return)."""

from __future__ import annotations

import csv
import io

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from core.exports import FORMULA_STARTS, csv_response

cells = st.one_of(
    st.text(),
    st.sampled_from(FORMULA_STARTS).flatmap(lambda c: st.text().map(lambda t: c + t)),
)


def read_back(response) -> list[list[str]]:
    return list(csv.reader(io.StringIO(response.content.decode("utf-8"))))


@settings(max_examples=300, deadline=None)
@given(
    header=st.lists(cells, min_size=1, max_size=4),
    rows=st.lists(st.lists(cells, min_size=1, max_size=4), max_size=5),
)
def test_no_exported_text_cell_starts_with_a_formula_character(header, rows):
    response = csv_response("export.csv", header, rows)
    for row in read_back(response):
        for cell in row:
            assert not cell.startswith(FORMULA_STARTS), cell


@given(text=cells)
def test_the_text_is_kept_after_the_neutralising_quote(text):
    (row,) = read_back(csv_response("export.csv", [text], []))
    assert row[0] in (text, "'" + text) or "\r" in text  # csv turns \r\n into \n


def test_numbers_stay_numbers():
    (header, row) = read_back(csv_response("x.csv", ["value"], [[12.5]]))
    assert row == ["12.5"]


@pytest.mark.django_db
def test_the_scorecard_export_neutralises_an_indicator_title(client):
    import datetime as dt

    from accounts.roles import Role
    from core.periods import Month
    from scorecard.models import Indicator
    from scorecard.services import scorecard_run
    from tests.factories import FormFactory, UserFactory
    from tests.helpers import sign_in_verified

    Indicator.objects.filter(ref="EH01").update(title='=HYPERLINK("http://x","y")')
    FormFactory(received_at=dt.datetime(2024, 5, 10, tzinfo=dt.UTC))
    scorecard_run(period=Month(2024, 5))
    sign_in_verified(client, UserFactory(role=Role.PERFORMANCE_LEAD, organisation=None))
    response = client.get("/scorecard/export.csv?month=2024-05")
    assert response.status_code == 200
    rows = read_back(response)
    titles = {row[4] for row in rows[1:]}
    assert '\'=HYPERLINK("http://x","y")' in titles
    assert all(not c.startswith(FORMULA_STARTS) for row in rows for c in row)
