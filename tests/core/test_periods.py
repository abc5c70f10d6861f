from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from hypothesis import given
from hypothesis import strategies as st

from core.periods import (
    Month,
    add_months,
    financial_year_of,
    half_year_of,
    months_between,
    months_from_options,
    previous_month,
)

UTC = ZoneInfo("UTC")


@pytest.mark.parametrize(
    ("day", "months", "expected"),
    [
        (date(2024, 1, 31), 1, date(2024, 2, 29)),
        (date(2023, 1, 31), 1, date(2023, 2, 28)),
        (date(2024, 3, 31), -1, date(2024, 2, 29)),
        (date(2024, 8, 31), 1, date(2024, 9, 30)),
        (date(2024, 11, 15), 3, date(2025, 2, 15)),
        (date(2024, 1, 10), -13, date(2022, 12, 10)),
    ],
)
def test_add_months_clamps_to_the_end_of_the_month(day, months, expected):
    assert add_months(day, months) == expected


@given(
    st.dates(min_value=date(1950, 1, 1), max_value=date(2200, 12, 31)),
    st.integers(-600, 600),
)
def test_add_months_lands_in_the_right_month_and_never_later_in_it(day, months):
    result = add_months(day, months)
    assert (result.year * 12 + result.month) - (day.year * 12 + day.month) == months
    assert result.day <= day.day


def test_month_bounds_are_local_midnights_across_summer_time():
    start, end = Month(2024, 5).bounds()
    assert start == datetime(2024, 4, 30, 23, 0, tzinfo=UTC)
    assert end == datetime(2024, 5, 31, 23, 0, tzinfo=UTC)
    # March has 31 days but only 743 hours in London (clocks go forward).
    start, end = Month(2024, 3).bounds()
    assert end.astimezone(UTC) - start.astimezone(UTC) == timedelta(hours=31 * 24 - 1)


def test_a_moment_just_after_local_midnight_belongs_to_the_new_month():
    moment = datetime(2024, 4, 30, 23, 30, tzinfo=UTC)  # 00:30 BST on 1 May
    assert Month.of(moment) == Month(2024, 5)


@pytest.mark.parametrize(
    "text", ["2024-13", "2024-5", "May 2024", "", "2024-00", "20240-01"]
)
def test_parse_refuses_anything_but_yyyy_mm(text):
    with pytest.raises(ValueError):
        Month.parse(text)


def test_parse_and_label():
    month = Month.parse("2020-09")
    assert str(month) == "2020-09"
    assert month.label() == "September 2020"
    assert previous_month(date(2021, 1, 1)) == Month(2020, 12)


@pytest.mark.parametrize(
    ("month", "half"),
    [
        (Month(2020, 4), (Month(2020, 4), Month(2020, 9))),
        (Month(2020, 9), (Month(2020, 4), Month(2020, 9))),
        (Month(2020, 10), (Month(2020, 10), Month(2021, 3))),
        (Month(2021, 3), (Month(2020, 10), Month(2021, 3))),
    ],
)
def test_half_years_run_april_to_september_and_october_to_march(month, half):
    assert half_year_of(month) == half


def test_financial_year_and_month_ranges():
    assert financial_year_of(Month(2021, 2)) == (Month(2020, 4), Month(2021, 3))
    months = months_between(Month(2020, 11), Month(2021, 2))
    assert [str(m) for m in months] == ["2020-11", "2020-12", "2021-01", "2021-02"]
    assert months_between(Month(2021, 2), Month(2021, 1)) == []


def test_a_months_end_is_midnight_in_london_whatever_the_clocks():
    # 31 May on British Summer Time: the month ends at 23:00 UTC.
    assert Month(2026, 5).end == datetime(2026, 5, 31, 23, 0, tzinfo=UTC)
    # 30 November on Greenwich Mean Time: at 00:00 UTC.
    assert Month(2026, 11).end == datetime(2026, 12, 1, 0, 0, tzinfo=UTC)
    assert Month(2026, 11).bounds()[1] == Month(2026, 11).end


def test_a_report_counts_up_to_the_months_end_or_now_while_it_runs():
    november = Month(2026, 11)
    later = datetime(2026, 12, 2, 5, 0, tzinfo=UTC)
    assert november.until(later) == november.end
    during = datetime(2026, 11, 20, 9, 0, tzinfo=UTC)
    assert november.until(during) == during


def test_a_commands_period_and_months_name_the_months_oldest_first():
    assert months_from_options({"period": "2026-02", "months": 1}) == [Month(2026, 2)]
    assert months_from_options({"period": "2026-02", "months": 3}) == [
        Month(2025, 12),
        Month(2026, 1),
        Month(2026, 2),
    ]


@pytest.mark.django_db
@pytest.mark.parametrize("command", ["run_audit_report", "run_scorecard"])
@pytest.mark.parametrize(
    ("arguments", "message"),
    [
        (["--period", "May 2024"], r"Enter a month as YYYY-MM.*'May 2024'"),
        (["--period", "2024-13"], "Not a month: 2024-13"),
        (["--period", "2024-05", "--months", "0"], "--months must be 1 or more"),
        (["--period", "2024-05", "--months", "-2"], "--months must be 1 or more"),
    ],
)
def test_the_monthly_commands_refuse_a_bad_period_or_months(
    command, arguments, message
):
    with pytest.raises(CommandError, match=message):
        call_command(command, *arguments)
