"""Who may see which cases: the one choke point for cases (PRODUCT §1).

Practitioners see the cases they lead or are team members of, in their
localities; locality managers every case in their localities; requesters the
cases whose team they are on (the plan view only, built with the plan);
auditors (and moderators) the cases of their open audit rounds, read-only.
Partners lose a case the moment the family's consent to share information
with them is withdrawn (``selectors.consent.sharing_withdrawn``), unless a
manager has overridden the withdrawal for safeguarding.
Everyone else sees none. Team membership and audit assignments are object-level
grants (``casework.grants``), read here in SQL. Out of scope answers 404, the
same as a case that does not exist.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.db.models import Exists, OuterRef, Q, QuerySet

from accounts.access import (
    Viewer,
    active_user,
    locality_ids,
    locality_scope,
    manages_locality,
)
from accounts.models import User
from accounts.roles import Role
from casework.grants import VIEW, WORK, granted, has_case_grant
from casework.models import (
    Case,
    CaseDocument,
    CaseNote,
    CasePDF,
    CasePDFKind,
    CasePerson,
)
from casework.selectors.consent import sharing_withdrawn
from families.models import Person


def case_queryset_for_user(user: Viewer) -> QuerySet[Case]:
    cases = Case.objects.all()
    if not active_user(user):
        return cases.none()
    on_team = granted(user, VIEW)
    localities = locality_scope(user)
    if user.role == Role.LOCALITY_MANAGER:
        return cases.filter(locality_id__in=localities)
    if user.role == Role.PRACTITIONER:
        return cases.filter(Q(lead_practitioner=user) | on_team).filter(
            locality_id__in=localities
        )
    if user.role == Role.REQUESTER:
        # A family's withdrawal of consent to share information closes the
        # partners' view at once, unless a manager overrode it for safeguarding.
        return cases.filter(on_team).filter(~sharing_withdrawn())
    if user.role == Role.AUDITOR:
        # Granted on assignment, revoked when the round closes (``audits``).
        return cases.filter(on_team)
    return cases.none()


def case_get_for_user(user: Viewer, case_id: Any) -> Case | None:
    """The case if the user may see it; else None (shown as 404)."""
    try:
        pk = int(case_id)
    except (TypeError, ValueError):
        return None
    return (
        case_queryset_for_user(user)
        .select_related("family", "locality", "lead_practitioner")
        .filter(pk=pk)
        .first()
    )


def may_work_on(user: Viewer, case: Case) -> bool:
    """Whether the user may change the case (assessment, plan, reviews, notes,
    closure): its lead, a practitioner on its team, or a manager of its
    locality. Requesters on the team update only the actions they own."""
    if not active_user(user):
        return False
    if user.role == Role.LOCALITY_MANAGER:
        return manages_locality(user, case.locality_id)
    if user.role == Role.PRACTITIONER:
        return case.lead_practitioner_id == user.pk or has_case_grant(user, case, WORK)
    return False


def notes_amendable_by(user: Viewer, case: Case, notes: Iterable[CaseNote]) -> set[int]:
    """Which of the case's notes the user may correct: a note's author, while
    they still work on the case, or a manager of the case's locality (for an
    author who has moved on, or a correction the manager asks for). Nobody
    else — not another worker on the case: a note says what its author saw or
    did. Every amendment keeps the text before it, who made it and why."""
    if not active_user(user) or not may_work_on(user, case):
        return set()
    manager = user.role == Role.LOCALITY_MANAGER  # of the case's locality
    return {
        note.pk
        for note in notes
        if note.case_id == case.pk and (manager or note.author_id == user.pk)
    }


def may_amend_note(user: Viewer, case: Case, note: CaseNote) -> bool:
    """Whether the user may correct this note (``notes_amendable_by``)."""
    return note.pk in notes_amendable_by(user, case, [note])


def may_see_family_records(user: Viewer) -> bool:
    """Whether the user may read families' records (households and people) at
    all: practitioners and locality managers, within their cases' scope.
    Partners on a team (requesters) see the plan, not the family's records."""
    return active_user(user) and user.role in (
        Role.PRACTITIONER,
        Role.LOCALITY_MANAGER,
    )


def person_queryset_for_user(user: Viewer) -> QuerySet[Person]:
    """People in the households of the cases the user works, and the people on
    those cases (``may_see_family_records``)."""
    if not may_see_family_records(user):
        return Person.objects.none()
    cases = case_queryset_for_user(user)
    # Correlated: each person is checked by index (their household's cases,
    # their places on cases), so a query for a few people (a page, a search's
    # candidates) never reads the whole of the user's scope.
    on_cases = Exists(cases.filter(places__person_id=OuterRef("pk")))
    if isinstance(user, User) and user.role == Role.LOCALITY_MANAGER:
        # A manager's cases are their localities' (``case_queryset_for_user``):
        # the places on them are read from the places' own locality index,
        # whichever way PostgreSQL checks many candidates.
        on_cases = Exists(
            CasePerson.objects.filter(
                person_id=OuterRef("pk"),
                locality_id__in=locality_scope(user),
            )
        )
    return Person.objects.filter(
        Exists(cases.filter(family_id=OuterRef("family_id"))) | on_cases
    )


def may_lead(user: Viewer, case: Case) -> bool:
    """Whether the user may change who is on the team: the lead practitioner or
    a manager of the case's locality."""
    if not active_user(user):
        return False
    if user.role == Role.LOCALITY_MANAGER:
        return manages_locality(user, case.locality_id)
    return user.role == Role.PRACTITIONER and case.lead_practitioner_id == user.pk


def may_record_consent(user: Viewer, case: Case) -> bool:
    """Who records a person's consent and its withdrawal on a case: its lead
    practitioner or a manager of its locality (``may_lead``)."""
    return may_lead(user, case)


