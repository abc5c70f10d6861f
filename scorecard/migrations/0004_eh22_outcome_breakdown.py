"""EH22's breakdown by referral outcome: a row per step-up outcome, and one for
step-ups awaiting their outcome, placed after EH22."""

from django.db import migrations
from django.db.models import F

OUTCOMES = [
    ("accepted_for_assessment", "accepted for assessment"),
    ("nfa_returned_to_early_help", "no further action, back to early help"),
    ("child_protection", "child protection"),
    ("other", "other outcome"),
    ("awaiting_outcome", "outcome not yet known"),
]


def load(apps, schema_editor):
    Indicator = apps.get_model("scorecard", "Indicator")
    eh22 = Indicator.objects.get(ref="EH22")
    Indicator.objects.filter(position__gt=eh22.position).update(
        position=F("position") + len(OUTCOMES)
    )
    for offset, (code, words) in enumerate(OUTCOMES, start=1):
        Indicator.objects.update_or_create(
            ref=f"EH22:{code}",
            defaults={
                "section": eh22.section,
                "title": f"Referred to the initial contact team: {words}",
                "definition": "Of EH22's children, those whose step-up in the month "
                f"had this outcome ({words}); a child counts once per outcome.",
                "unit": "percent",
                "polarity": "neutral",
                "data_owner": eh22.data_owner,
                "source": "computed",
                "position": eh22.position + offset,
            },
        )


def unload(apps, schema_editor):
    Indicator = apps.get_model("scorecard", "Indicator")
    Indicator.objects.filter(ref__startswith="EH22:").delete()
    eh22 = Indicator.objects.get(ref="EH22")
    Indicator.objects.filter(position__gt=eh22.position + len(OUTCOMES)).update(
        position=F("position") - len(OUTCOMES)
    )


class Migration(migrations.Migration):
    dependencies = [("scorecard", "0003_release_pdf")]

    operations = [migrations.RunPython(load, unload)]
