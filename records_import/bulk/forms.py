"""The forms of a batch and their rows (``records_import.bulk``)."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from django.utils import timezone

from accounts.models import Organisation
from casework.models import ImportedEpisode
from families.models import Person
from families.names import name_keys
from family_connect import events as form_events
from family_connect.models import (
    FamilyConnectForm,
    FormDecision,
    FormEvent,
    FormFeedback,
    FormMember,
    FormStatus,
    FormTransfer,
    Reason,
)
from family_connect.references import reference_new, status_key_new
from localities.models import Locality
from records_import.bulk.rows import fast_row, insert
from records_import.bulk.written import Written
from records_import.load import Directory


def forms_write(
    written: list[Written], directory: Directory, localities: dict[str, Locality]
) -> None:
    forms: list[FamilyConnectForm] = []
    organisations: dict[str, Organisation | None] = {}
    for w in written:
        r, h = w.episode.request, w.episode.household
        name = r.organisation
        if name and name not in organisations:
            organisations[name] = directory.organisation(name)
        decision = r.decision
        form_status = decision.outcome if decision else FormStatus.SUBMITTED
        if r.final_status:
            form_status = r.final_status
        w.form = FamilyConnectForm(
            reference=reference_new(),
            status_key=status_key_new(),
            route=r.route,
            request_type=r.request_type,
            status=form_status,
            received_at=r.received_at,
            organisation=organisations.get(name) if name else None,
            postcode=h.postcode,
            address_line=h.address_line,
            locality=localities.get(r.final_locality or ""),
            level_of_need=r.level_of_need,
            consent=bool(r.consent),
            consent_recorded_at=r.received_at if r.consent else None,
            closed_to_social_care_on=r.closed_to_social_care_on,
            family=w.family,
            case=w.case,
        )
        forms.append(w.form)
    FamilyConnectForm.objects.bulk_create(forms)


@dataclass
class _FormRows:
    members: list[FormMember] = field(default_factory=list)
    reasons: list[Any] = field(default_factory=list)
    events: list[FormEvent] = field(default_factory=list)
    transfers: list[FormTransfer] = field(default_factory=list)
    decisions: list[FormDecision] = field(default_factory=list)
    feedback: list[FormFeedback] = field(default_factory=list)
    imported: list[ImportedEpisode] = field(default_factory=list)


def form_rows_write(
    written: list[Written],
    people: dict[str, Person],
    localities: dict[str, Locality],
) -> list[FormEvent]:
    """Each form's members, reasons, transfers, decisions, feedback and
    episode record; returns its events, written after the cases' rows."""
    reason_ids = dict(Reason.objects.values_list("code", "pk"))
    rows = _FormRows()
    now = timezone.now()
    for w in written:
        _form_members(rows, w, people)
        rows.reasons += [
            fast_row(
                FamilyConnectForm.reasons.through,
                familyconnectform_id=w.form.pk,
                reason_id=reason_ids[code],
            )
            for code in w.episode.request.reasons
        ]
        _form_submitted_and_transferred(rows, w, localities)
        _form_decided(rows, w)
        _form_feedback(rows, w)
        w.imported = ImportedEpisode(
            external_id=w.episode.external_id,
            digest=w.digest,
            form=w.form,
            household_external_id=w.episode.household.external_id,
            received_at=w.episode.request.received_at,
            imported_at=now,
        )
        rows.imported.append(w.imported)
    insert(FormMember, rows.members)
    insert(FamilyConnectForm.reasons.through, rows.reasons)
    insert(FormTransfer, rows.transfers)
    insert(FormDecision, rows.decisions)
    insert(FormFeedback, rows.feedback)
    ImportedEpisode.objects.bulk_create(rows.imported)
    return rows.events


def _form_members(rows: _FormRows, w: Written, people: dict[str, Person]) -> None:
    for i, m in enumerate(w.episode.household.members):
        rows.members.append(
            fast_row(
                FormMember,
                form=w.form,
                position=i,
                external_id=m.external_id,
                role=m.role,
                given_name=m.given_name,
                family_name=m.family_name,
                **name_keys(m.given_name, m.family_name),
                date_of_birth=m.date_of_birth,
                expected=m.expected,
                sex=m.sex,
                ethnicity=m.ethnicity,
                relationship=m.relationship,
                person=people[m.external_id],
            )
        )


def _form_submitted_and_transferred(
    rows: _FormRows, w: Written, localities: dict[str, Locality]
) -> None:
    form, r = w.form, w.episode.request
    rows.events.append(
        form_events.submitted(
            form, actor=None, at=r.received_at, locality_slug=r.locality
        )
    )
    mover = w.decider or w.system
    before = localities[r.locality].pk if r.locality else None
    for t in r.transfers:
        to = localities[t.to_locality]
        reason = t.reason or "Transferred in the previous system"
        rows.transfers.append(
            FormTransfer(
                form=form,
                from_locality_id=before,
                to_locality=to,
                by=mover,
                at=t.at,
                reason=reason,
            )
        )
        rows.events.append(
            form_events.transferred(
                form,
                actor=mover,
                at=t.at,
                from_locality_id=before,
                to_locality_id=to.pk,
                reason=reason,
            )
        )
        before = to.pk


def _form_decided(rows: _FormRows, w: Written) -> None:
    """The decision, then a final status (duplicate, withdrawn) over it."""
    form, r = w.form, w.episode.request
    decision = r.decision
    first_outcome = None
    if decision is not None:
        first_outcome = decision.outcome
        links: dict[str, Any] = {}
        if first_outcome == FormStatus.ALLOCATED:
            links = {"lead_practitioner": w.lead, "case": w.case}
        elif first_outcome == FormStatus.SIGNPOSTED:
            links = {"community_service": None}
        rows.decisions.append(
            FormDecision(
                form=form,
                outcome=first_outcome,
                decided_by=w.decider,
                decided_at=decision.decided_at,
                reason=decision.reason,
                **links,
            )
        )
        rows.events.append(
            form_events.decided(
                form,
                actor=w.decider,
                at=decision.decided_at,
                before=FormStatus.SUBMITTED.value,
                outcome=first_outcome,
                reason=decision.reason,
                links=links,
            )
        )
    if r.final_status:
        _form_final_status(rows, w, r.final_status, first_outcome)


def _form_final_status(
    rows: _FormRows, w: Written, final_status: str, first_outcome: str | None
) -> None:
    form, r = w.form, w.episode.request
    decision = r.decision
    at = decision.decided_at if decision else r.received_at
    actor = w.decider or w.system
    if first_outcome is None:
        rows.decisions.append(
            FormDecision(
                form=form,
                outcome=final_status,
                decided_by=actor,
                decided_at=at,
                reason="",
            )
        )
    # Closed without a decision, the final status is the decision itself.
    recorded = (
        form_events.decided if first_outcome is None else form_events.status_changed
    )
    rows.events.append(
        recorded(
            form,
            actor=actor,
            at=at,
            before=first_outcome or FormStatus.SUBMITTED.value,
            outcome=final_status,
            reason="",
        )
    )


def _form_feedback(rows: _FormRows, w: Written) -> None:
    fb = w.episode.request.requester_feedback
    if fb is None:
        return
    rows.feedback.append(
        FormFeedback(form=w.form, score=fb.score, given_at=fb.given_at)
    )
    rows.events.append(
        form_events.feedback_given(w.form, at=fb.given_at, score=fb.score)
    )
