"""Every page names the service's own icon, so browsers do not ask for a
/favicon.ico that is not there (a 404 on every page)."""

import re

import pytest
from django.contrib.staticfiles.storage import staticfiles_storage

pytestmark = pytest.mark.django_db


def test_pages_link_an_icon_that_exists(client):
    page = client.get("/family-connect/").content.decode()
    match = re.search(r'<link rel="icon" href="/static/([^"]+)"', page)
    assert match, "no icon link"
    assert staticfiles_storage.exists(match[1])
