"""Cases.

The case is one episode of early help for a household (``families``) with its
lead practitioner (``cases``); the record of the work with the family builds on
it (``record``: assessment, plan, reviews, closure), and so do referrals to
children's social care (``referrals``).
"""

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
    "ImportedEpisode",
    "WheelDomain",
    "Assessment",
    "AssessmentPerson",
    "ClosureReason",
    "Answer",
    "CaseClosure",
    "ClosurePerson",
    "PostClosureCheck",
    "PlanOutcome",
    "ActionStatus",
    "PlanAction",
    "Review",
    "ReviewPerson",
    "StepUpOutcome",
    "SocialCareReferral",
    "ConsentPurpose",
    "ConsentGiver",
    "PersonConsent",
    "ConsentWithdrawal",
    "ConsentOverride",
]
