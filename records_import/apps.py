from django.apps import AppConfig


class RecordsImportConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "records_import"
    verbose_name = "Records import"
