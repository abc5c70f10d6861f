"""Cases.

The case is one episode of early help for a household (``families``) with its
lead practitioner (``cases``); the record of the work with the family builds on
it (``record``: assessment, plan, reviews, closure), and so do referrals to
children's social care (``referrals``) and the documents kept on the case
(``documents``).
"""

from casework.models.case_pdfs import CasePDF, CasePDFKind
from casework.models.cases import (
    OPEN_STATUSES,
    Case,
    CaseEvent,
    CaseGroupObjectPermission,
    CaseMember,
    CaseNote,
    CasePerson,
    CasePersonSource,
    CaseStatus,
    CaseUserObjectPermission,
    ImportedEpisode,
    NoteAmendment,
    NoteKind,
)
from casework.models.consent import (
    ConsentGiver,
    ConsentOverride,
    ConsentPurpose,
    ConsentWithdrawal,
    PersonConsent,
)
from casework.models.contacts import CaseContact, ContactKind
from casework.models.documents import (
    CaseDocument,
    DocumentContentType,
    DocumentType,
)
from casework.models.record import (
    ActionStatus,
    Answer,
    Assessment,
    AssessmentPerson,
    CaseClosure,
    ClosurePerson,
    ClosureReason,
    PlanAction,
    PlanOutcome,
    PostClosureCheck,
    Review,
    ReviewPerson,
    WheelDomain,
)
from casework.models.referrals import (
    SocialCareReferral,
    StepUpOutcome,
)

__all__ = [
    "CaseStatus",
    "OPEN_STATUSES",
    "Case",
    "CaseMember",
    "CasePersonSource",
    "CasePerson",
    "CaseUserObjectPermission",
    "CaseGroupObjectPermission",
    "CaseEvent",
    "NoteKind",
    "CaseNote",
    "NoteAmendment",
    "ContactKind",
    "CaseContact",
    "ImportedEpisode",
    "WheelDomain",
    "Assessment",
    "AssessmentPerson",
    "ClosureReason",
    "Answer",
    "CaseClosure",
    "ClosurePerson",
    "CasePDFKind",
    "CasePDF",
    "PostClosureCheck",
    "PlanOutcome",
    "ActionStatus",
    "PlanAction",
    "ConsentPurpose",
    "ConsentGiver",
    "PersonConsent",
    "ConsentWithdrawal",
    "ConsentOverride",
    "Review",
    "ReviewPerson",
    "StepUpOutcome",
    "SocialCareReferral",
    "DocumentType",
    "DocumentContentType",
    "CaseDocument",
]
