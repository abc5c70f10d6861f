"""Households and people belong to the families app now (families 0001): the
forms', members', match candidates' and cross-locality links' foreign keys point
there in the migration state. The database is not changed."""

import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("family_connect", "0005_cross_locality_links"),
        ("families", "0001_initial"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            database_operations=[],
            state_operations=[
                migrations.AlterField(
                    model_name="crosslocalitylink",
                    name="family",
                    field=models.ForeignKey(
                        db_constraint=False,
                        on_delete=django.db.models.deletion.DO_NOTHING,
                        related_name="+",
                        to="families.family",
                    ),
                ),
                migrations.AlterField(
                    model_name="crosslocalitylink",
                    name="person",
                    field=models.ForeignKey(
                        blank=True,
                        db_constraint=False,
                        null=True,
                        on_delete=django.db.models.deletion.DO_NOTHING,
                        related_name="+",
                        to="families.person",
                    ),
                ),
                migrations.AlterField(
                    model_name="familyconnectform",
                    name="family",
                    field=models.ForeignKey(
                        blank=True,
                        null=True,
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="forms",
                        to="families.family",
                    ),
                ),
                migrations.AlterField(
                    model_name="formmember",
                    name="person",
                    field=models.ForeignKey(
                        blank=True,
                        null=True,
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="form_memberships",
                        to="families.person",
                    ),
                ),
                migrations.AlterField(
                    model_name="matchcandidate",
                    name="family",
                    field=models.ForeignKey(
                        blank=True,
                        null=True,
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="+",
                        to="families.family",
                    ),
                ),
                migrations.AlterField(
                    model_name="matchcandidate",
                    name="person",
                    field=models.ForeignKey(
                        blank=True,
                        null=True,
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="+",
                        to="families.person",
                    ),
                ),
            ],
        ),
    ]
