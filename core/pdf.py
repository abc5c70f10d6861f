"""The one HTML→PDF renderer.

WeasyPrint fetches every URL in the document (stylesheets, images, fonts,
attachments). User text can carry URLs, so the fetcher is deny-by-default: it serves
``data:`` URLs and the project's own static files, looked up through the
staticfiles finders (the hashed names among the collected files), and refuses
everything else — other ``file:`` paths, and every network scheme — without
opening it.
"""

from __future__ import annotations

import io
import json
import mimetypes
import os
import posixpath
import selectors
import subprocess  # noqa: S404  # the part renderers, our own module
import sys
import tempfile
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any
from urllib.parse import unquote, urlsplit

from django.conf import settings
from django.contrib.staticfiles import finders
from django.template.loader import render_to_string
from pypdf import PdfReader, PdfWriter
from weasyprint import HTML
from weasyprint.urls import URLFetcher, URLFetcherResponse

from core.pdf_worker import FRAME

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

    Only paths under STATIC_URL that the staticfiles finders resolve, or that are
    collected files (the hashed names), are allowed;
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
    if isinstance(found, list):
        return None
    if not found:
        # The hashed names ``{% static %}`` gives are only in the collected files.
        root = Path(settings.STATIC_ROOT).resolve()
        collected = (root / relative).resolve()
        if not collected.is_relative_to(root) or not collected.is_file():
            return None
        return collected
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


def available_cpus() -> int:
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # not Linux
        return os.cpu_count() or 1


class PDFRenderError(RuntimeError):
    """A part renderer ended without rendering all of its parts."""


class PartRenderers:
    """Processes that lay out parts of one document side by side
    (``core.pdf_worker``): started fresh with ``python -m``, never forked, so
    they are safe from a web process, a threaded one or a Celery worker; each
    dies with the process that started it; all are gone when the block ends.

    Start them first (their start-up overlaps the caller's own work), then
    ``render`` the parts' HTML."""

    def __init__(self, count: int) -> None:
        self.count = count
        self.processes: list[subprocess.Popen[bytes]] = []
        self._stderr: list[Any] = []

    def __enter__(self) -> PartRenderers:
        try:
            for _ in range(self.count):
                stderr = tempfile.TemporaryFile()  # noqa: SIM115  # closed in __exit__
                self._stderr.append(stderr)
                self.processes.append(
                    subprocess.Popen(  # noqa: S603  # our own module
                        [sys.executable, "-m", "core.pdf_worker", str(os.getpid())],
                        stdin=subprocess.PIPE,
                        stdout=subprocess.PIPE,
                        stderr=stderr,
                        cwd=settings.BASE_DIR,
                        close_fds=True,
                    )
                )
        except BaseException:
            self.__exit__(None, None, None)
            raise
        return self

    def __exit__(self, *exc: object) -> None:
        for process in self.processes:
            if process.poll() is None:
                process.kill()
            process.wait()
            for pipe in (process.stdin, process.stdout):
                if pipe is not None and not pipe.closed:
                    pipe.close()
        for stderr in self._stderr:
            stderr.close()
        self.processes = []
        self._stderr = []

    def pids(self) -> list[int]:
        return [process.pid for process in self.processes]

    def render(
        self,
        htmls: Sequence[str],
        on_part: Callable[[int, int], object] | None = None,
    ) -> list[bytes]:
        """The parts' PDFs in order; ``on_part(done, total)`` after each."""
        count = len(self.processes)
        for number, process in enumerate(self.processes):
            assert process.stdin is not None
            batch = [[i, htmls[i]] for i in range(number, len(htmls), count)]
            try:
                process.stdin.write(json.dumps(batch).encode())
                process.stdin.close()
            except BrokenPipeError:  # it ended before reading its parts
                raise PDFRenderError(self._failure()) from None
        done: dict[int, bytes] = {}
        with selectors.DefaultSelector() as selector:
            for process in self.processes:
                assert process.stdout is not None
                selector.register(process.stdout, selectors.EVENT_READ, bytearray())
            while selector.get_map():
                for key, _ in selector.select():
                    chunk = os.read(key.fd, 1 << 16)
                    if not chunk:
                        selector.unregister(key.fileobj)
                        continue
                    buffer: bytearray = key.data
                    buffer += chunk
                    for index, pdf in _frames(buffer):
                        done[index] = pdf
                        if on_part is not None:
                            on_part(len(done), len(htmls))
        if len(done) != len(htmls):
            raise PDFRenderError(self._failure())
        return [done[index] for index in range(len(htmls))]

    def _failure(self) -> str:
        for process, stderr in zip(self.processes, self._stderr, strict=True):
            if process.wait() != 0:
                stderr.seek(0)
                tail = stderr.read()[-2000:].decode(errors="replace").strip()
                status = process.returncode
                return f"A PDF part renderer ended with status {status}: {tail}"
        return "A PDF part renderer ended without rendering its parts"


def _frames(buffer: bytearray) -> list[tuple[int, bytes]]:
    """Take the complete frames off the front of ``buffer``."""
    frames = []
    while len(buffer) >= FRAME.size:
        index, length = FRAME.unpack_from(buffer)
        if len(buffer) < FRAME.size + length:
            break
        frames.append((index, bytes(buffer[FRAME.size : FRAME.size + length])))
        del buffer[: FRAME.size + length]
    return frames


def render_pdf_parts(
    template_name: str,
    contexts: Sequence[dict],
    *,
    processes: int | None = None,
    on_part: Callable[[int, int], object] | None = None,
) -> bytes:
    """Render a long document as parts — the print template once per context,
    each part its own document with its own page numbers — laid out side by
    side by part renderers (one per CPU unless ``processes`` says), then joined
    in order into one PDF. ``on_part(done, total)`` reports progress."""
    workers = min(len(contexts), processes or available_cpus())
    if workers <= 1:
        parts = []
        for context in contexts:
            parts.append(render_pdf(template_name, context))
            if on_part is not None:
                on_part(len(parts), len(contexts))
        return join_pdfs(parts)
    with PartRenderers(workers) as renderers:
        htmls = [render_to_string(template_name, context) for context in contexts]
        return join_pdfs(renderers.render(htmls, on_part))


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
