"""Documents on a case: uploaded by the case's workers, checked by their bytes
and by the virus scanner before anything is kept, downloaded only through the
case's access checks, as attachments, and partners see only what is shared
with them."""

from __future__ import annotations

import io
import socket
import struct
import threading
import zipfile
import zlib
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile, TemporaryUploadedFile

from accounts.roles import Role
from casework.events import Kind
from casework.models import CaseDocument, CaseEvent
from core.models import AccessLog
from tests.error_summary import error_summary
from tests.factories import CaseFactory, UserFactory, join_team
from tests.helpers import sign_in_as

pytestmark = pytest.mark.django_db

EICAR = rb"X5O!P%@AP[4\PZX54(P^)7CC)7}$EICAR-STANDARD-ANTIVIRUS-TEST-FILE!$H+H*"
PDF = b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << >>\n%%EOF\n"


def png() -> bytes:
    def chunk(kind: bytes, data: bytes) -> bytes:
        body = kind + data
        return struct.pack("!I", len(data)) + body + struct.pack("!I", zlib.crc32(body))

    header = struct.pack("!IIBBBBB", 1, 1, 8, 2, 0, 0, 0)
    pixels = zlib.compress(b"\x00\xff\x00\x00")
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", header)
        + chunk(b"IDAT", pixels)
        + chunk(b"IEND", b"")
    )


JPEG = b"\xff\xd8\xff\xe0\x00\x10JFIF\x00\x01\x01\x00\x00\x01\x00\x01\x00\x00\xff\xd9"


def docx(extra: dict[str, bytes] | None = None) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", b"<Types/>")
        archive.writestr("_rels/.rels", b"<Relationships/>")
        archive.writestr("word/document.xml", b"<w:document>Report</w:document>")
        for name, data in (extra or {}).items():
            archive.writestr(name, data)
    return out.getvalue()


DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
ACCEPTED = [
    ("consent.pdf", PDF, "application/pdf", "pdf"),
    ("photo.png", png(), "image/png", "png"),
    ("scan.jpeg", JPEG, "image/jpeg", "jpg"),
    ("report.docx", docx(), DOCX, "docx"),
    ("letter.txt", "Dear Ms Gale — thank you.\n".encode(), "text/plain", "txt"),
]


def stored_files(location: Path) -> set[Path]:
    return {p for p in location.rglob("*") if p.is_file()}


@pytest.fixture
def storage(_documents_storage) -> Path:
    return _documents_storage


@pytest.fixture
def world():
    case = CaseFactory()
    partner = UserFactory(role=Role.REQUESTER)
    join_team(case, partner)
    worker = UserFactory(role=Role.PRACTITIONER, localities=["erdington"])
    join_team(case, worker)
    return {
        "case": case,
        "lead": case.lead_practitioner,
        "worker": worker,
        "manager": UserFactory(role=Role.LOCALITY_MANAGER, localities=["erdington"]),
        "partner": partner,
        "stranger": UserFactory(role=Role.PRACTITIONER, localities=["erdington"]),
        "other_manager": UserFactory(
            role=Role.LOCALITY_MANAGER, localities=["ladywood"]
        ),
        "other_partner": UserFactory(role=Role.REQUESTER),
    }


def upload(client, case, name, content, *, content_type="application/pdf", **fields):
    data = {
        "title": "Consent to share",
        "document_type": "signed_consent",
        "shared_with_partners": "no",
        **fields,
    }
    if content is not None:
        data["file"] = SimpleUploadedFile(name, content, content_type=content_type)
    return client.post(f"/cases/{case.pk}/documents/upload/", data)


def nothing_kept(before: set[Path], storage: Path) -> None:
    assert not CaseDocument.objects.exists()
    assert not CaseEvent.objects.filter(kind=Kind.DOCUMENT_UPLOADED).exists()
    assert not AccessLog.objects.filter(action="upload").exists()
    assert stored_files(storage) == before


