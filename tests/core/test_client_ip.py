from __future__ import annotations

from django.test import RequestFactory

from core.http import client_ip


def test_x_real_ip_is_ignored_unless_a_trusted_proxy_sets_it(settings):
    request = RequestFactory().get(
        "/", REMOTE_ADDR="10.0.0.5", HTTP_X_REAL_IP="203.0.113.9"
    )
    settings.TRUST_X_REAL_IP = False
    assert client_ip(request) == "10.0.0.5"
    settings.TRUST_X_REAL_IP = True
    assert client_ip(request) == "203.0.113.9"
