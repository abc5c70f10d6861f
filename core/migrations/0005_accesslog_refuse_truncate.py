"""The access log refuses TRUNCATE too (0002 refuses UPDATE and DELETE)."""

from django.db import migrations

from core.append_only import refuse_truncate


class Migration(migrations.Migration):
    dependencies = [("core", "0004_benchmark_rows")]

    operations = [refuse_truncate("core_accesslog")]
