"""Who may see what in privacy: the one choke point for the data protection
officer's pages (who viewed, subject access, anomalies) and for subject access
PDF jobs. Everyone else sees none; out of scope answers 404."""

from __future__ import annotations

from typing import Any

from accounts.access import Viewer, active_user, answers_for_records
from privacy.models import SubjectAccessPDF


def may_answer_for_records(user: Viewer) -> bool:
    """The data protection officer: who viewed a person's records, subject
    access exports and retention."""
    return answers_for_records(user)


def subject_access_pdf_get_for_user(
    user: Viewer, job_id: Any
) -> SubjectAccessPDF | None:
    """A subject access PDF job, for the data protection officer who asked for
    it only; else None (shown as 404). The PDF's bytes are not loaded."""
    if not active_user(user) or not may_answer_for_records(user):
        return None
    try:
        pk = int(job_id)
    except (TypeError, ValueError):
        return None
    return (
        SubjectAccessPDF.objects.defer("pdf")
        .select_related("person")
        .filter(pk=pk, requested_by=user)
        .first()
    )
