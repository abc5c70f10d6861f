"""The front end's files: hashed, compressed static files served by WhiteNoise in
every mode, compressed HTML, a GOV.UK Frontend stylesheet with only the
components the templates use, and no source map named that is not served."""

from __future__ import annotations

import gzip
import re
from pathlib import Path

import pytest
from django.conf import settings
from django.contrib.staticfiles.storage import staticfiles_storage

pytestmark = pytest.mark.django_db

ROOT = Path(__file__).resolve().parents[2]
FRONTEND = ROOT / "node_modules" / "govuk-frontend" / "dist" / "govuk"
HASHED = re.compile(r"\.[0-9a-f]{12}\.(css|js|mjs|svg)$")


def linked(client) -> dict[str, str]:
    page = client.get("/family-connect/").content.decode()
    return {
        name: found(rf'(?:href|src)="/static/({name}[^"]*)"', page)
        for name in ("govuk/govuk-frontend.min", "core/app", "core/init", "core/start")
    }


def found(pattern: str, text: str) -> str:
    match = re.search(pattern, text)
    assert match, pattern
    return match[1]


def test_pages_name_static_files_by_their_content_hash(client):
    for name, path in linked(client).items():
        assert HASHED.search(path), f"{name} is linked as {path}"
        assert staticfiles_storage.exists(path)


def test_the_demo_names_them_by_hash_too(client, settings):
    settings.DEBUG = True
    assert all(HASHED.search(path) for path in linked(client).values())


@pytest.mark.parametrize("encoding", ["br", "gzip"])
def test_static_files_are_served_compressed_and_cached_for_good(client, encoding):
    path = linked(client)["govuk/govuk-frontend.min"]
    response = client.get(f"/static/{path}", HTTP_ACCEPT_ENCODING=encoding)
    assert response.status_code == 200
    assert response["Content-Encoding"] == encoding
    assert "immutable" in response["Cache-Control"]
    body = b"".join(response.streaming_content)
    assert len(body) < 20_000
    if encoding == "gzip":
        assert b".govuk-button" in gzip.decompress(body)


def test_the_module_script_imports_govuk_frontend_by_its_hashed_name(client):
    start = staticfiles_storage.open(linked(client)["core/start"]).read().decode()
    imported = found(r'from "\.\./(govuk/govuk-frontend\.min[^"]*)"', start)
    assert HASHED.search(imported) and staticfiles_storage.exists(imported)


def test_pages_are_compressed(client):
    response = client.get("/family-connect/", HTTP_ACCEPT_ENCODING="gzip")
    assert response["Content-Encoding"] == "gzip"
    assert "Accept-Encoding" in response["Vary"]
    assert b"Ask for early help" in gzip.decompress(response.content)


def test_an_answer_with_an_etag_keeps_it_strong_and_uncompressed(client):
    """A compressed body would get a weak tag, which never satisfies
    ``If-Match``: a form read for a change keeps its strong tag."""
    from rest_framework.test import APIClient

    from accounts.roles import Role
    from accounts.services import api_token_issue
    from tests.factories import FormFactory, UserFactory

    manager = UserFactory(role=Role.LOCALITY_MANAGER, localities=["erdington"])
    form = FormFactory()
    api = APIClient()
    api.credentials(HTTP_AUTHORIZATION=f"Token {api_token_issue(user=manager)}")
    url = f"/api/v1/family-connect/{form.reference}/"
    one = api.get(url, HTTP_ACCEPT_ENCODING="gzip")
    assert one.status_code == 200
    assert one["ETag"].startswith('"') and not one.has_header("Content-Encoding")
    # A list, with no tag, is compressed.
    many = api.get("/api/v1/family-connect/", HTTP_ACCEPT_ENCODING="gzip")
    assert many["Content-Encoding"] == "gzip" and not many.has_header("ETag")


def test_compression_sits_under_whitenoise_and_above_everything_else():
    """WhiteNoise answers with its own compressed copies before it; every
    middleware that sets a page's headers or reads its body runs inside it."""
    middleware = settings.MIDDLEWARE
    gzip_at = middleware.index("core.middleware.CompressionMiddleware")
    assert middleware[:gzip_at] == [
        "django.middleware.security.SecurityMiddleware",
        "whitenoise.middleware.WhiteNoiseMiddleware",
    ]


def test_no_static_file_names_a_source_map_it_lacks(client):
    for path in linked(client).values():
        content = staticfiles_storage.open(path).read().decode()
        assert "sourceMappingURL" not in content, path


def selector(name: str) -> str:
    return "." + name.replace("!", "\\!")


def template_classes() -> set[str]:
    """Every GOV.UK Frontend class written out in a template or a form."""
    found: set[str] = set()
    files = [*ROOT.glob("templates/**/*.html"), *ROOT.glob("*/templates/**/*.html")]
    files += [ROOT / "core" / "forms.py"]
    for file in files:
        for name in re.findall(r"govuk-[a-z0-9!_-]*[a-z0-9]", file.read_text()):
            if not name.startswith(("govuk-js-", "govuk-frontend")):
                found.add(name)
    # templates/components/field.html builds these from the kind of choice.
    for kind in ("radios", "checkboxes"):
        for part in ("", "__item", "__input", "__label", "__hint", "__conditional"):
            found.add(f"govuk-{kind}{part}")
    return found


def test_the_stylesheet_has_the_components_the_templates_use_and_no_others(client):
    """Each class a template uses that GOV.UK Frontend's full stylesheet styles
    is styled by ours; components no template uses are left out."""
    css = staticfiles_storage.open(linked(client)["govuk/govuk-frontend.min"]).read()
    css = css.decode()
    full = (FRONTEND / "govuk-frontend.min.css").read_text()
    missing = sorted(
        name
        for name in template_classes()
        if selector(name) in full and selector(name) not in css
    )
    assert missing == []
    for unused in ("accordion", "tabs", "header", "cookie-banner", "task-list"):
        assert f".govuk-{unused}" not in css
    assert len(css) < 120_000
