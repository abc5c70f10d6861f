"""Make the access log append-only in the database too (PostgreSQL): a trigger
refuses UPDATE and DELETE on core_accesslog. Reversible: dropping the trigger
restores plain behaviour. No-op on SQLite."""

from django.db import migrations

from core.append_only import append_only


class Migration(migrations.Migration):
    dependencies = [("core", "0001_initial")]

    operations = [append_only("core_accesslog")]