@pytest.mark.parametrize(("name", "content", "content_type", "extension"), ACCEPTED)
def test_a_document_is_kept_and_downloaded_as_an_attachment_of_its_checked_type(
    client, world, storage, name, content, content_type, extension
):
    case = world["case"]
    sign_in_as(client, world["lead"])
    # The browser's content type is not believed: the bytes say what it is.
    response = upload(
        client, case, name, content, content_type="application/x-msdownload"
    )
    assert response.status_code == 302
    assert response["Location"] == f"/cases/{case.pk}/documents/"
    document = CaseDocument.objects.get()
    assert (document.content_type, document.size, document.original_name) == (
        content_type,
        len(content),
        name,
    )
    # Kept under a random name, not the uploader's, in the private storage.
    assert name not in document.stored_name
    assert (storage / document.stored_name).read_bytes() == content

    response = client.get(f"/cases/{case.pk}/documents/{document.pk}/")
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == content
    assert response["Content-Type"].split(";")[0] == content_type
    assert response["Content-Disposition"] == (
        f'attachment; filename="consent-to-share.{extension}"'
    )
    assert response["X-Content-Type-Options"] == "nosniff"
    assert "no-store" in response["Cache-Control"]
    # Both in the timeline and the access log.
    assert list(
        CaseEvent.objects.filter(case=case, kind__startswith="document_")
        .order_by("pk")
        .values_list("kind", "actor", "data")
    ) == [
        (
            "document_uploaded",
            world["lead"].pk,
            {"document": document.pk, "title": "Consent to share", "shared": False},
        ),
        (
            "document_downloaded",
            world["lead"].pk,
            {"document": document.pk, "title": "Consent to share"},
        ),
    ]
    assert AccessLog.objects.filter(
        action="upload", object_id=str(document.pk), user=world["lead"]
    ).exists()
    assert AccessLog.objects.filter(
        action="download", object_id=str(document.pk), user=world["lead"]
    ).exists()
    html = client.get(f"/cases/{case.pk}/").content.decode()
    assert "Document uploaded" in html and "Document downloaded" in html
    assert "“Consent to share”" in html


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        (
            "report.pdf",
            b"MZ\x90\x00\x03\x00\x00\x00" + b"\x00" * 100,
            "The selected file is a program, not a document: it cannot be uploaded",
        ),
        (
            "report.pdf",
            b"\x7fELF\x02\x01\x01" + b"\x00" * 100,
            "The selected file is a program, not a document: it cannot be uploaded",
        ),
        (
            "photo.gif",
            b"GIF89a\x01\x00\x01\x00\x80\x00\x00\xff\xff\xff",
            "The selected file must be a PDF, PNG, JPEG, Word (.docx) or text file",
        ),
        (
            "notes.txt",
            "caf\xe9".encode("latin-1"),
            "The selected file must be a PDF, PNG, JPEG, Word (.docx) or text file",
        ),
        (
            "notes.txt",
            b"text\x00with a NUL",
            "The selected file must be a PDF, PNG, JPEG, Word (.docx) or text file",
        ),
        (
            "archive.docx",
            # A zip, but not a Word document.
            docx().replace(b"word/", b"xxxx/"),
            "The selected file must be a PDF, PNG, JPEG, Word (.docx) or text file",
        ),
        ("empty.pdf", b"", "The selected file is empty"),
    ],
    ids=["windows-program", "linux-program", "gif", "latin-1", "nul", "zip", "empty"],
)
def test_a_file_that_is_not_an_accepted_document_is_refused(
    client, world, storage, name, content, message
):
    before = stored_files(storage)
    sign_in_as(client, world["lead"])
    response = upload(client, world["case"], name, content)
    assert response.status_code == 200
    assert error_summary(response.content) == [("id_file", message)]
    nothing_kept(before, storage)


def test_a_file_over_20_mb_is_refused_without_being_read_into_memory(
    client, world, storage, monkeypatch
):
    from casework.services import documents

    seen = []
    real = documents.file_kind
    monkeypatch.setattr(documents, "file_kind", lambda f: seen.append(f) or real(f))
    before = stored_files(storage)
    sign_in_as(client, world["lead"])
    big = PDF + b"0" * (21 * 1024 * 1024)
    response = upload(client, world["case"], "big.pdf", big)
    assert response.status_code == 200
    assert error_summary(response.content) == [
        ("id_file", "The selected file must be smaller than 20 MB")
    ]
    assert seen == []  # refused on its size, before its bytes were looked at
    nothing_kept(before, storage)


