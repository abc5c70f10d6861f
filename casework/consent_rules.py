"""Who may give or withdraw consent for a person, by their age on the day
(pure; no database).

- A child under 13: a parent or carer.
- A young person of 13 to 17: a parent or carer, or the young person
  themself when they are competent to decide (the "competent young person").
- An adult: the person themself.

A person whose date of birth we do not know is not held to an age.
"""

from __future__ import annotations

from datetime import date

from casework.models.consent import ConsentGiver

CHILD_UNDER = 13
ADULT_FROM = 18


def age_on(date_of_birth: date, day: date) -> int:
    """Whole years from ``date_of_birth`` to ``day`` (negative before birth)."""
    years = day.year - date_of_birth.year
    if (day.month, day.day) < (date_of_birth.month, date_of_birth.day):
        years -= 1
    return years


def givers_allowed(date_of_birth: date | None, day: date) -> set[str]:
    """Who may give or withdraw consent for someone born on ``date_of_birth``,
    on ``day``."""
    if date_of_birth is None:
        return set(ConsentGiver.values)
    age = age_on(date_of_birth, day)
    if age < CHILD_UNDER:
        return {ConsentGiver.PARENT_CARER}
    if age < ADULT_FROM:
        return {ConsentGiver.PARENT_CARER, ConsentGiver.COMPETENT_YOUNG_PERSON}
    return {ConsentGiver.SELF}


def giver_problem(
    *, name: str, date_of_birth: date | None, day: date, giver: str, withdrawing: bool
) -> str | None:
    """Why ``giver`` may not give (or withdraw) consent for the person on
    ``day``; None when they may."""
    if giver in givers_allowed(date_of_birth, day):
        return None
    assert date_of_birth is not None  # anyone may, when the age is not known
    act = "withdraw" if withdrawing else "give"
    age = age_on(date_of_birth, day)
    if age < CHILD_UNDER:
        return f"{name} is under 13, so a parent or carer must {act} consent for them"
    if age < ADULT_FROM:
        return (
            f"{name} is under 18: choose a competent young person if they "
            f"{'withdrew' if withdrawing else 'gave'} consent themself, or a "
            "parent or carer"
        )
    return (
        f"{name} is an adult, so only they can {act} consent: choose the person "
        "themself"
    )
