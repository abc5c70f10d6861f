"""The reasons for connection of PRODUCT §6 (seed 002's outcome framework)."""

from django.db import migrations

REASONS = [
    (
        "financial_housing_employment",
        "Financial, housing, employment or training needs",
    ),
    ("health_emotional_wellbeing", "Health and emotional wellbeing"),
    ("children_young_people", "Children and young people who need help"),
    ("domestic_abuse", "Domestic abuse"),
    ("education", "Education, including attendance"),
    ("risk_of_homelessness", "Risk of homelessness"),
    ("parental_conflict", "Conflict between parents"),
    ("neglect", "Neglect"),
    ("substance_misuse", "Drug or alcohol misuse"),
    ("sen_autism", "Special educational needs or autism"),
    ("bereavement", "Bereavement"),
    ("exploitation", "Exploitation, including criminal and sexual exploitation"),
    ("other", "Something else"),
]


def load(apps, schema_editor):
    Reason = apps.get_model("family_connect", "Reason")
    for position, (code, label) in enumerate(REASONS, start=1):
        Reason.objects.update_or_create(
            code=code, defaults={"label": label, "position": position * 10}
        )


def unload(apps, schema_editor):
    Reason = apps.get_model("family_connect", "Reason")
    Reason.objects.filter(code__in=[code for code, _ in REASONS]).delete()


class Migration(migrations.Migration):
    dependencies = [("family_connect", "0001_initial")]

    operations = [migrations.RunPython(load, unload)]