def may_override_consent(user: Viewer, case: Case) -> bool:
    """A manager of the case's locality decides that partners keep access
    despite a withdrawal of information-sharing consent."""
    return active_user(user) and manages_locality(user, case.locality_id)


def may_use_caseload(user: Viewer) -> bool:
    """The caseload and My work: practitioners, locality managers, and partners
    (requesters) for the families whose team they are on."""
    return active_user(user) and user.role in (
        Role.PRACTITIONER,
        Role.LOCALITY_MANAGER,
        Role.REQUESTER,
    )


def may_use_dashboard(user: Viewer) -> bool:
    """The workers' dashboard of what needs doing (not partners)."""
    return active_user(user) and user.role in (
        Role.PRACTITIONER,
        Role.LOCALITY_MANAGER,
    )


def sees_team_view_only(user: Viewer) -> bool:
    """Partners on a team (requesters) see a case's team, plan and children's
    names: never its file (assessment, reviews, people's records) or the
    family's details."""
    return active_user(user) and user.role == Role.REQUESTER


def may_sign_off_closure(user: Viewer, case: Case) -> bool:
    """A manager of the case's locality signs its closure off."""
    return manages_locality(user, case.locality_id)


def may_upload_referrals(user: Viewer) -> bool:
    """Practitioners and managers upload referrals made outside early help:
    each row is then checked against the people in the cases they work."""
    return active_user(user) and user.role in (
        Role.PRACTITIONER,
        Role.LOCALITY_MANAGER,
    )


def managed_locality_ids(user: Viewer) -> list[int]:
    """The localities an active locality manager manages (none for anyone else)."""
    if not active_user(user) or user.role != Role.LOCALITY_MANAGER:
        return []
    return sorted(locality_ids(user))


def worker_get_for_manager(user: Viewer, worker_id: Any) -> User | None:
    """A practitioner or manager whose work the manager may open: one who is a
    member of a locality the manager manages. None otherwise (shown as 404, as
    for someone who does not exist)."""
    try:
        pk = int(worker_id)
    except (TypeError, ValueError):
        return None
    worker = (
        User.objects.filter(
            pk=pk,
            is_active=True,
            role__in=[Role.PRACTITIONER, Role.LOCALITY_MANAGER],
        )
        .prefetch_related("memberships")
        .first()
    )
    if worker is None:
        return None
    if not any(manages_locality(user, m.locality_id) for m in worker.memberships.all()):
        return None
    return worker


def may_download_plan_pdf(user: Viewer, case: Case) -> bool:
    """Our Family Plan as a PDF, for a case the user sees
    (``case_get_for_user``): its lead practitioner, the team around the family
    (partners too: the plan is theirs to work to) and the managers of its
    locality. Not auditors: their reading ends when the audit closes, and a
    downloaded copy would outlive it."""
    return active_user(user) and user.role in (
        Role.PRACTITIONER,
        Role.LOCALITY_MANAGER,
        Role.REQUESTER,
    )


def may_download_case_summary(
    user: Viewer, case: Case, *, works_on: bool | None = None
) -> bool:
    """The case summary as a PDF: those who work on the case
    (``may_work_on``: its lead, practitioners on its team, managers of its
    locality; ``works_on`` is its answer when the caller has it already).
    Partners on the team see the plan, never the case file (people's dates of
    birth, the assessment, reviews, the chronology), so they cannot download
    it; nor auditors, whose reading ends with the audit."""
    return may_work_on(user, case) if works_on is None else works_on


def may_download_case_pdf(user: Viewer, case: Case, kind: str) -> bool:
    """Whether the user may ask for, follow and download that kind of PDF of
    the case (``CasePDFKind``); False for an unknown kind."""
    if kind == CasePDFKind.PLAN:
        return may_download_plan_pdf(user, case)
    if kind == CasePDFKind.SUMMARY:
        return may_download_case_summary(user, case)
    return False


def case_pdf_get_for_user(user: Viewer, case_id: Any, pdf_id: Any) -> CasePDF | None:
    """A PDF job of a case the user sees, of a kind they may download
    (``may_download_case_pdf``); else None (shown as 404, as for one that does
    not exist). The bytes are not loaded."""
    case = case_get_for_user(user, case_id)
    if case is None:
        return None
    try:
        pk = int(pdf_id)
    except (TypeError, ValueError):
        return None
    job = CasePDF.objects.defer("pdf").filter(pk=pk, case=case).first()
    if job is None or not may_download_case_pdf(user, case, job.kind):
        return None
    job.case = case  # resolved above, with its family and lead
    return job


def documents_for_user(user: Viewer, case: Case) -> QuerySet[CaseDocument]:
    """The documents of a case the user may see (the case resolved through
    ``case_get_for_user``): all of them for those who see the whole case (its
    workers, auditors while their round is open); for partners on the team
    (requesters) only those shared with the partners."""
    documents = CaseDocument.objects.filter(case_id=case.pk)
    if not active_user(user):
        return documents.none()
    if sees_team_view_only(user):
        return documents.filter(shared_with_partners=True)
    return documents


def document_get_for_user(
    user: Viewer, case_id: Any, document_id: Any
) -> CaseDocument | None:
    """A document of a case if the user may see it; else None (shown as 404,
    the same as a document that does not exist)."""
    case = case_get_for_user(user, case_id)
    try:
        pk = int(document_id)
    except (TypeError, ValueError):
        return None
    if case is None:
        return None
    document = documents_for_user(user, case).filter(pk=pk).first()
    if document is not None:
        document.case = case
    return document


def may_upload_document(user: Viewer, case: Case) -> bool:
    """Practitioners on the case and managers of its locality add documents
    (``may_work_on``); partners and auditors do not."""
    return may_work_on(user, case)
