"""What the data protection officer answers for (selectors): which records
belong to a person, and who viewed them (QUALITY §2)."""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from django.db.models import Q, QuerySet
from django.utils import timezone

from audits.models import CaseAudit
from casework.models import (
    Assessment,
    AssessmentPerson,
    Case,
    CaseClosure,
    ClosurePerson,
    PersonConsent,
    SocialCareReferral,
    WheelDomain,
)
from casework.selectors.consent import withdrawal_of
from core.models import AccessLog
from core.periods import Month
from families.models import FORMER_LABELS, Person
from family_connect.models import CrossLocalityLink, FamilyConnectForm, FormMember


def person_record_keys(person: Person) -> dict[str, list[str]]:
    """The access-log keys of everything that shows the person: their own
    record, their household, the household's cases and every form naming them
    or their household — object type → ids."""
    forms = Q(members__person=person)
    cases: list[str] = []
    if person.family_id is not None:
        forms |= Q(family_id=person.family_id)
        cases = [
            str(pk)
            for pk in Case.objects.filter(family_id=person.family_id).values_list(
                "pk", flat=True
            )
        ]
    keys = {
        "families.person": [str(person.pk)],
        "families.family": [str(person.family_id)] if person.family_id else [],
        "casework.case": cases,
        "family_connect.familyconnectform": [
            str(pk)
            for pk in FamilyConnectForm.objects.filter(forms)
            .values_list("pk", flat=True)
            .distinct()
        ],
    }
    return {kind: ids for kind, ids in keys.items() if ids}


def who_viewed(person: Person) -> QuerySet[AccessLog]:
    """Every read of the person's records, newest first."""
    wanted = Q(pk__in=[])
    for kind, ids in person_record_keys(person).items():
        wanted |= Q(object_type=kind, object_id__in=ids)
        if kind in FORMER_LABELS:  # read before the model moved app
            wanted |= Q(object_type=FORMER_LABELS[kind], object_id__in=ids)
    return AccessLog.objects.filter(wanted).order_by("-at", "-pk")


# --- Subject access ---------------------------------------------------------------


def _when(value: Any) -> str | None:
    return value.isoformat() if value is not None else None


def _label(instance: Any, field: str) -> str:
    """A choice field's label ("" stays "")."""
    value = getattr(instance, field)
    return str(dict(instance._meta.get_field(field).choices or []).get(value, value))


def _wheel(record: Any) -> dict[str, int | None]:
    return {domain: getattr(record, domain) for domain in WheelDomain.values}


def _person_cases(person: Person) -> QuerySet[Case]:
    """The cases of the person's household, and any other case with a record
    naming them (an assessment, review, closure or step-up)."""
    naming = (
        Q(assessment__people__person=person)
        | Q(reviews__people__person=person)
        | Q(closure__people__person=person)
        | Q(social_care_referrals__person=person)
        | Q(consents__person=person)
    )
    if person.family_id is not None:
        naming |= Q(family_id=person.family_id)
    ids = Case.objects.filter(naming).values("pk")
    return (
        Case.objects.filter(pk__in=ids)
        .select_related("locality", "lead_practitioner")
        .order_by("opened_at", "pk")
    )


