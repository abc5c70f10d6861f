"""Households and people belong to the families app now (families 0001 took
them over with the same tables): the cases' and their records' foreign keys
point there and the models leave casework's migration state. The database is
not changed."""

import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("casework", "0016_privacy_models_moved"),
        ("families", "0001_initial"),
        # Intake's and privacy's foreign keys leave casework.family and
        # casework.person before those models leave the state.
        ("family_connect", "0006_family_person_moved"),
        ("privacy", "0003_family_person_moved"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            database_operations=[],
            state_operations=[
                migrations.AlterField(
                    model_name="case",
                    name="family",
                    field=models.ForeignKey(
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="cases",
                        to="families.family",
                    ),
                ),
                migrations.AlterField(
                    model_name="caseperson",
                    name="person",
                    field=models.ForeignKey(
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="case_places",
                        to="families.person",
                    ),
                ),
                migrations.AlterField(
                    model_name="assessmentperson",
                    name="person",
                    field=models.ForeignKey(
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="+",
                        to="families.person",
                    ),
                ),
                migrations.AlterField(
                    model_name="closureperson",
                    name="person",
                    field=models.ForeignKey(
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="+",
                        to="families.person",
                    ),
                ),
                migrations.AlterField(
                    model_name="reviewperson",
                    name="person",
                    field=models.ForeignKey(
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="+",
                        to="families.person",
                    ),
                ),
                migrations.AlterField(
                    model_name="socialcarereferral",
                    name="person",
                    field=models.ForeignKey(
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="social_care_referrals",
                        to="families.person",
                    ),
                ),
                migrations.AlterField(
                    model_name="case",
                    name="people",
                    field=models.ManyToManyField(
                        blank=True,
                        related_name="cases",
                        through="casework.CasePerson",
                        through_fields=("case", "person"),
                        to="families.person",
                    ),
                ),
                migrations.DeleteModel(
                    name="Family",
                ),
                migrations.DeleteModel(
                    name="Person",
                ),
            ],
        ),
    ]
