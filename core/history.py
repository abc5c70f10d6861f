"""Recording history as it happened (the records import) and live practice.

The records import replays each historical episode through the same services
as live work, at the moments the file gives (``core.clock.replaying_at``). Some
rules guard live practice — what a practitioner must write down, whom a form
may be given to today — and history, which is what happened, is not held to
them (IMPORT.md: every valid line imports). Those rules are named here, once:
a service is told explicitly how it records (``LIVE``, the default, or
``HISTORY``) and asks ``mode.holds(Rule.X)`` before each of them.

Only the import passes ``HISTORY``; no web page or API does. Checks of who may
do something are not among these rules: a person's access is always checked
where the change comes from a person (the import acts as the system).
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum


class Rule(StrEnum):
    """A rule of live practice that history is not held to, and why."""

    # Triage.
    ROUTE_OF_THE_SUBMITTER = "a form comes by a route its submitter may use now"
    POSTCODE_PLACES_THE_FORM = "only a manager places a form outside its postcode"
    MATCHED_ON_RECEIPT = "a new form is matched to the family's open case"
    DECIDER_MANAGES_NOW = "the decider manages the form's locality now"
    REASON_WRITTEN = "a decision, closure or step-up has a written reason"
    DUPLICATE_NAMES_ITS_ORIGINAL = "a duplicate names the form it duplicates"
    MATCHES_CONFIRMED_FIRST = "matches are confirmed or rejected before allocation"
    LEAD_AVAILABLE_NOW = "the lead practitioner is active in the locality now"
    COMMUNITY_SERVICE_NAMED = "a step-down names its community service"
    DECISION_SEEN = "closing a decided form says which version was seen"
    STEP_UP_UNDONE = "closing a stepped-up form withdraws its referrals"
    # Casework.
    OPEN_CASE_JOINED = "a family has one open case, which a new form joins"
    HOUSEHOLD_FOLLOWS_MOVE = "allocation moves the household to the form's address"
    ASSESSMENT_WRITTEN_IN_FULL = "a completed assessment answers every question"
    REVIEW_WRITTEN_IN_FULL = "a review records attendees, progress and every score"
    REVIEW_AFTER_PLAN = "reviews are held once the assessment and plan are done"
    BASELINE_BEFORE_OUTCOMES_MET = "outcomes met needs a completed assessment"
    CLOSURE_SCORED = "a closure scores every domain and person"
    OPEN_ACTIONS_CHECKED = "closing with open plan actions confirms they were checked"
    DUE_DATE_AHEAD = "a due date set is today or later"
    # Messages.
    E_MAILS_SENT = "the people concerned are e-mailed"


@dataclass(frozen=True)
class Mode:
    """How a service records a change: as live work (every rule holds) or as
    history from the records import (the rules above do not)."""

    history: bool = False

    def holds(self, rule: Rule) -> bool:
        """Whether ``rule`` applies to the change being recorded."""
        return not self.history

    def __str__(self) -> str:
        return "history" if self.history else "live"


LIVE = Mode()
HISTORY = Mode(history=True)
