"""The retention rules, purge stubs and subject access PDF jobs belong to the
privacy app now (privacy 0001 took them over with the same tables): drop them
from casework's migration state. The database is not changed."""

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [
        ("casework", "0015_case_people"),
        ("privacy", "0001_initial"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            database_operations=[],
            state_operations=[
                migrations.RemoveField(model_name="purgedepisode", name="stub"),
                migrations.DeleteModel(name="PurgedEpisode"),
                migrations.DeleteModel(name="PurgedRecord"),
                migrations.DeleteModel(name="RetentionRule"),
                migrations.DeleteModel(name="SubjectAccessPDF"),
            ],
        ),
    ]
