"""A draft survives closing the browser and restarting the web server."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest
from django.db import connection

from family_connect.models import FormDraft

pytestmark = [
    pytest.mark.e2e,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

ROOT = Path(__file__).resolve().parents[2]


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class WebServer:
    """gunicorn serving the app on the test database, as production runs it."""

    def __init__(self) -> None:
        self.port = _free_port()
        self.process: subprocess.Popen | None = None

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def start(self) -> None:
        db = connection.settings_dict
        env = {
            **os.environ,
            "DATABASE_URL": f"postgres://{db['USER']}@{db['HOST']}:{db['PORT']}/{db['NAME']}",
            "DEBUG": "0",
            "SECURE_SSL_REDIRECT": "0",
            "SESSION_COOKIE_SECURE": "0",
            "CSRF_COOKIE_SECURE": "0",
            "ALLOWED_HOSTS": "127.0.0.1,localhost",
        }
        self.process = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "gunicorn",
                "config.wsgi:application",
                "--bind",
                f"127.0.0.1:{self.port}",
                "--workers",
                "1",
            ],
            cwd=ROOT,
            env=env,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
            start_new_session=True,
        )
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            try:
                urllib.request.urlopen(f"{self.url}/healthz", timeout=1)  # noqa: S310
                return
            except OSError:
                time.sleep(0.2)
        raise RuntimeError("gunicorn did not start")

    def stop(self) -> None:
        assert self.process is not None
        # SIGKILL to the master and its workers: nothing may live only in memory.
        os.killpg(self.process.pid, signal.SIGKILL)
        self.process.wait(10)
        deadline = time.monotonic() + 10
        while time.monotonic() < deadline:
            with socket.socket() as s:
                if s.connect_ex(("127.0.0.1", self.port)) != 0:
                    return
            time.sleep(0.1)


def test_a_draft_survives_a_closed_browser_and_a_server_restart(browser):
    # gunicorn shares the test database, so it must be a server database.
    assert connection.vendor == "postgresql"
    server = WebServer()
    server.start()
    try:
        context = browser.new_context()
        page = context.new_page()
        page.goto(f"{server.url}/family-connect/")
        page.get_by_role("button", name="Start now").click()
        page.get_by_label("No", exact=True).check()
        page.get_by_role("button", name="Continue").click()
        page.get_by_label("Yes", exact=True).check()
        page.get_by_role("button", name="Continue").click()
        page.get_by_label("Your full name").fill("Sara Khan")
        page.get_by_label("Phone number (optional)").fill("0121 496 0000")
        page.get_by_role("button", name="Continue").click()
        page.get_by_label("Postcode").fill("B23 6TJ")
        page.get_by_role("button", name="Continue").click()
        page.get_by_role("link", name="Save and come back later").click()
        link = page.get_by_test_id("resume-link").inner_text()
        context.close()

        server.stop()
        server.start()

        context = browser.new_context()
        page = context.new_page()
        page.goto(link.replace("http://testserver", server.url))
        assert page.title().startswith("Add a child")
        page.goto(f"{server.url}/family-connect/step/contact/")
        assert page.get_by_label("Your full name").input_value() == "Sara Khan"
        assert (
            page.get_by_label("Phone number (optional)").input_value()
            == "0121 496 0000"
        )
        page.goto(f"{server.url}/family-connect/step/address/")
        assert page.get_by_label("Postcode").input_value() == "B23 6TJ"
        context.close()
    finally:
        if server.process is not None and server.process.poll() is None:
            server.stop()
    assert FormDraft.objects.count() == 1
