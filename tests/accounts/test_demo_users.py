"""``demo_users``: every demo sign-in works, also when the demo data's import
made some of those people first (inactive, without a password)."""

from __future__ import annotations

from io import StringIO

import pytest
from django.core.management import call_command

from accounts.models import User
from accounts.roles import Role

pytestmark = pytest.mark.django_db


def test_demo_sign_ins_work_after_an_import_made_them_inactive(settings):
    settings.LOCAL = True
    User.objects.create(
        email="manager.erdington@demo.example",
        role=Role.LOCALITY_MANAGER,
        is_active=False,
    )
    call_command("demo_users", "--quiet", stdout=StringIO())
    manager = User.objects.get(email="manager.erdington@demo.example")
    assert manager.is_active
    assert manager.check_password("early-help-demo-2026")
    assert not User.objects.filter(email__endswith="@demo.example", is_active=False)