def _case_export(case: Case, person: Person) -> dict[str, Any]:
    assessment = Assessment.objects.filter(case=case).first()
    closure = CaseClosure.objects.filter(case=case).first()
    return {
        "case": case.pk,
        "locality": case.locality.name,
        "status": case.get_status_display(),
        "opened_at": _when(case.opened_at),
        "closed_at": _when(case.closed_at),
        "lead_practitioner": case.lead_practitioner.display_name
        if case.lead_practitioner
        else "",
        "assessment": None
        if assessment is None
        else {
            "completed_at": _when(assessment.completed_at),
            "what_we_are_worried_about": assessment.worries,
            "what_is_working_well": assessment.working_well,
            "what_needs_to_happen": assessment.needs_to_happen,
            "the_familys_voice": assessment.family_voice,
            "scaling": assessment.scaling,
            "family_wheel": _wheel(assessment),
            "about_this_person": [
                {"score": row.score, "voice": row.voice}
                for row in AssessmentPerson.objects.filter(
                    assessment=assessment, person=person
                )
            ],
        },
        "plan": [
            {
                "outcome": outcome.text,
                "domain": outcome.get_domain_display(),
                "actions": [
                    {
                        "what": action.what,
                        "owner": "The family"
                        if action.owner_is_family
                        else (action.owner.display_name if action.owner else ""),
                        "due_on": _when(action.due_on),
                        "status": action.get_status_display(),
                        "community_service": action.community_service.name
                        if action.community_service
                        else "",
                    }
                    for action in outcome.actions.select_related(
                        "owner", "community_service"
                    ).order_by("due_on", "pk")
                ],
            }
            for outcome in case.outcomes.order_by("created_at", "pk")
        ],
        "reviews": [
            {
                "held_at": _when(review.held_at),
                "attendees": review.attendees,
                "progress": review.progress,
                "plan_changes": review.plan_changes,
                "scaling": review.scaling,
                "family_wheel": _wheel(review),
                "score_for_this_person": [
                    row.score
                    for row in review.people.all()
                    if row.person_id == person.pk
                ],
            }
            for review in case.reviews.prefetch_related("people").order_by(
                "held_at", "pk"
            )
        ],
        "notes": [
            {
                "happened_at": _when(note.happened_at),
                "kind": note.get_kind_display(),
                "significant": note.significant,
                "text": note.text,
                # A corrected note's earlier texts are still held about them.
                "amendments": [
                    {
                        "amended_at": _when(amendment.amended_at),
                        "reason": amendment.reason,
                        "text_before": amendment.text_before,
                    }
                    for amendment in note.amendments.all()
                ],
            }
            for note in case.notes.prefetch_related("amendments").order_by(
                "happened_at", "pk"
            )
        ],
        "closure": None
        if closure is None
        else {
            "closed_at": _when(closure.closed_at),
            "reason": _label(closure, "reason"),
            "family_wheel": _wheel(closure),
            "family_feedback_score": closure.family_feedback_score,
            "family_feedback_comment": closure.family_feedback_comment,
            "about_this_person": [
                {
                    "score": row.score,
                    "happy": row.happy,
                    "healthy": row.healthy,
                    "safe": row.safe,
                }
                for row in ClosurePerson.objects.filter(closure=closure, person=person)
            ],
        },
        "consent": [
            {
                "purpose": consent.get_purpose_display(),
                "agencies": consent.agencies,
                "given_by": consent.get_given_by_display(),
                "given_by_name": consent.given_by_name,
                "given_on": _when(consent.given_on),
                "withdrawal": None
                if (withdrawal := withdrawal_of(consent)) is None
                else {
                    "withdrawn_by": withdrawal.get_withdrawn_by_display(),
                    "withdrawn_by_name": withdrawal.withdrawn_by_name,
                    "withdrawn_on": _when(withdrawal.withdrawn_on),
                    "details": withdrawal.details,
                },
            }
            for consent in PersonConsent.objects.filter(case=case, person=person)
            .select_related("withdrawal")
            .order_by("recorded_at", "pk")
        ],
        "audits": [
            {
                "type": audit.get_type_display(),
                "round": audit.round.title if audit.round else "",
                "status": audit.get_status_display(),
                "grade": str(audit.final_grade) if audit.final_grade else "",
                "strengths": audit.strengths,
                "improvements": audit.improvements,
                "finalised_at": _when(audit.finalised_at),
            }
            for audit in CaseAudit.objects.filter(case=case)
            .select_related("round", "final_grade")
            .order_by("assigned_at", "pk")
        ],
    }


def subject_access_export(person: Person) -> dict[str, Any]:
    """Everything held about one person, readable: their own record, the forms
    naming them (their own entry only, no other member's), the cases of their
    household with the assessment, plan, reviews, notes, closure and audits,
    and the referrals to social care made for them. Other people's entries —
    a sibling's voice or scores, another member of a form — are left out."""
    family = person.family
    members = (
        FormMember.objects.filter(person=person)
        .select_related("form__locality", "form__organisation", "form__decision")
        .prefetch_related("form__reasons")
        .order_by("form__received_at", "pk")
    )
    return {
        "about": "Subject access export: everything Early Help Connect holds about "
        "this person.",
        "person": {
            "person_number": person.pk,
            "imported_as": person.external_id or "",
            "given_name": person.given_name,
            "family_name": person.family_name,
            "date_of_birth": _when(person.date_of_birth),
            "expected": person.expected,
            "sex": person.get_sex_display(),
            "ethnicity": person.get_ethnicity_display(),
            "role": person.get_role_display(),
            "relationship": person.get_relationship_display(),
        },
        "household": None
        if family is None
        else {
            "address": family.address_line,
            "postcode": family.postcode,
            "locality": family.locality.name if family.locality else "",
        },
        "family_connect_forms": [
            {
                "reference": m.form.reference,
                "received_at": _when(m.form.received_at),
                "route": m.form.get_route_display(),
                "request_type": m.form.get_request_type_display(),
                "status": m.form.get_status_display(),
                "locality": m.form.locality.name if m.form.locality else "",
                "organisation": m.form.organisation.name if m.form.organisation else "",
                "reasons": [r.label for r in m.form.reasons.all()],
                "in_the_familys_words": m.form.family_words,
                "childs_voice": m.form.child_voice,
                "what_is_working_well": m.form.working_well,
                "as_named_on_the_form": {
                    "given_name": m.given_name,
                    "family_name": m.family_name,
                    "date_of_birth": _when(m.date_of_birth),
                    "role": m.get_role_display(),
                },
                "decision": None
                if not hasattr(m.form, "decision")
                else {
                    "outcome": m.form.decision.get_outcome_display(),
                    "decided_at": _when(m.form.decision.decided_at),
                },
            }
            for m in members
        ],
        "cases": [_case_export(case, person) for case in _person_cases(person)],
        "referrals_to_social_care": [
            {
                "referred_at": _when(r.referred_at),
                "how": r.get_source_display(),
                "reason": r.reason,
                "outcome": r.get_outcome_display(),
            }
            for r in SocialCareReferral.objects.filter(person=person).order_by(
                "referred_at", "pk"
            )
        ],
    }


