from django.apps import AppConfig


class FamilyConnectConfig(AppConfig):
    name = "family_connect"
