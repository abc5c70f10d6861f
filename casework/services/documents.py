"""Documents on a case: adding one, recording its downloads, and removing them
with their files when the case's retention period ends.

An upload is checked in full before anything is kept: its title and type, its
size, what its bytes say it is (``core.files``) and the virus scanner's
verdict (``core.scanning``). Only then is the file stored under a random name
and its row written; if the row cannot be written the file is removed again,
so a refusal leaves neither a row nor a file behind.
"""

from __future__ import annotations

import hashlib
import logging
import secrets
from collections.abc import Collection
from typing import IO, TYPE_CHECKING

from django.conf import settings
from django.core.files import File
from django.core.files.storage import Storage, storages
from django.db import transaction

from accounts.models import User
from casework import events
from casework.models import Case, CaseDocument, DocumentType
from core import clock
from core.access_log import access_log_record
from core.errors import InvalidInput, Problem, refuse_if_any
from core.files import file_kind
from core.models import AccessLog
from core.scanning import ScannerUnavailable, scanner

if TYPE_CHECKING:
    from django.core.files.uploadedfile import UploadedFile
    from django.http import HttpRequest

logger = logging.getLogger(__name__)

TITLE_MAX = 200
NO_FILE = "Select a file to upload"
TOO_BIG = "The selected file must be smaller than 20 MB"
SCANNER_DOWN = "The file could not be checked for viruses. Try again later."
INFECTED = (
    "The selected file contains a virus or other harmful content and was not uploaded"
)


def document_storage() -> Storage:
    """The private storage the documents are kept in (``STORAGES["documents"]``)."""
    return storages["documents"]


def _sha256(file: IO[bytes]) -> str:
    digest = hashlib.sha256()
    file.seek(0)
    while chunk := file.read(64 * 1024):
        digest.update(chunk)
    file.seek(0)
    return digest.hexdigest()


def _shown_name(name: str) -> str:
    # Only ever shown, escaped: the folder part and control characters go.
    name = name.replace("\\", "/").rsplit("/", 1)[-1]
    return "".join(c for c in name if c.isprintable())[:255]


def case_document_upload(
    *,
    case_id: int,
    actor: User,
    title: str,
    document_type: str,
    shared_with_partners: bool,
    upload: UploadedFile | None,
    request: HttpRequest | None = None,
) -> CaseDocument:
    """Add a document to a case. Preconditions: ``access.may_upload_document``.
    Refuses (``InvalidInput``, every problem by its field) a missing title or
    type, a missing, empty or too large file, a file that is not a PDF, PNG,
    JPEG, Word document or UTF-8 text by its bytes, and a file the scanner
    finds harmful or could not check; nothing is stored then. As with notes, a
    closed case may still be given a document (a signed form that arrives
    late belongs to the record)."""
    title = (title or "").strip()
    problems: list[Problem] = []
    if not title:
        problems.append(("title", "Enter a title for the document"))
    elif len(title) > TITLE_MAX:
        problems.append(("title", "The title must be 200 characters or fewer"))
    if document_type not in DocumentType.values:
        problems.append(("document_type", "Select the type of document"))
    kind = None
    if upload is None:
        problems.append(("file", NO_FILE))
    elif upload.size is None or upload.size > settings.CASE_DOCUMENT_MAX_BYTES:
        # Checked before the bytes are read: a large file waits on disk only.
        problems.append(("file", TOO_BIG))
    else:
        try:
            kind = file_kind(upload)
        except InvalidInput as exc:
            problems.extend(exc.problems)
    refuse_if_any(problems)
    assert upload is not None and upload.size is not None  # refused above
    assert kind is not None
    try:
        verdict = scanner().scan(upload)
    except ScannerUnavailable as exc:
        logger.warning("Virus scanner unavailable: %s", exc)
        raise InvalidInput(SCANNER_DOWN, field="file") from None
    if not verdict.clean:
        logger.warning(
            "Upload to case %s refused by the virus scanner: %s", case_id, verdict.found
        )
        raise InvalidInput(INFECTED, field="file")
    storage = document_storage()
    token = secrets.token_hex(16)
    stored_name = storage.save(f"{token[:2]}/{token}", File(upload))
    try:
        with transaction.atomic():
            case = Case.objects.select_for_update().get(pk=case_id)
            now = clock.now()
            document = CaseDocument.objects.create(
                case=case,
                title=title,
                document_type=document_type,
                shared_with_partners=shared_with_partners,
                stored_name=stored_name,
                content_type=kind.content_type,
                size=upload.size,
                sha256=_sha256(upload),
                original_name=_shown_name(upload.name or ""),
                uploaded_by=actor,
                uploaded_at=now,
            )
            events.document_uploaded(
                case,
                actor=actor,
                at=now,
                document_id=document.pk,
                title=title,
                shared=shared_with_partners,
            ).save()
            access_log_record(
                user=actor,
                obj=document,
                action=AccessLog.Action.UPLOAD,
                request=request,
            )
    except BaseException:
        storage.delete(stored_name)
        raise
    return document


def case_document_open(
    *, document: CaseDocument, actor: User, request: HttpRequest | None = None
) -> IO[bytes]:
    """The stored file of a document, for download, with the download written
    to the case's timeline and the access log. Preconditions: the document was
    resolved through ``access.document_get_for_user``."""
    file = document_storage().open(document.stored_name, "rb")
    with transaction.atomic():
        events.document_downloaded(
            document.case_id,
            actor=actor,
            at=clock.now(),
            document_id=document.pk,
            title=document.title,
        ).save()
        access_log_record(
            user=actor,
            obj=document,
            action=AccessLog.Action.DOWNLOAD,
            request=request,
        )
    return file


def case_documents_remove(*, case_ids: Collection[int]) -> tuple[int, dict[str, int]]:
    """Delete the documents of these cases, and their files once the deletion
    commits (a rolled-back purge keeps both). For the retention purge only:
    users never delete documents. Returns what ``QuerySet.delete`` returns."""
    documents = CaseDocument.objects.filter(case_id__in=case_ids)
    names = list(documents.values_list("stored_name", flat=True))
    result = documents.delete()
    if names:
        transaction.on_commit(lambda: _files_delete(names))
    return result


def _files_delete(names: list[str]) -> None:
    storage = document_storage()
    for name in names:
        storage.delete(name)
