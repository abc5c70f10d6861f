"""The reasons for connection of PRODUCT §6, as loaded by migration 0002.

Labels are marked for translation so the public journey can show them in Urdu.
Codes are stable: reports and the API rely on them.
"""

from django.utils.translation import gettext_noop

REASONS = [
    (
        "financial_housing_employment",
        gettext_noop("Financial, housing, employment or training needs"),
    ),
    ("health_emotional_wellbeing", gettext_noop("Health and emotional wellbeing")),
    ("children_young_people", gettext_noop("Children and young people who need help")),
    ("domestic_abuse", gettext_noop("Domestic abuse")),
    ("education", gettext_noop("Education, including attendance")),
    ("risk_of_homelessness", gettext_noop("Risk of homelessness")),
    ("parental_conflict", gettext_noop("Conflict between parents")),
    ("neglect", gettext_noop("Neglect")),
    ("substance_misuse", gettext_noop("Drug or alcohol misuse")),
    ("sen_autism", gettext_noop("Special educational needs or autism")),
    ("bereavement", gettext_noop("Bereavement")),
    (
        "exploitation",
        gettext_noop("Exploitation, including criminal and sexual exploitation"),
    ),
    ("other", gettext_noop("Something else")),
]
