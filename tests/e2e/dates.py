"""Typing a date into a GOV.UK date input, as a person does: day, month and
year, in the boxes of the question named ``legend``."""

from __future__ import annotations

import datetime as dt


def fill_date(page, legend: str, day: dt.date) -> None:
    group = page.get_by_role("group", name=legend)
    group.get_by_label("Day").fill(str(day.day))
    group.get_by_label("Month").fill(str(day.month))
    group.get_by_label("Year").fill(str(day.year))
