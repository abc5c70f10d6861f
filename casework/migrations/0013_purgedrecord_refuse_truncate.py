"""Purge stubs refuse TRUNCATE too (0012 refuses UPDATE and DELETE)."""

from django.db import migrations

from core.append_only import refuse_truncate


class Migration(migrations.Migration):
    dependencies = [("casework", "0012_purged_records")]

    operations = [refuse_truncate("casework_purgedrecord")]
