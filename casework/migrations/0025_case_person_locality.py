"""Each person's place on a case carries the case's locality (which never
changes once the case is open), indexed with the person, so that a locality's
people on cases are read from one index. Filled from the cases; reversible."""

import django.db.models.deletion
from django.db import migrations, models
from django.db.models import OuterRef, Subquery


def fill(apps, schema_editor):
    Case = apps.get_model("casework", "Case")
    CasePerson = apps.get_model("casework", "CasePerson")
    CasePerson.objects.update(
        locality_id=Subquery(
            Case.objects.filter(pk=OuterRef("case_id")).values("locality_id")[:1]
        )
    )


class Migration(migrations.Migration):
    dependencies = [
        ("casework", "0024_person_consent"),
        ("localities", "0001_initial"),
    ]

    operations = [
        migrations.AddField(
            model_name="caseperson",
            name="locality",
            field=models.ForeignKey(
                null=True,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="+",
                to="localities.locality",
            ),
        ),
        migrations.RunPython(fill, migrations.RunPython.noop),
        migrations.AlterField(
            model_name="caseperson",
            name="locality",
            field=models.ForeignKey(
                on_delete=django.db.models.deletion.PROTECT,
                related_name="+",
                to="localities.locality",
            ),
        ),
        migrations.AddIndex(
            model_name="caseperson",
            index=models.Index(
                fields=["locality", "person"], name="case_person_locality"
            ),
        ),
    ]
