"""Team and TeamMember move from ``localities`` to ``triage``: state only, the
tables (``localities_team``, ``localities_teammember``) stay as they are. Their
content types move with them, so permissions already granted (the
Administrators group's) and change-log rows keep pointing at them."""

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models

MODELS = ("team", "teammember")


def content_types_to_triage(apps, schema_editor):
    ContentType = apps.get_model("contenttypes", "ContentType")
    for model in MODELS:
        old = ContentType.objects.filter(app_label="localities", model=model)
        if not old.exists():
            continue
        # One made for the new label before this ran holds nothing worth keeping.
        ContentType.objects.filter(app_label="triage", model=model).delete()
        old.update(app_label="triage")


def content_types_to_localities(apps, schema_editor):
    ContentType = apps.get_model("contenttypes", "ContentType")
    for model in MODELS:
        new = ContentType.objects.filter(app_label="triage", model=model)
        if not new.exists():
            continue
        ContentType.objects.filter(app_label="localities", model=model).delete()
        new.update(app_label="localities")


class Migration(migrations.Migration):
    initial = True

    dependencies = [
        ("localities", "0004_teams_capacity_community_services"),
        # The Administrators group is given the teams' permissions under their
        # old label first.
        ("accounts", "0003_administrators_group"),
        ("contenttypes", "0002_remove_content_type_name"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.CreateModel(
                    name="Team",
                    fields=[
                        (
                            "id",
                            models.BigAutoField(
                                auto_created=True,
                                primary_key=True,
                                serialize=False,
                                verbose_name="ID",
                            ),
                        ),
                        (
                            "created_at",
                            models.DateTimeField(auto_now_add=True, db_index=True),
                        ),
                        ("updated_at", models.DateTimeField(auto_now=True)),
                        ("name", models.CharField(max_length=100)),
                        (
                            "locality",
                            models.ForeignKey(
                                on_delete=django.db.models.deletion.PROTECT,
                                related_name="teams",
                                to="localities.locality",
                            ),
                        ),
                    ],
                    options={
                        "db_table": "localities_team",
                        "ordering": ["locality__name", "name"],
                        "constraints": [
                            models.UniqueConstraint(
                                fields=("locality", "name"), name="team_name_unique"
                            )
                        ],
                    },
                ),
                migrations.CreateModel(
                    name="TeamMember",
                    fields=[
                        (
                            "id",
                            models.BigAutoField(
                                auto_created=True,
                                primary_key=True,
                                serialize=False,
                                verbose_name="ID",
                            ),
                        ),
                        (
                            "created_at",
                            models.DateTimeField(auto_now_add=True, db_index=True),
                        ),
                        ("updated_at", models.DateTimeField(auto_now=True)),
                        (
                            "capacity",
                            models.PositiveSmallIntegerField(
                                default=15,
                                help_text="Number of families this worker can lead at once.",
                            ),
                        ),
                        (
                            "team",
                            models.ForeignKey(
                                on_delete=django.db.models.deletion.CASCADE,
                                related_name="members",
                                to="triage.team",
                            ),
                        ),
                        (
                            "user",
                            models.ForeignKey(
                                on_delete=django.db.models.deletion.CASCADE,
                                related_name="team_memberships",
                                to=settings.AUTH_USER_MODEL,
                            ),
                        ),
                    ],
                    options={
                        "db_table": "localities_teammember",
                        "constraints": [
                            models.UniqueConstraint(
                                fields=("team", "user"), name="team_member_unique"
                            )
                        ],
                    },
                ),
            ],
            database_operations=[],
        ),
        migrations.RunPython(content_types_to_triage, content_types_to_localities),
    ]