def test_large_uploads_wait_on_disk_not_in_memory(settings):
    from django.test import RequestFactory

    assert settings.FILE_UPLOAD_MAX_MEMORY_SIZE <= 2 * 1024 * 1024
    content = PDF + b"0" * (3 * 1024 * 1024)
    request = RequestFactory().post("/", {"file": SimpleUploadedFile("a.pdf", content)})
    upload = request.FILES["file"]
    assert isinstance(upload, TemporaryUploadedFile)
    assert (upload.size, upload.read()) == (len(content), content)


def test_no_more_of_a_file_than_any_form_takes_is_kept(settings):
    from django.test import RequestFactory

    from core.uploads import OversizedUpload

    settings.FILE_UPLOAD_MAX_BYTES = 1024 * 1024
    content = PDF + b"0" * (5 * 1024 * 1024)
    request = RequestFactory().post("/", {"file": SimpleUploadedFile("a.pdf", content)})
    upload = request.FILES["file"]
    # Nothing past the limit was written to memory or disk; the size says
    # it was too big, for the size check to refuse it.
    assert isinstance(upload, OversizedUpload)
    assert upload.size > settings.FILE_UPLOAD_MAX_BYTES
    assert upload.read() == b""


def test_a_zip_bomb_is_refused_before_it_is_read(client, world, storage):
    before = stored_files(storage)
    sign_in_as(client, world["lead"])
    # 20 MB of zeros squeezed into a few KB: a ratio no document has.
    bomb = docx({"word/media/image1.png": b"\x00" * (20 * 1024 * 1024)})
    assert len(bomb) < 100 * 1024
    response = upload(client, world["case"], "bomb.docx", bomb)
    assert error_summary(response.content) == [
        (
            "id_file",
            "The selected Word document expands to more than we can check: save "
            "it again, or save it as a PDF",
        )
    ]
    nothing_kept(before, storage)


def test_an_archive_of_too_many_parts_or_too_much_in_all_is_refused(monkeypatch):
    from core import files
    from core.errors import InvalidInput

    many = docx({f"word/part{i}.xml": b"x" for i in range(files.DOCX_MAX_MEMBERS)})
    with pytest.raises(InvalidInput, match="expands to more"):
        files.file_kind(io.BytesIO(many))
    # Every part modest, the sum too much (the limit lowered to test it).
    monkeypatch.setattr(files, "DOCX_MAX_UNCOMPRESSED", 10_000)
    parts = docx({f"word/part{i}.xml": bytes(range(256)) * 10 for i in range(5)})
    with pytest.raises(InvalidInput, match="expands to more"):
        files.file_kind(io.BytesIO(parts))


def test_every_problem_is_listed_at_once_and_nothing_is_kept(client, world, storage):
    before = stored_files(storage)
    sign_in_as(client, world["lead"])
    response = client.post(
        f"/cases/{world['case'].pk}/documents/upload/",
        {"title": " ", "document_type": "gossip"},
    )
    assert response.status_code == 200
    assert "<title>Error:" in response.content.decode()
    assert error_summary(response.content) == [
        ("id_title", "Enter a title for the document"),
        ("id_document_type_0", "Select the type of document from the list"),
        (
            "id_shared_with_partners_0",
            "Select whether the partners on the team can see it",
        ),
        ("id_file", "Select a file to upload"),
    ]
    nothing_kept(before, storage)


# --- The virus scanner --------------------------------------------------------


