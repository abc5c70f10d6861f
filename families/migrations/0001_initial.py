"""Households and people, taken over from casework. Their tables stay as they
are (``casework_family``, ``casework_person``, with their constraints): this
changes the migration state only, the database not at all (casework 0017 drops
them from casework's state once intake's and privacy's foreign keys point here;
0002 moves their content types)."""

import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):
    initial = True

    dependencies = [
        ("casework", "0016_privacy_models_moved"),
        ("localities", "0005_teams_moved_to_triage"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            database_operations=[],
            state_operations=[
                migrations.CreateModel(
                    name="Family",
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
                            "external_id",
                            models.CharField(
                                blank=True, max_length=64, null=True, unique=True
                            ),
                        ),
                        (
                            "postcode",
                            models.CharField(blank=True, db_index=True, max_length=8),
                        ),
                        ("address_line", models.CharField(blank=True, max_length=200)),
                        (
                            "locality",
                            models.ForeignKey(
                                blank=True,
                                null=True,
                                on_delete=django.db.models.deletion.PROTECT,
                                related_name="families",
                                to="localities.locality",
                            ),
                        ),
                    ],
                    options={
                        "verbose_name_plural": "families",
                        "db_table": "casework_family",
                    },
                ),
                migrations.CreateModel(
                    name="Person",
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
                            "external_id",
                            models.CharField(
                                blank=True, max_length=64, null=True, unique=True
                            ),
                        ),
                        (
                            "role",
                            models.CharField(
                                choices=[("child", "Child"), ("adult", "Adult")],
                                max_length=10,
                            ),
                        ),
                        ("given_name", models.CharField(max_length=100)),
                        ("family_name", models.CharField(max_length=100)),
                        (
                            "given_name_key",
                            models.CharField(blank=True, max_length=100),
                        ),
                        (
                            "family_name_key",
                            models.CharField(blank=True, max_length=100),
                        ),
                        (
                            "date_of_birth",
                            models.DateField(blank=True, db_index=True, null=True),
                        ),
                        ("expected", models.BooleanField(default=False)),
                        (
                            "sex",
                            models.CharField(
                                blank=True,
                                choices=[
                                    ("female", "Female"),
                                    ("male", "Male"),
                                    ("not_known", "Not known"),
                                ],
                                max_length=10,
                            ),
                        ),
                        (
                            "ethnicity",
                            models.CharField(
                                blank=True,
                                choices=[
                                    (
                                        "asian_bangladeshi",
                                        "Asian or Asian British: Bangladeshi",
                                    ),
                                    (
                                        "asian_chinese",
                                        "Asian or Asian British: Chinese",
                                    ),
                                    ("asian_indian", "Asian or Asian British: Indian"),
                                    (
                                        "asian_pakistani",
                                        "Asian or Asian British: Pakistani",
                                    ),
                                    (
                                        "asian_other",
                                        "Asian or Asian British: any other Asian background",
                                    ),
                                    (
                                        "black_african",
                                        "Black, Black British, Caribbean or African: African",
                                    ),
                                    (
                                        "black_caribbean",
                                        "Black, Black British, Caribbean or African: Caribbean",
                                    ),
                                    (
                                        "black_other",
                                        "Black, Black British, Caribbean or African: any other Black background",
                                    ),
                                    (
                                        "mixed_white_asian",
                                        "Mixed or multiple: White and Asian",
                                    ),
                                    (
                                        "mixed_white_black_african",
                                        "Mixed or multiple: White and Black African",
                                    ),
                                    (
                                        "mixed_white_black_caribbean",
                                        "Mixed or multiple: White and Black Caribbean",
                                    ),
                                    (
                                        "mixed_other",
                                        "Mixed or multiple: any other mixed background",
                                    ),
                                    (
                                        "white_british",
                                        "White: English, Welsh, Scottish, Northern Irish or British",
                                    ),
                                    ("white_irish", "White: Irish"),
                                    (
                                        "white_gypsy_irish_traveller",
                                        "White: Gypsy or Irish Traveller",
                                    ),
                                    ("white_roma", "White: Roma"),
                                    (
                                        "white_other",
                                        "White: any other White background",
                                    ),
                                    ("other_arab", "Other ethnic group: Arab"),
                                    (
                                        "other_any",
                                        "Other ethnic group: any other ethnic group",
                                    ),
                                    ("not_stated", "Prefer not to say"),
                                ],
                                max_length=40,
                            ),
                        ),
                        (
                            "relationship",
                            models.CharField(
                                blank=True,
                                choices=[
                                    ("mother", "Mother"),
                                    ("father", "Father"),
                                    ("step_parent", "Step-parent"),
                                    ("grandparent", "Grandparent"),
                                    ("carer", "Carer"),
                                    ("sibling", "Brother or sister"),
                                    ("other", "Other"),
                                ],
                                max_length=20,
                            ),
                        ),
                        (
                            "family",
                            models.ForeignKey(
                                blank=True,
                                null=True,
                                on_delete=django.db.models.deletion.PROTECT,
                                related_name="people",
                                to="families.family",
                            ),
                        ),
                    ],
                    options={
                        "verbose_name_plural": "people",
                        "db_table": "casework_person",
                        "constraints": [
                            models.CheckConstraint(
                                condition=models.Q(
                                    ("role__in", ["", "child", "adult"])
                                ),
                                name="person_role_valid",
                            ),
                            models.CheckConstraint(
                                condition=models.Q(
                                    ("sex__in", ["", "female", "male", "not_known"])
                                ),
                                name="person_sex_valid",
                            ),
                            models.CheckConstraint(
                                condition=models.Q(
                                    (
                                        "ethnicity__in",
                                        [
                                            "",
                                            "asian_bangladeshi",
                                            "asian_chinese",
                                            "asian_indian",
                                            "asian_pakistani",
                                            "asian_other",
                                            "black_african",
                                            "black_caribbean",
                                            "black_other",
                                            "mixed_white_asian",
                                            "mixed_white_black_african",
                                            "mixed_white_black_caribbean",
                                            "mixed_other",
                                            "white_british",
                                            "white_irish",
                                            "white_gypsy_irish_traveller",
                                            "white_roma",
                                            "white_other",
                                            "other_arab",
                                            "other_any",
                                            "not_stated",
                                        ],
                                    )
                                ),
                                name="person_ethnicity_valid",
                            ),
                            models.CheckConstraint(
                                condition=models.Q(
                                    (
                                        "relationship__in",
                                        [
                                            "",
                                            "mother",
                                            "father",
                                            "step_parent",
                                            "grandparent",
                                            "carer",
                                            "sibling",
                                            "other",
                                        ],
                                    )
                                ),
                                name="person_relationship_valid",
                            ),
                        ],
                    },
                ),
            ],
        ),
    ]
