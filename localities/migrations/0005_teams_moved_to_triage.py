"""Team and TeamMember now belong to ``triage`` (which made them in its state
first): removed from this app's state only; their tables stay."""

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [
        ("localities", "0004_teams_capacity_community_services"),
        ("triage", "0001_teams_from_localities"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.DeleteModel(name="TeamMember"),
                migrations.DeleteModel(name="Team"),
            ],
            database_operations=[],
        ),
    ]