class FakeClamd:
    """A loopback server speaking clamd's INSTREAM protocol: it answers
    ``stream: Eicar-Signature FOUND`` when the stream holds the EICAR test
    string, ``stream: OK`` otherwise."""

    def __init__(self, family: int = socket.AF_INET, path: str = ""):
        self.server = socket.socket(family, socket.SOCK_STREAM)
        self.server.bind(path or ("127.0.0.1", 0))
        self.server.listen(4)
        self.server.settimeout(10)
        self.streams: list[bytes] = []
        self.thread = threading.Thread(target=self._serve, daemon=True)
        self.thread.start()

    @property
    def port(self) -> int:
        return int(self.server.getsockname()[1])

    def _read(self, conn: socket.socket, n: int) -> bytes:
        data = b""
        while len(data) < n:
            part = conn.recv(n - len(data))
            if not part:
                raise ConnectionError("closed")
            data += part
        return data

    def _serve(self) -> None:
        while True:
            try:
                conn, _ = self.server.accept()
            except OSError:
                return
            with conn:
                command = b""
                while not command.endswith(b"\0"):
                    command += self._read(conn, 1)
                assert command == b"zINSTREAM\0"
                stream = b""
                while size := struct.unpack("!L", self._read(conn, 4))[0]:
                    stream += self._read(conn, size)
                self.streams.append(stream)
                found = EICAR in stream
                conn.sendall(
                    b"stream: Eicar-Signature FOUND\0" if found else b"stream: OK\0"
                )

    def close(self) -> None:
        self.server.close()


@pytest.fixture
def clamd(settings):
    server = FakeClamd()
    settings.VIRUS_SCANNER = "core.scanning.ClamdScanner"
    settings.CLAMD_ADDRESS = f"tcp://127.0.0.1:{server.port}"
    settings.CLAMD_TIMEOUT = 5
    yield server
    server.close()


def test_with_the_scanner_configured_a_clean_file_is_scanned_and_kept(
    client, world, clamd
):
    sign_in_as(client, world["lead"])
    response = upload(client, world["case"], "consent.pdf", PDF)
    assert response.status_code == 302
    assert clamd.streams == [PDF]
    assert CaseDocument.objects.count() == 1


def test_the_eicar_test_file_is_refused_when_the_scanner_finds_it(
    client, world, storage, clamd
):
    before = stored_files(storage)
    sign_in_as(client, world["lead"])
    response = upload(
        client, world["case"], "eicar.txt", EICAR, content_type="text/plain"
    )
    assert error_summary(response.content) == [
        (
            "id_file",
            "The selected file contains a virus or other harmful content and was "
            "not uploaded",
        )
    ]
    assert clamd.streams == [EICAR]
    nothing_kept(before, storage)


def test_a_configured_scanner_that_is_down_refuses_the_upload(
    client, world, storage, settings
):
    closed = socket.socket()
    closed.bind(("127.0.0.1", 0))
    port = closed.getsockname()[1]
    closed.close()  # nothing listens there now
    settings.VIRUS_SCANNER = "core.scanning.ClamdScanner"
    settings.CLAMD_ADDRESS = f"tcp://127.0.0.1:{port}"
    before = stored_files(storage)
    sign_in_as(client, world["lead"])
    response = upload(client, world["case"], "consent.pdf", PDF)
    assert error_summary(response.content) == [
        ("id_file", "The file could not be checked for viruses. Try again later.")
    ]
    nothing_kept(before, storage)


def test_clamd_answers_over_a_unix_socket_too(tmp_path):
    from core.scanning import ClamdScanner

    path = str(tmp_path / "clamd.sock")
    server = FakeClamd(socket.AF_UNIX, path)
    try:
        scanner = ClamdScanner(address=f"unix://{path}", timeout=5)
        assert scanner.scan(io.BytesIO(b"hello")).clean
        verdict = scanner.scan(io.BytesIO(b"padding " + EICAR))
        assert (verdict.clean, verdict.found) == (False, "Eicar-Signature")
    finally:
        server.close()


def test_a_scanner_answer_it_cannot_read_counts_as_unchecked():
    from core.scanning import ScannerUnavailable, _result

    assert _result("stream: OK").clean
    with pytest.raises(ScannerUnavailable):
        _result("INSTREAM size limit exceeded. ERROR")
    with pytest.raises(ScannerUnavailable):
        _result("")


def test_a_row_that_cannot_be_written_leaves_no_file(
    client, world, storage, monkeypatch
):
    from casework.services import documents

    def broken(*args, **kwargs):
        raise RuntimeError("database went away")

    monkeypatch.setattr(documents.events, "document_uploaded", broken)
    before = stored_files(storage)
    with pytest.raises(RuntimeError):
        documents.case_document_upload(
            case_id=world["case"].pk,
            actor=world["lead"],
            title="Consent",
            document_type="signed_consent",
            shared_with_partners=False,
            upload=SimpleUploadedFile("c.pdf", PDF),
        )
    nothing_kept(before, storage)


