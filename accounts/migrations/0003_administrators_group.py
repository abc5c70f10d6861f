"""The "Administrators" group: what the administration site lets an
administrator (PRODUCT §1) see and change. Reference data only, never case
data: no family, person, case, form, audit answers, access log or e-mails.
Delete is given only where nothing refers to the rows (domains and questions
of unused template versions, which the admin checks; a locality team's
capacity rows); the rest is deactivated or kept."""

from django.db import migrations

GROUP = "Administrators"

# app label → model → actions
PERMISSIONS = {
    "accounts": {
        "user": ("view", "add", "change"),
        "organisation": ("view", "add", "change"),
        "apitoken": ("view", "change"),
    },
    "localities": {
        "locality": ("view", "change"),
        "ward": ("view", "add", "change"),
        "postcodedistrict": ("view", "add", "change"),
        "team": ("view", "add", "change"),
        "teammember": ("view", "add", "change", "delete"),
        "communityservice": ("view", "add", "change"),
    },
    "family_connect": {
        "reason": ("view", "add", "change"),
    },
    "audits": {
        "auditgrade": ("view", "change"),
        "audittemplate": ("view", "add", "change", "delete"),
        "auditdomain": ("view", "add", "change", "delete"),
        "auditquestion": ("view", "add", "change", "delete"),
    },
    "scorecard": {
        "indicator": ("view", "change"),
    },
    "casework": {
        "retentionrule": ("view", "change"),
    },
    # Seen without their secrets; deleting one is "Reset two-factor".
    "otp_totp": {
        "totpdevice": ("view", "delete"),
    },
}


def _ensure_permissions(apps):
    """Permissions are made after every migration has run; make them now so
    the group can hold them on a fresh database."""
    from django.contrib.auth.management import create_permissions

    for app_config in apps.get_app_configs():
        if app_config.label not in PERMISSIONS:
            continue
        unset = getattr(app_config, "models_module", None) is None
        if unset:
            app_config.models_module = True
        create_permissions(app_config, apps=apps, verbosity=0)
        if unset:
            app_config.models_module = None


def load(apps, schema_editor):
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    _ensure_permissions(apps)
    group, _ = Group.objects.get_or_create(name=GROUP)
    wanted = []
    for app_label, models in PERMISSIONS.items():
        for model, actions in models.items():
            for action in actions:
                wanted.append(
                    Permission.objects.get(
                        content_type__app_label=app_label,
                        content_type__model=model,
                        codename=f"{action}_{model}",
                    )
                )
    group.permissions.set(wanted)
    User = apps.get_model("accounts", "User")
    for user in User.objects.filter(role="administrator"):
        user.groups.add(group)


def unload(apps, schema_editor):
    apps.get_model("auth", "Group").objects.filter(name=GROUP).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("accounts", "0002_data_protection_role"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
        ("localities", "0004_teams_capacity_community_services"),
        ("family_connect", "0004_citywide_triage_permission"),
        ("audits", "0002_load_grade_scale_and_default_template"),
        ("scorecard", "0004_eh22_outcome_breakdown"),
        ("casework", "0012_purged_records"),
        ("otp_totp", "0003_add_timestamps"),
    ]

    operations = [migrations.RunPython(load, unload)]
