"""The reasons for connection of PRODUCT §6 (seed 002's outcome framework)."""

from django.db import migrations

from family_connect.reasons import REASONS


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
