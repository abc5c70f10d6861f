"""The moved models keep their content types: the rows for casework.family and
casework.person are relabelled families, so the permissions on them (the
Administrators group's), the change log of households and people and anything
else that points at a content type follow the models (a new content type would
leave them behind).

Should ``migrate`` have made empty families content types for these models
before this ran, those are removed (with the permissions made with them) and
the older rows take their place.

The access log names records by a string, not a content type, and refuses
updates: its rows from before the move keep ``casework.person`` and
``casework.family``, and the who-viewed queries read both labels
(``families.models.FORMER_LABELS``)."""

from django.db import migrations

MODELS = ["family", "person"]


def relabel(apps, old: str, new: str) -> None:
    ContentType = apps.get_model("contenttypes", "ContentType")
    for model in MODELS:
        moving = ContentType.objects.filter(app_label=old, model=model).first()
        if moving is None:
            continue
        ContentType.objects.filter(app_label=new, model=model).delete()
        moving.app_label = new
        moving.save(update_fields=["app_label"])
    ContentType.objects.clear_cache()


def forward(apps, schema_editor):
    relabel(apps, "casework", "families")


def backward(apps, schema_editor):
    relabel(apps, "families", "casework")


class Migration(migrations.Migration):
    dependencies = [
        ("families", "0001_initial"),
        ("casework", "0017_family_person_moved"),
        ("contenttypes", "0002_remove_content_type_name"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("admin", "0003_logentry_add_action_flag_choices"),
    ]

    operations = [migrations.RunPython(forward, backward)]
