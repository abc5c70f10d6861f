"""Reading uploaded CSV files: one reader for every upload (families, social
care referrals), with the same limits and the same messages.

Rows are numbered as a spreadsheet shows them: the heading is row 1.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.core.files.uploadedfile import UploadedFile
from django.core.files.uploadhandler import FileUploadHandler

from core.errors import InvalidInput

MAX_BYTES = 2 * 1024 * 1024
# Rows are saved while the uploader waits; keep a file well inside a request.
MAX_ROWS = 500


@dataclass(frozen=True)
class RowError:
    row: int
    column: str
    message: str


def csv_template(columns: list[str], example: dict[str, str]) -> str:
    """A template: the headings and one example row."""
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=columns)
    writer.writeheader()
    writer.writerow(example)
    return out.getvalue()


def csv_rows(
    content: bytes,
    *,
    required: Iterable[str],
    max_rows: int = MAX_ROWS,
    max_bytes: int = MAX_BYTES,
) -> list[dict[str, str]]:
    """The rows of an uploaded UTF-8 CSV file as dictionaries keyed by the
    (trimmed) headings. Raises InvalidInput, with a message for the uploader,
    when the file itself cannot be used."""
    if len(content) > max_bytes:
        raise InvalidInput(f"The file must be smaller than {max_bytes // 2**20} MB.")
    try:
        text = content.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise InvalidInput("The file must be a CSV file saved as UTF-8.") from None
    if "\x00" in text:
        raise InvalidInput("The file must be a CSV file saved as UTF-8.")
    reader = csv.DictReader(io.StringIO(text))
    try:
        headers = [h.strip() for h in (reader.fieldnames or [])]
    except csv.Error as exc:
        raise InvalidInput(f"The file is not a CSV file we can read ({exc}).") from None
    missing = sorted(set(required) - set(headers))
    if missing:
        raise InvalidInput(
            "The file is missing these columns: "
            + ", ".join(missing)
            + ". Download the template to see the columns."
        )
    reader.fieldnames = headers
    rows = []
    try:
        for i, row in enumerate(reader):
            if i >= max_rows:
                raise InvalidInput(f"The file must have at most {max_rows} rows.")
            rows.append(row)
    except csv.Error as exc:
        raise InvalidInput(f"The file is not a CSV file we can read ({exc}).") from None
    if not rows:
        raise InvalidInput("The file has no rows under its headings.")
    return rows


class OversizedUpload(UploadedFile):
    """Stands for an uploaded file larger than any form takes: its bytes were
    not kept; its size is how much was received, over the limit, so the
    form's or service's size check refuses it with its own message."""

    def __init__(self, *, name: str, content_type: str, size: int) -> None:
        super().__init__(io.BytesIO(b""), name, content_type, size)


class FileSizeLimitHandler(FileUploadHandler):
    """The first upload handler: passes each file's bytes on to the next ones
    (memory up to ``FILE_UPLOAD_MAX_MEMORY_SIZE``, then a temporary file) until
    the file is larger than ``FILE_UPLOAD_MAX_BYTES``; past that nothing more
    of it is kept, in memory or on disk, however long the body is."""

    def new_file(self, *args: Any, **kwargs: Any) -> None:
        super().new_file(*args, **kwargs)
        self.received = 0

    def receive_data_chunk(self, raw_data: bytes, start: int) -> bytes | None:
        self.received += len(raw_data)
        if self.received > settings.FILE_UPLOAD_MAX_BYTES:
            return None  # the handlers after this one are not given it
        return raw_data

    def file_complete(self, file_size: int) -> UploadedFile | None:
        if self.received <= settings.FILE_UPLOAD_MAX_BYTES:
            return None  # the next handler's file
        return OversizedUpload(
            name=self.file_name or "",
            content_type=self.content_type or "",
            size=self.received,
        )
