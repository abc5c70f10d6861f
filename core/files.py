"""What an uploaded file is, judged by its bytes: never by its name or the
content type the browser sent (QUALITY §2, "Uploads ... type-checked by
content").

``file_kind`` recognises the document types the product accepts — PDF, PNG,
JPEG, Word (.docx) and plain UTF-8 text — and refuses everything else with a
message for the uploader. A Word file is a zip archive: its directory is read
(never its members), and an archive that would expand to far more than it
weighs (a "zip bomb"), or holds too many members, is refused before anything
reads it.
"""

from __future__ import annotations

import codecs
import zipfile
from dataclasses import dataclass
from typing import IO

from core.errors import InvalidInput

CHUNK = 64 * 1024

# A Word document's parts, uncompressed, and how many there may be. Real
# letters and reports are a few MB at most; the ratio of a part's size to its
# compressed size is well under 100 for text and markup.
DOCX_MAX_MEMBERS = 1000
DOCX_MAX_UNCOMPRESSED = 200 * 1024 * 1024
DOCX_MAX_RATIO = 100

PDF = "application/pdf"
PNG = "image/png"
JPEG = "image/jpeg"
DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
TEXT = "text/plain"


@dataclass(frozen=True)
class FileKind:
    content_type: str
    extension: str
    label: str


KINDS = {
    PDF: FileKind(PDF, "pdf", "PDF"),
    PNG: FileKind(PNG, "png", "PNG image"),
    JPEG: FileKind(JPEG, "jpg", "JPEG image"),
    DOCX: FileKind(DOCX, "docx", "Word document"),
    TEXT: FileKind(TEXT, "txt", "Text file"),
}
CONTENT_TYPES = list(KINDS)

WRONG_TYPE = "The selected file must be a PDF, PNG, JPEG, Word (.docx) or text file"
PROGRAM = "The selected file is a program, not a document: it cannot be uploaded"
ARCHIVE_TOO_BIG = (
    "The selected Word document expands to more than we can check: "
    "save it again, or save it as a PDF"
)
EMPTY = "The selected file is empty"

# The starts of programs, which are refused whatever their name says:
# Windows (MZ), Linux (ELF), macOS (Mach-O), Java classes and scripts.
_PROGRAMS = (
    b"MZ",
    b"\x7fELF",
    b"\xfe\xed\xfa\xce",
    b"\xfe\xed\xfa\xcf",
    b"\xce\xfa\xed\xfe",
    b"\xcf\xfa\xed\xfe",
    b"\xca\xfe\xba\xbe",
    b"#!",
)


def _head(file: IO[bytes], size: int = 16) -> bytes:
    file.seek(0)
    head = file.read(size)
    file.seek(0)
    return head


def file_kind(file: IO[bytes]) -> FileKind:
    """The kind of document ``file`` is, from its bytes; raises InvalidInput
    (field ``file``) for anything else. Reads the file in chunks: never all
    of it at once."""
    head = _head(file)
    if not head:
        raise InvalidInput(EMPTY, field="file")
    if head.startswith(_PROGRAMS):
        raise InvalidInput(PROGRAM, field="file")
    if head.startswith(b"%PDF-"):
        return KINDS[PDF]
    if head.startswith(b"\x89PNG\r\n\x1a\n"):
        return KINDS[PNG]
    if head.startswith(b"\xff\xd8\xff"):
        return KINDS[JPEG]
    if head.startswith(b"PK\x03\x04"):
        _check_docx(file)
        return KINDS[DOCX]
    if _is_utf8_text(file):
        return KINDS[TEXT]
    raise InvalidInput(WRONG_TYPE, field="file")


def _check_docx(file: IO[bytes]) -> None:
    """A Word document: a zip archive with its content types and a ``word/``
    folder, whose members' declared sizes are modest. Only the archive's
    directory is read."""
    try:
        with zipfile.ZipFile(file) as archive:
            members = archive.infolist()
            if len(members) > DOCX_MAX_MEMBERS:
                raise InvalidInput(ARCHIVE_TOO_BIG, field="file")
            total = 0
            for member in members:
                total += member.file_size
                ratio = member.file_size / max(member.compress_size, 1)
                if total > DOCX_MAX_UNCOMPRESSED or (
                    member.file_size > CHUNK and ratio > DOCX_MAX_RATIO
                ):
                    raise InvalidInput(ARCHIVE_TOO_BIG, field="file")
            names = {member.filename for member in members}
    except (zipfile.BadZipFile, zipfile.LargeZipFile, ValueError, EOFError):
        raise InvalidInput(WRONG_TYPE, field="file") from None
    finally:
        file.seek(0)
    if "[Content_Types].xml" not in names or not any(
        name.startswith("word/") for name in names
    ):
        raise InvalidInput(WRONG_TYPE, field="file")


def _is_utf8_text(file: IO[bytes]) -> bool:
    """Whether the whole file is UTF-8 text with no NUL, read in chunks."""
    decoder = codecs.getincrementaldecoder("utf-8")()
    file.seek(0)
    try:
        while chunk := file.read(CHUNK):
            if b"\x00" in chunk:
                return False
            decoder.decode(chunk)
        decoder.decode(b"", final=True)
    except UnicodeDecodeError:
        return False
    finally:
        file.seek(0)
    return True
