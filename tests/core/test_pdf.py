"""The PDF renderer fetches nothing but data: URLs and the project's static files."""

import io
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.request import urlopen

import pytest

from core.pdf import StaticOnlyFetcher, render_pdf_from_html, static_path_for_url

PIXEL = (
    "data:image/png;base64,iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk"
    "YPhfDwAChwGA60e6kgAAAABJRU5ErkJggg=="
)


class CountingHandler(BaseHTTPRequestHandler):
    hits: list[str] = []

    def do_GET(self):  # noqa: N802
        CountingHandler.hits.append(self.path)
        body = b"body { color: red }"
        self.send_response(200)
        self.send_header("Content-Type", "text/css")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args):
        pass


@pytest.fixture
def local_server():
    CountingHandler.hits = []
    server = ThreadingHTTPServer(("127.0.0.1", 0), CountingHandler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}"
    server.shutdown()
    server.server_close()


def test_the_counting_server_counts(local_server):
    # The zero-hit assertions below mean something only if a fetch would be seen.
    urlopen(f"{local_server}/probe.css").read()  # noqa: S310
    assert CountingHandler.hits == ["/probe.css"]


def hostile_html(server: str) -> str:
    return f"""<!DOCTYPE html><html><head>
<link rel="stylesheet" href="{server}/x.css">
<link rel="stylesheet" href="file:///etc/passwd">
<style>@import url("{server}/imported.css");
@font-face {{ font-family: evil; src: url("{server}/font.woff"); }}
body {{ background: url("{server}/bg.png"); font-family: evil; }}</style>
</head><body>
<p>Family's words: <img src="file:///etc/passwd"> <img src="{server}/x.png"></p>
<a rel="attachment" href="file:///etc/passwd">passwd</a>
<a rel="attachment" href="{server}/attachment.txt">attachment</a>
<object data="file:///etc/hostname"></object>
<img src="/static/../../../../etc/passwd">
<img src="file:///static/../etc/passwd">
<img src="{PIXEL}" alt="allowed">
<p>root</p>
</body></html>"""


def test_hostile_urls_in_the_html_are_never_fetched(local_server):
    fetcher = StaticOnlyFetcher()
    pdf = render_pdf_from_html(hostile_html(local_server), fetcher=fetcher)
    assert pdf.startswith(b"%PDF")
    assert CountingHandler.hits == []
    assert b"/EmbeddedFile" not in pdf and b"/EmbeddedFiles" not in pdf
    assert b"root:x:0:0" not in pdf
    refused = " ".join(fetcher.refused)
    assert "file:///etc/passwd" in refused and f"{local_server}/x.css" in refused
    assert fetcher.served == ["data:"]


def test_the_projects_own_static_files_are_served():
    fetcher = StaticOnlyFetcher()
    html = '<link rel="stylesheet" href="/static/core/app.css"><p>Scorecard</p>'
    render_pdf_from_html(html, fetcher=fetcher)
    assert fetcher.served == ["file:///static/core/app.css"]
    assert fetcher.refused == []


def test_static_files_by_their_hashed_names_are_served():
    """Print templates name their stylesheets with ``{% static %}``, which gives
    the hashed names of the collected files."""
    from django.templatetags.static import static

    url = static("pdf/print.css")
    assert url != "/static/pdf/print.css"
    fetcher = StaticOnlyFetcher()
    render_pdf_from_html(
        f'<link rel="stylesheet" href="{url}"><p>Plan</p>', fetcher=fetcher
    )
    assert fetcher.served == [f"file://{url}"]
    assert fetcher.refused == []
    assert static_path_for_url("file:///static/../staticfiles/staticfiles.json") is None


@pytest.mark.parametrize(
    "url",
    [
        "file:///etc/passwd",
        "file:///static/../etc/passwd",
        "file:///static/core/../../config/settings.py",
        "file:///static/%2e%2e/%2e%2e/etc/passwd",
        "file://evil.example/static/core/app.css",
        "file:///static/",
        "file:///static/core/missing.css",
        "file:///static/core/app.css?x=1",
    ],
)
def test_static_lookup_refuses_anything_outside_static(url):
    assert static_path_for_url(url) is None


