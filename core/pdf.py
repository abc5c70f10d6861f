"""The one HTML→PDF renderer.

WeasyPrint fetches every URL in the document (stylesheets, images, fonts,
attachments). User text can carry URLs, so the fetcher is deny-by-default: it serves
``data:`` URLs and the project's own static files, looked up through the
staticfiles finders, and refuses everything else — other ``file:`` paths, and every
network scheme — without opening it.
"""

from __future__ import annotations

import io
import mimetypes
import multiprocessing
import os
import posixpath
from collections.abc import Sequence
from pathlib import Path
from urllib.parse import unquote, urlsplit

from django.conf import settings
from django.contrib.staticfiles import finders
from django.template.loader import render_to_string
from pypdf import PdfReader, PdfWriter
from weasyprint import HTML
from weasyprint.urls import URLFetcher, URLFetcherResponse

# Documents are rendered with this base URL, so ``{% static %}`` paths such as
# ``/static/pdf/print.css`` become ``file:///static/pdf/print.css`` — a path that
# only the fetcher below understands, and that never reaches the file system as is.
PDF_BASE_URL = "file:///"


class RefusedURL(ValueError):
    """A URL that the PDF renderer will not fetch."""


class StaticOnlyFetcher(URLFetcher):
    """Serves ``data:`` URLs and the project's static files; refuses the rest."""

    def __init__(self) -> None:
        super().__init__(allowed_protocols={"data", "file"}, allow_redirects=False)
        self.served: list[str] = []
        self.refused: list[str] = []

    def fetch(self, url: str, headers: dict | None = None) -> URLFetcherResponse:
        scheme = urlsplit(url).scheme.lower()
        if scheme == "data":
            self.served.append("data:")
            return super().fetch(url, headers)
        if scheme == "file":
            path = static_path_for_url(url)
            if path is not None:
                self.served.append(url)
                content_type = (
                    mimetypes.guess_type(path.name)[0] or "application/octet-stream"
                )
                return URLFetcherResponse(
                    url, path.read_bytes(), {"Content-Type": content_type}
                )
        self.refused.append(url)
        raise RefusedURL(f"The PDF renderer does not fetch {url[:80]!r}")


def static_path_for_url(url: str) -> Path | None:
    """The real file behind a ``file:///static/...`` URL, or None.

    Only paths under STATIC_URL that the staticfiles finders resolve are allowed;
    ``..`` segments and anything outside STATIC_URL are refused.
    """
    parts = urlsplit(url)
    if parts.netloc not in ("", "localhost") or parts.query:
        return None
    raw = unquote(parts.path)
    normalised = posixpath.normpath(raw)
    prefix = settings.STATIC_URL if settings.STATIC_URL.startswith("/") else "/static/"
    if normalised != raw.rstrip("/") or not normalised.startswith(prefix):
        return None
    relative = normalised[len(prefix) :]
    if not relative or relative.startswith("/"):
        return None
    found = finders.find(relative)
    if not found or isinstance(found, list):
        return None
    path = Path(found).resolve()
    return path if path.is_file() else None


def render_pdf_from_html(
    html: str, *, fetcher: StaticOnlyFetcher | None = None
) -> bytes:
    """Render an HTML string to PDF bytes with the deny-by-default fetcher."""
    fetcher = fetcher or StaticOnlyFetcher()
    document = HTML(string=html, base_url=PDF_BASE_URL, url_fetcher=fetcher)
    return document.write_pdf()


def render_pdf(template_name: str, context: dict) -> bytes:
    """Render a print template (``templates/pdf/...``) to PDF bytes."""
    return render_pdf_from_html(render_to_string(template_name, context))


def render_pdf_parts(
    template_name: str, contexts: Sequence[dict], *, processes: int | None = None
) -> bytes:
    """Render a long document as parts — the print template once per context,
    each part its own document with its own page numbers — laid out side by
    side in forked processes (one per CPU unless ``processes`` says), then
    joined in order into one PDF.

    The children only lay out HTML strings made here: they touch neither the
    database nor anything else the parent holds open."""
    htmls = [render_to_string(template_name, context) for context in contexts]
    workers = min(len(htmls), processes or os.cpu_count() or 1)
    if workers <= 1:
        parts = [render_pdf_from_html(html) for html in htmls]
    else:
        with multiprocessing.get_context("fork").Pool(workers) as pool:
            parts = pool.map(render_pdf_from_html, htmls, chunksize=1)
    return join_pdfs(parts)


def join_pdfs(parts: Sequence[bytes]) -> bytes:
    """One PDF of the parts' pages, in order, titled as the first part."""
    writer = PdfWriter()
    for part in parts:
        writer.append(PdfReader(io.BytesIO(part)))
    if parts:
        metadata = PdfReader(io.BytesIO(parts[0])).metadata
        if metadata:
            writer.add_metadata(dict(metadata))
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()
