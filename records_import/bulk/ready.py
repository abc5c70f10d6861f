"""Which new episodes the batched path may write (``records_import.bulk``)."""

from __future__ import annotations

import datetime as dt

from casework.models import ClosureReason
from family_connect.models import FormStatus
from records_import.episodes import Episode


def bulk_ready(episode: Episode) -> bool:
    """Whether every step of the episode is one the services accept, so the
    batched path writes exactly what they would. Anything unusual goes through
    the services, which explain a refusal."""
    r = episode.request
    decision = r.decision
    if r.requester_feedback is not None and decision is None and not r.final_status:
        return False  # feedback before any decision: refused
    locality = r.locality
    for t in r.transfers:
        if t.to_locality == locality:
            return False  # already there: refused
        locality = t.to_locality
    if decision is None or decision.outcome != FormStatus.ALLOCATED:
        return True
    if not r.consent or locality is None:
        return False
    return _case_ready(episode)


def _case_ready(episode: Episode) -> bool:
    case = episode.case
    assert case is not None
    closed = case.closure.closed_at if case.closure else None
    assessed = case.assessment.completed_at if case.assessment else None

    def before_closure(when: dt.datetime) -> bool:
        return closed is None or when < closed

    if assessed is not None and not before_closure(assessed):
        return False
    for review in case.reviews:
        # Reviews follow the completed assessment, while the case is open.
        if assessed is None or review.held_at <= assessed:
            return False
        if not before_closure(review.held_at):
            return False
    for step_up in case.step_ups:
        if not before_closure(step_up.referred_at):
            return False
        if step_up.referred_at == assessed:
            return False  # same instant: order would matter
    closure = case.closure
    # Outcomes met needs the baseline.
    return not (
        closure and closure.reason == ClosureReason.OUTCOMES_MET and assessed is None
    )
