"""The name keys of the people on forms (``families.names.name_keys``), so
that searching forms by name reads the keys the trigram indexes of
``search/migrations/0003`` serve rather than every member of a locality.

The keys of the members already recorded are filled in batches by primary key
(600,000 members at the five-year city scale): on PostgreSQL one ``UPDATE``
per batch from arrays, elsewhere ``bulk_update``. Reversible: going back drops
the columns.
"""

from django.db import migrations, models

from families.names import name_keys

BATCH = 5000


def keys_fill(apps, schema_editor):
    member = apps.get_model("family_connect", "FormMember")
    rows = member.objects.using(schema_editor.connection.alias).order_by("pk")
    last = 0
    while True:
        batch = list(
            rows.filter(pk__gt=last).values_list("pk", "given_name", "family_name")[
                :BATCH
            ]
        )
        if not batch:
            return
        last = batch[-1][0]
        keyed = [(pk, name_keys(given, family)) for pk, given, family in batch]
        if schema_editor.connection.vendor == "postgresql":
            schema_editor.execute(
                "UPDATE family_connect_formmember AS m "
                "SET given_name_key = k.given, family_name_key = k.family "
                "FROM unnest(%s::bigint[], %s::text[], %s::text[]) "
                "AS k (id, given, family) WHERE m.id = k.id",
                [
                    [pk for pk, _keys in keyed],
                    [keys["given_name_key"] for _pk, keys in keyed],
                    [keys["family_name_key"] for _pk, keys in keyed],
                ],
            )
        else:
            member.objects.using(schema_editor.connection.alias).bulk_update(
                [member(pk=pk, **keys) for pk, keys in keyed],
                ["given_name_key", "family_name_key"],
            )


class Migration(migrations.Migration):
    dependencies = [
        ("family_connect", "0007_event_kinds_checked"),
    ]

    operations = [
        migrations.AddField(
            model_name="formmember",
            name="given_name_key",
            field=models.CharField(blank=True, max_length=100),
        ),
        migrations.AddField(
            model_name="formmember",
            name="family_name_key",
            field=models.CharField(blank=True, max_length=100),
        ),
        migrations.RunPython(keys_fill, migrations.RunPython.noop),
    ]