# --- Who sees and adds documents -----------------------------------------------


@pytest.fixture
def documents(world):
    from casework.services.documents import case_document_upload

    made = {}
    for title, shared in (("Shared report", True), ("Workers only", False)):
        made[title] = case_document_upload(
            case_id=world["case"].pk,
            actor=world["lead"],
            title=title,
            document_type="report",
            shared_with_partners=shared,
            upload=SimpleUploadedFile("r.txt", title.encode()),
        )
    return made


@pytest.mark.parametrize(
    ("who", "listed", "may_upload"),
    [
        ("lead", {"Shared report", "Workers only"}, True),
        ("worker", {"Shared report", "Workers only"}, True),
        ("manager", {"Shared report", "Workers only"}, True),
        ("partner", {"Shared report"}, False),
        ("stranger", None, False),
        ("other_manager", None, False),
        ("other_partner", None, False),
    ],
)
def test_who_sees_lists_downloads_and_adds_documents(
    client, world, documents, who, listed, may_upload
):
    case = world["case"]
    sign_in_as(client, world[who])
    page = client.get(f"/cases/{case.pk}/documents/")
    if listed is None:
        assert page.status_code == 404
    else:
        assert page.status_code == 200
        html = page.content.decode()
        assert {t for t in documents if t in html} == listed
        assert ("Add a document" in html) is may_upload
    for title, document in documents.items():
        response = client.get(f"/cases/{case.pk}/documents/{document.pk}/")
        expected = 200 if listed and title in listed else 404
        assert response.status_code == expected, title
        if expected == 200:
            assert b"".join(response.streaming_content) == title.encode()
    form = client.get(f"/cases/{case.pk}/documents/upload/")
    assert form.status_code == (200 if may_upload else 404)
    count = CaseDocument.objects.count()
    response = upload(client, case, "x.pdf", PDF)
    assert response.status_code == (302 if may_upload else 404)
    assert CaseDocument.objects.count() == count + (1 if may_upload else 0)


def test_a_document_is_reached_only_through_its_own_case(client, world, documents):
    other = CaseFactory(lead_practitioner=world["lead"])
    sign_in_as(client, world["lead"])
    document = documents["Workers only"]
    assert client.get(f"/cases/{other.pk}/documents/{document.pk}/").status_code == 404
    assert (
        client.get(f"/cases/{world['case'].pk}/documents/{document.pk}/").status_code
        == 200
    )


def test_documents_are_not_deleted_by_users(client, world, documents):
    sign_in_as(client, world["manager"])
    document = documents["Workers only"]
    url = f"/cases/{world['case'].pk}/documents/{document.pk}/"
    assert client.delete(url).status_code == 405
    assert client.post(url).status_code == 405
    assert CaseDocument.objects.filter(pk=document.pk).exists()


def test_the_case_page_links_to_the_documents(client, world):
    sign_in_as(client, world["lead"])
    html = client.get(f"/cases/{world['case'].pk}/").content.decode()
    assert f'href="/cases/{world["case"].pk}/documents/"' in html
    client.logout()
    sign_in_as(client, world["partner"])
    html = client.get(f"/cases/{world['case'].pk}/").content.decode()
    assert f'href="/cases/{world["case"].pk}/documents/"' in html


def test_the_list_has_a_constant_number_of_queries(
    client, world, documents, django_assert_max_num_queries
):
    from casework.services.documents import case_document_upload

    sign_in_as(client, world["lead"])
    url = f"/cases/{world['case'].pk}/documents/"
    client.get(url)
    with django_assert_max_num_queries(20) as few:
        client.get(url)
    for n in range(5):
        case_document_upload(
            case_id=world["case"].pk,
            actor=world["worker"],
            title=f"Letter {n}",
            document_type="letter",
            shared_with_partners=False,
            upload=SimpleUploadedFile("l.txt", b"letter"),
        )
    with django_assert_max_num_queries(len(few.captured_queries)):
        response = client.get(url)
    assert "Letter 4" in response.content.decode()
