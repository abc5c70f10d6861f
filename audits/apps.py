from django.apps import AppConfig


class AuditsConfig(AppConfig):
    name = "audits"

    def ready(self) -> None:
        from accounts.revisit import access_revisit_register
        from audits.revisit import audit_grants_revisit

        access_revisit_register("audits.audit_grants", audit_grants_revisit)
