"""A locality's forms read from an index alone (``locality``, ``id``): a
manager's search keeps the forms it finds by name to those of their
localities without reading the forms themselves."""

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("family_connect", "0008_form_member_name_keys"),
    ]

    operations = [
        migrations.AddIndex(
            model_name="familyconnectform",
            index=models.Index(fields=["locality", "id"], name="form_locality_id"),
        ),
    ]
