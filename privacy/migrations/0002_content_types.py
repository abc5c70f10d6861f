"""The moved models keep their content types: the rows for
casework.retentionrule and the others are relabelled privacy, so the change log
of the retention rules, the Administrators group's permissions on them and
anything else that points at a content type follow the models (a new content
type would leave them behind).

Should ``migrate`` have made empty privacy content types for these models
before this ran, those are removed (with the permissions made with them) and
the older rows take their place."""

from django.db import migrations

MODELS = ["retentionrule", "purgedrecord", "purgedepisode", "subjectaccesspdf"]


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
    relabel(apps, "casework", "privacy")


def backward(apps, schema_editor):
    relabel(apps, "privacy", "casework")


class Migration(migrations.Migration):
    dependencies = [
        ("privacy", "0001_initial"),
        ("casework", "0016_privacy_models_moved"),
        ("contenttypes", "0002_remove_content_type_name"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("admin", "0003_logentry_add_action_flag_choices"),
    ]

    operations = [migrations.RunPython(forward, backward)]
