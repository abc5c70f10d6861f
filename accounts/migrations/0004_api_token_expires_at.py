"""API tokens expire: each existing token expires API_TOKEN_LIFETIME_DAYS after it
was issued (one older than that stops working at once). Reversible: going back
drops the column, and tokens never expire again."""

from datetime import timedelta
from typing import Any

from django.conf import settings
from django.db import migrations, models
from django.db.models import F


def expire_existing_tokens(apps: Any, schema_editor: Any) -> None:
    ApiToken = apps.get_model("accounts", "ApiToken")
    lifetime = timedelta(days=settings.API_TOKEN_LIFETIME_DAYS)
    ApiToken.objects.update(expires_at=F("created_at") + lifetime)


class Migration(migrations.Migration):
    dependencies = [("accounts", "0003_administrators_group")]

    operations = [
        migrations.AddField(
            model_name="apitoken",
            name="expires_at",
            field=models.DateTimeField(null=True),
        ),
        migrations.RunPython(expire_existing_tokens, migrations.RunPython.noop),
        migrations.AlterField(
            model_name="apitoken",
            name="expires_at",
            field=models.DateTimeField(),
        ),
    ]