def test_parts_laid_out_side_by_side_join_in_order(tmp_path, settings):
    from pypdf import PdfReader

    from core.pdf import render_pdf_parts

    (tmp_path / "part.html").write_text(
        "<html><head><title>{{ title }}</title></head>"
        "<body><h1>{{ title }}</h1><p>{{ body }}</p></body></html>"
    )
    settings.TEMPLATES = [
        {
            "BACKEND": "django.template.backends.django.DjangoTemplates",
            "DIRS": [tmp_path],
        }
    ]
    contexts = [{"title": f"Part {n}", "body": f"Body of part {n}"} for n in range(5)]
    serial = render_pdf_parts("part.html", contexts, processes=1)
    parallel = render_pdf_parts("part.html", contexts, processes=3)

    def texts(pdf):
        return [page.extract_text() for page in PdfReader(io.BytesIO(pdf)).pages]

    assert texts(serial) == texts(parallel)
    assert [t.splitlines()[0] for t in texts(parallel)] == [
        f"Part {n}" for n in range(5)
    ]
    assert PdfReader(io.BytesIO(parallel)).metadata.title == "Part 0"


def _alive(pid: int) -> bool:
    """Whether the process runs (a zombie waiting for its reaper does not)."""
    try:
        with open(f"/proc/{pid}/stat") as stat:
            return stat.read().rsplit(")", 1)[1].split()[0] != "Z"
    except FileNotFoundError:
        return False


def test_a_killed_render_leaves_no_process_behind(tmp_path):
    """The part renderers die with the process that started them: a worker
    killed mid-render (SIGKILL: no cleanup of its own) leaves none behind."""
    import os
    import signal
    import subprocess
    import sys
    import time

    from django.conf import settings as django_settings

    # Forty parts of a long table: many seconds of work for two renderers.
    # The parent reports the first part done, so it is killed mid-render.
    script = (
        "import django; django.setup()\n"
        "from core.pdf import PartRenderers\n"
        "rows = ''.join(f'<tr><td>{n}</td><td>row {n}</td></tr>' for n in range(400))\n"
        "html = f'<table>{rows}</table>'\n"
        "with PartRenderers(2) as renderers:\n"
        "    print(*renderers.pids(), flush=True)\n"
        "    renderers.render([html] * 40, lambda d, t: print(d, flush=True))\n"
    )
    parent = subprocess.Popen(  # noqa: S603
        [sys.executable, "-c", script],
        stdout=subprocess.PIPE,
        text=True,
        cwd=django_settings.BASE_DIR,
        env={**os.environ, "DJANGO_SETTINGS_MODULE": "config.settings"},
    )
    try:
        children = [int(pid) for pid in parent.stdout.readline().split()]
        assert len(children) == 2
        assert parent.stdout.readline().strip() == "1"  # rendering now
        parent.send_signal(signal.SIGKILL)
        parent.wait(10)
        killed = time.monotonic()
        while any(_alive(pid) for pid in children) and time.monotonic() < killed + 3:
            time.sleep(0.05)
        assert not any(_alive(pid) for pid in children)
    finally:
        if parent.poll() is None:
            parent.kill()
            parent.wait()


def test_a_renderer_that_dies_fails_the_render_and_says_why():
    import signal

    from core.pdf import PartRenderers, PDFRenderError

    with PartRenderers(2) as renderers:
        pids = renderers.pids()
        renderers.processes[1].send_signal(signal.SIGKILL)
        renderers.processes[1].wait()
        with pytest.raises(PDFRenderError, match="ended with status -9"):
            renderers.render(["<p>one</p>", "<p>two</p>", "<p>three</p>"])
    assert not any(_alive(pid) for pid in pids)


def test_the_renderers_are_gone_when_the_render_ends():
    from core.pdf import PartRenderers

    with PartRenderers(2) as renderers:
        pids = renderers.pids()
        done = []
        pdfs = renderers.render(
            ["<p>one</p>", "<p>two</p>", "<p>three</p>"],
            on_part=lambda n, total: done.append((n, total)),
        )
    assert [pdf[:4] for pdf in pdfs] == [b"%PDF"] * 3
    assert done == [(1, 3), (2, 3), (3, 3)]
    assert not any(_alive(pid) for pid in pids)
