"""The GOV.UK date filter: "2 May 2024", as Django's ``date_format`` with
"j F Y" gives it, for dates, naive and aware datetimes and ISO strings."""

from __future__ import annotations

import datetime as dt

import pytest
from django.template import Context, Template
from django.utils import formats

from core.periods import LONDON
from core.templatetags.govuk import govuk_date

VALUES = [
    *(dt.date(2024, month, 2) for month in range(1, 13)),
    dt.date(2024, 12, 31),
    dt.date(987, 3, 4),
    dt.datetime(2024, 5, 2, 23, 30),
    # The day in the value's own zone, whatever the current one.
    dt.datetime(2024, 6, 30, 23, 30, tzinfo=dt.UTC),
    dt.datetime(2024, 7, 1, 0, 30, tzinfo=LONDON),
    dt.datetime(2024, 10, 27, 1, 30, tzinfo=LONDON),  # the clocks go back
]


@pytest.mark.parametrize("value", VALUES, ids=str)
def test_dates_and_datetimes_read_as_date_format_gives_them(value):
    plain = (
        value.date() if isinstance(value, dt.datetime) and not value.tzinfo else value
    )
    assert govuk_date(value) == formats.date_format(plain, "j F Y")


def test_iso_strings_are_read_and_anything_else_is_left_or_blank():
    assert govuk_date("2024-05-02") == "2 May 2024"
    assert govuk_date("2 May") == "2 May"
    assert govuk_date(None) == ""
    assert govuk_date(20240502) == ""


def test_in_a_template_an_aware_datetime_shows_the_day_in_london():
    # 23:30 UTC on 30 June is 00:30 on 1 July in London (summer time).
    template = Template("{% load govuk %}{{ value|govuk_date }}")
    late = dt.datetime(2024, 6, 30, 23, 30, tzinfo=dt.UTC)
    assert template.render(Context({"value": late})) == "1 July 2024"
    # In winter London is on UTC: the same day.
    winter = dt.datetime(2024, 12, 30, 23, 30, tzinfo=dt.UTC)
    assert template.render(Context({"value": winter})) == "30 December 2024"
    assert template.render(Context({"value": dt.date(2024, 6, 30)})) == "30 June 2024"
