"""Documents on a case: signed consent, reports, letters.

The file itself is in the "documents" storage under a random name; the row
says what it is (checked by its bytes), who uploaded it, and whether the
partners on the team may see it. Users never delete a document: only the
retention purge removes it, with its file.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models

from casework.models.cases import Case
from core import files
from core.codes import check_in


class DocumentType(models.TextChoices):
    SIGNED_CONSENT = "signed_consent", "Signed consent"
    REPORT = "report", "Report"
    LETTER = "letter", "Letter"
    OTHER = "other", "Other"


class DocumentContentType(models.TextChoices):
    """The kinds of file accepted, as ``core.files`` recognises them."""

    PDF = files.PDF, "PDF"
    PNG = files.PNG, "PNG image"
    JPEG = files.JPEG, "JPEG image"
    DOCX = files.DOCX, "Word document"
    TEXT = files.TEXT, "Text file"


class CaseDocument(models.Model):
    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="documents")
    title = models.CharField(max_length=200)
    document_type = models.CharField(max_length=20, choices=DocumentType.choices)
    shared_with_partners = models.BooleanField(
        default=False,
        help_text="Partners on the team (outside early help) may see it.",
    )
    # Where the file is in the "documents" storage: a random name, never the
    # uploader's.
    stored_name = models.CharField(max_length=100, unique=True)
    content_type = models.CharField(max_length=100, choices=DocumentContentType.choices)
    size = models.PositiveBigIntegerField()
    sha256 = models.CharField(max_length=64)
    # The name the file had on the uploader's computer, shown only.
    original_name = models.CharField(max_length=255, blank=True)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    uploaded_at = models.DateTimeField()

    class Meta:
        ordering = ["-uploaded_at", "-pk"]
        indexes = [models.Index(fields=["case", "uploaded_at"])]
        constraints = [
            check_in("document_type", DocumentType, "case_document_type_valid"),
            check_in(
                "content_type", DocumentContentType, "case_document_content_valid"
            ),
        ]

    def __str__(self) -> str:
        return f"Document {self.pk} of case {self.case_id}"

    @property
    def kind(self) -> files.FileKind:
        return files.KINDS[self.content_type]
