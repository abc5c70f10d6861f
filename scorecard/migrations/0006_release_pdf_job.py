"""The release PDF becomes a job row. The PDFs made so far are done: they are
added as status "done" at 100%; new rows start queued at 0%."""

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("scorecard", "0005_job_lease"),
    ]

    operations = [
        migrations.AddField(
            model_name="releasepdf",
            name="error",
            field=models.TextField(blank=True),
        ),
        migrations.AddField(
            model_name="releasepdf",
            name="lease_owner",
            field=models.CharField(blank=True, editable=False, max_length=120),
        ),
        migrations.AddField(
            model_name="releasepdf",
            name="lease_until",
            field=models.DateTimeField(blank=True, editable=False, null=True),
        ),
        migrations.AddField(
            model_name="releasepdf",
            name="progress",
            field=models.PositiveSmallIntegerField(default=100),
        ),
        migrations.AlterField(
            model_name="releasepdf",
            name="progress",
            field=models.PositiveSmallIntegerField(default=0),
        ),
        migrations.AddField(
            model_name="releasepdf",
            name="requested_at",
            field=models.DateTimeField(blank=True, null=True),
        ),
        migrations.AddField(
            model_name="releasepdf",
            name="status",
            field=models.CharField(
                choices=[
                    ("queued", "Queued"),
                    ("running", "Being produced"),
                    ("done", "Ready"),
                    ("failed", "Failed"),
                ],
                default="done",
                max_length=10,
            ),
        ),
        migrations.AlterField(
            model_name="releasepdf",
            name="status",
            field=models.CharField(
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
        migrations.AlterField(
            model_name="releasepdf",
            name="generated_at",
            field=models.DateTimeField(blank=True, null=True),
        ),
        migrations.AlterField(
            model_name="releasepdf",
            name="pdf",
            field=models.BinaryField(blank=True, null=True),
        ),
        migrations.AlterField(
            model_name="releasepdf",
            name="seconds",
            field=models.FloatField(blank=True, null=True),
        ),
        migrations.AddConstraint(
            model_name="releasepdf",
            constraint=models.CheckConstraint(
                condition=models.Q(
                    ("status__in", ["", "queued", "running", "done", "failed"])
                ),
                name="release_pdf_status_valid",
            ),
        ),
    ]
