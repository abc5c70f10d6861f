"""The retention rules, purge stubs and subject access PDF jobs, taken over from
casework. Their tables stay as they are (``db_table``, constraints, the purge
stubs' append-only triggers of casework 0012 and 0013): this changes the
migration state only, the database not at all (casework 0016 drops them from
casework's state)."""

import django.core.validators
import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):
    initial = True

    dependencies = [
        ("casework", "0015_case_people"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            database_operations=[],
            state_operations=[
                migrations.CreateModel(
                    name="PurgedRecord",
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
                            "record_type",
                            models.CharField(
                                choices=[
                                    ("closed_case", "Closed cases, from their closure"),
                                    (
                                        "form_not_allocated",
                                        "Forms decided without a case, from their receipt",
                                    ),
                                ],
                                max_length=30,
                            ),
                        ),
                        ("record", models.CharField(max_length=40)),
                        ("locality", models.CharField(max_length=100)),
                        ("since", models.DateField()),
                        ("kept_until", models.DateField()),
                        ("purged_at", models.DateTimeField(db_index=True)),
                        ("purged_by", models.CharField(max_length=254)),
                        ("removed", models.JSONField(default=dict)),
                    ],
                    options={
                        "db_table": "casework_purgedrecord",
                        "ordering": ["-purged_at", "-pk"],
                        "constraints": [
                            models.CheckConstraint(
                                condition=models.Q(
                                    (
                                        "record_type__in",
                                        ["", "closed_case", "form_not_allocated"],
                                    )
                                ),
                                name="purged_record_type_valid",
                            )
                        ],
                    },
                ),
                migrations.CreateModel(
                    name="PurgedEpisode",
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
                        ("external_id", models.CharField(max_length=64, unique=True)),
                        (
                            "stub",
                            models.ForeignKey(
                                on_delete=django.db.models.deletion.PROTECT,
                                related_name="episodes",
                                to="privacy.purgedrecord",
                            ),
                        ),
                    ],
                    options={
                        "db_table": "casework_purgedepisode",
                    },
                ),
                migrations.CreateModel(
                    name="RetentionRule",
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
                            "record_type",
                            models.CharField(
                                choices=[
                                    ("closed_case", "Closed cases, from their closure"),
                                    (
                                        "form_not_allocated",
                                        "Forms decided without a case, from their receipt",
                                    ),
                                ],
                                max_length=30,
                                unique=True,
                            ),
                        ),
                        (
                            "keep_months",
                            models.PositiveSmallIntegerField(
                                help_text="Months from the record's closure or receipt; at least 12",
                                validators=[
                                    django.core.validators.MinValueValidator(12)
                                ],
                            ),
                        ),
                        ("note", models.TextField(blank=True)),
                    ],
                    options={
                        "db_table": "casework_retentionrule",
                        "ordering": ["record_type"],
                        "constraints": [
                            models.CheckConstraint(
                                condition=models.Q(
                                    (
                                        "record_type__in",
                                        ["", "closed_case", "form_not_allocated"],
                                    )
                                ),
                                name="retention_rule_type_valid",
                            ),
                            models.CheckConstraint(
                                condition=models.Q(("keep_months__gte", 12)),
                                name="retention_rule_at_least_a_year",
                            ),
                        ],
                    },
                ),
                migrations.CreateModel(
                    name="SubjectAccessPDF",
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
                            "lease_owner",
                            models.CharField(
                                blank=True, editable=False, max_length=120
                            ),
                        ),
                        (
                            "lease_until",
                            models.DateTimeField(blank=True, editable=False, null=True),
                        ),
                        (
                            "status",
                            models.CharField(
                                choices=[
                                    ("queued", "Queued"),
                                    ("running", "Being produced"),
                                    ("done", "Ready"),
                                    ("failed", "Failed"),
                                ],
                                default="queued",
                                max_length=10,
                            ),
                        ),
                        ("progress", models.PositiveSmallIntegerField(default=0)),
                        ("error", models.TextField(blank=True)),
                        ("pdf", models.BinaryField(blank=True, null=True)),
                        ("generated_at", models.DateTimeField(blank=True, null=True)),
                        ("wiped_at", models.DateTimeField(blank=True, null=True)),
                        (
                            "person",
                            models.ForeignKey(
                                on_delete=django.db.models.deletion.CASCADE,
                                related_name="+",
                                to="casework.person",
                            ),
                        ),
                        (
                            "requested_by",
                            models.ForeignKey(
                                on_delete=django.db.models.deletion.PROTECT,
                                related_name="+",
                                to=settings.AUTH_USER_MODEL,
                            ),
                        ),
                    ],
                    options={
                        "db_table": "casework_subjectaccesspdf",
                        "ordering": ["-created_at", "-pk"],
                        "constraints": [
                            models.CheckConstraint(
                                condition=models.Q(
                                    (
                                        "status__in",
                                        ["", "queued", "running", "done", "failed"],
                                    )
                                ),
                                name="subject_access_pdf_status_valid",
                            ),
                            models.UniqueConstraint(
                                condition=models.Q(
                                    ("status__in", ["queued", "running"])
                                ),
                                fields=("person", "requested_by"),
                                name="subject_access_pdf_one_active",
                            ),
                        ],
                    },
                ),
            ],
        ),
    ]
