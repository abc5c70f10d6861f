"""People belong to the families app now (families 0001): the subject access
PDF jobs' foreign key points there in the migration state. The database is not
changed."""

import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("privacy", "0002_content_types"),
        ("families", "0001_initial"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            database_operations=[],
            state_operations=[
                migrations.AlterField(
                    model_name="subjectaccesspdf",
                    name="person",
                    field=models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="+",
                        to="families.person",
                    ),
                ),
            ],
        ),
    ]