# Dates and moments in the export (ISO 8601), shown as people read them.
ISO_MOMENT = re.compile(
    r"^\d{4}-\d{2}-\d{2}(T\d{2}:\d{2}:\d{2}(\.\d+)?[+-]\d{2}:\d{2})?$"
)
LABELS = {
    "in_the_familys_words": "In the family's words",
    "childs_voice": "The child's voice",
    "the_familys_voice": "The family's voice",
}
# Titles of the repeated records, one section each.
ONE_OF = {
    "family_connect_forms": "Family Connect Form",
    "cases": "Case",
    "referrals_to_social_care": "Referral to social care",
    "plan": "Plan outcome",
    "actions": "Action",
    "reviews": "Review",
    "notes": "Note",
    "amendments": "Amendment",
    "audits": "Audit",
    "about_this_person": "About this person",
}


def readable_sections(export: dict[str, Any]) -> list[dict[str, Any]]:
    """The export as headed sections of (label, text) rows, in its own order,
    for the PDF: nested records become sections of their own."""
    sections: list[dict[str, Any]] = []

    def label(key: str) -> str:
        return LABELS.get(key, key.replace("_", " ").capitalize())

    def text(value: Any) -> str:
        if value is None or value == "":
            return "–"
        if isinstance(value, str) and ISO_MOMENT.match(value):
            moment = datetime.fromisoformat(value)
            if "T" not in value:
                return f"{moment:%-d %B %Y}"
            return f"{timezone.localtime(moment):%-d %B %Y, %H:%M}"
        if isinstance(value, bool):
            return "Yes" if value else "No"
        if isinstance(value, list) and all(not isinstance(v, dict) for v in value):
            return ", ".join(text(v) for v in value) or "–"
        return str(value)

    def walk(title: str, record: dict[str, Any], level: int) -> None:
        section: dict[str, Any] = {"title": title, "level": level, "rows": []}
        sections.append(section)
        for key, value in record.items():
            if isinstance(value, dict):
                walk(label(key), value, level + 1)
            elif isinstance(value, list) and any(isinstance(v, dict) for v in value):
                for n, item in enumerate(value, start=1):
                    walk(f"{ONE_OF.get(key, label(key))} {n}", item, level + 1)
            else:
                section["rows"].append((label(key), text(value)))

    for key, value in export.items():
        if isinstance(value, dict):
            walk(label(key), value, 2)
        elif isinstance(value, list):
            if not value:
                sections.append(
                    {"title": label(key), "level": 2, "rows": [("", "None held")]}
                )
            for n, item in enumerate(value, start=1):
                walk(f"{ONE_OF.get(key, label(key))} {n}", item, 2)
        elif value is None:
            sections.append(
                {"title": label(key), "level": 2, "rows": [("", "None held")]}
            )
    return sections


# --- Anomalies --------------------------------------------------------------------


@dataclass(frozen=True)
class CrossLocalityRow:
    link: CrossLocalityLink
    # The same manager's cross-locality links in the month, this one included.
    managers_links_in_month: int


def cross_locality_links(month: Month) -> list[CrossLocalityRow]:
    """Every link of a form to a household of another locality made in the
    month, newest first, each with how many such links its manager made that
    month. Two queries."""
    start, end = month.bounds()
    links = list(
        CrossLocalityLink.objects.filter(at__gte=start, at__lt=end)
        .select_related("actor", "form_locality", "household_locality")
        .order_by("-at", "-pk")
    )
    per_manager = Counter(link.actor_id for link in links)
    return [
        CrossLocalityRow(link=link, managers_links_in_month=per_manager[link.actor_id])
        for link in links
    ]
