"""Partner indicators' titles no longer carry their data owner in brackets:
the owner is named once, beside the title, wherever the indicator is shown."""

from django.db import migrations


def owner_out_of_titles(apps, schema_editor):
    Indicator = apps.get_model("scorecard", "Indicator")
    for indicator in Indicator.objects.filter(source="partner"):
        suffix = f" ({indicator.data_owner})"
        if indicator.title.endswith(suffix):
            indicator.title = indicator.title.removesuffix(suffix)
            indicator.save(update_fields=["title"])


class Migration(migrations.Migration):
    dependencies = [
        ("scorecard", "0006_release_pdf_job"),
    ]

    operations = [
        migrations.RunPython(owner_out_of_titles, migrations.RunPython.noop),
    ]
