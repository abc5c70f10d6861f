"""A subject access export for a seeded person: their forms, cases,
assessments, plans, reviews, notes and audit mentions, and nobody else's data;
as JSON and as a readable PDF (made by a worker), each download logged."""

from __future__ import annotations

import datetime as dt
import io
import json

import pytest
from pypdf import PdfReader

from accounts.roles import Role
from audits.models import AuditGrade, CaseAudit
from casework.models import (
    Assessment,
    AssessmentPerson,
    CaseClosure,
    CaseNote,
    ClosurePerson,
    NoteAmendment,
    PlanAction,
    PlanOutcome,
    Review,
    ReviewPerson,
    SocialCareReferral,
)
from core.models import AccessLog
from privacy.models import SubjectAccessPDF
from tests.audits.factories import make_round
from tests.factories import CaseFactory, FormFactory, PersonFactory, UserFactory
from tests.helpers import sign_in_as, sign_in_verified

pytestmark = pytest.mark.django_db

AT = dt.datetime(2026, 5, 10, 10, 0, tzinfo=dt.UTC)
# Everything about someone else: none of it may appear in Xena's export.
OTHERS = [
    "Yusuf",
    "2012-03-04",
    "Yusuf says school is hard",
    "Otto",
    "Note about another family",
    "Yusuf was stepped up",
]


@pytest.fixture
def seeded():
    lead = UserFactory(role=Role.PRACTITIONER, localities=["erdington"])
    case = CaseFactory(lead_practitioner=lead, opened_at=AT, status="closed")
    xena = PersonFactory(
        family=case.family,
        given_name="Xena",
        family_name="Ward",
        date_of_birth=dt.date(2015, 6, 7),
    )
    yusuf = PersonFactory(
        family=case.family,
        given_name="Yusuf",
        family_name="Ward",
        date_of_birth=dt.date(2012, 3, 4),
    )
    form = FormFactory(family=case.family, received_at=AT, family_words="We need help")
    for position, (person, dob) in enumerate(
        ((xena, xena.date_of_birth), (yusuf, yusuf.date_of_birth))
    ):
        form.members.create(
            position=position,
            role="child",
            given_name=person.given_name,
            family_name="Ward",
            date_of_birth=dob,
            person=person,
        )
    assessment = Assessment.objects.create(
        case=case, worries="Attendance at school", scaling=4, completed_at=AT
    )
    AssessmentPerson.objects.create(
        assessment=assessment, person=xena, score=5, voice="Xena likes drawing"
    )
    AssessmentPerson.objects.create(
        assessment=assessment, person=yusuf, score=2, voice="Yusuf says school is hard"
    )
    outcome = PlanOutcome.objects.create(
        case=case,
        text="Xena goes to school every day",
        domain="learning_development",
        created_by=lead,
    )
    PlanAction.objects.create(
        case=case,
        outcome=outcome,
        what="Walking bus from Monday",
        owner=lead,
        due_on=dt.date(2026, 6, 1),
    )
    review = Review.objects.create(
        case=case,
        held_at=AT,
        attendees="Mum, school",
        progress="Attendance up to 92%",
        scaling=6,
        next_review_on=dt.date(2026, 6, 21),
        recorded_by=lead,
    )
    ReviewPerson.objects.create(review=review, person=xena, score=7)
    ReviewPerson.objects.create(review=review, person=yusuf, score=3)
    note = CaseNote.objects.create(
        case=case,
        kind="visit",
        happened_at=AT,
        text="Home visit went well",
        author=lead,
    )
    NoteAmendment.objects.create(
        note=note,
        text_before="Home visit went wel",
        text_after="Home visit went well",
        reason="Spelling corrected",
        amended_by=lead,
        amended_at=AT,
    )
    closure = CaseClosure.objects.create(
        case=case, closed_at=AT, reason="outcomes_met", closed_by=lead
    )
    ClosurePerson.objects.create(closure=closure, person=xena, score=8, happy="yes")
    ClosurePerson.objects.create(closure=closure, person=yusuf, score=4, happy="no")
    SocialCareReferral.objects.create(
        person=yusuf, referred_at=AT, source="external", reason="Yusuf was stepped up"
    )
    SocialCareReferral.objects.create(
        person=xena, referred_at=AT, source="external", reason="Xena was referred"
    )
    audit_round, *_ = make_round()
    CaseAudit.objects.create(
        round=audit_round,
        case=case,
        locality=case.locality,
        type="monthly_citywide",
        template=audit_round.template,
        auditor=audit_round.auditors.first(),
        status="finalised",
        assigned_at=AT,
        strengths="Clear plan with the family",
        grade=AuditGrade.objects.get(code="good"),
        final_grade=AuditGrade.objects.get(code="good"),
        submitted_at=AT,
        finalised_at=AT,
    )
    other = CaseFactory(lead_practitioner=lead)
    PersonFactory(family=other.family, given_name="Otto")
    CaseNote.objects.create(
        case=other,
        kind="visit",
        happened_at=AT,
        text="Note about another family",
        author=lead,
    )
    return {"xena": xena, "case": case, "form": form}


@pytest.fixture
def officer(client):
    user = UserFactory(role=Role.DATA_PROTECTION, organisation=None)
    sign_in_verified(client, user)
    return user


def test_the_json_export_holds_everything_about_the_person_and_nobody_else(
    client, seeded, officer
):
    xena = seeded["xena"]
    response = client.get(f"/privacy/subject-access/{xena.pk}/export.json")
    assert response.status_code == 200
    assert "attachment" in response["Content-Disposition"]
    data = response.json()
    assert data["person"]["given_name"] == "Xena"
    (form,) = data["family_connect_forms"]
    assert form["reference"] == seeded["form"].reference
    assert form["as_named_on_the_form"]["given_name"] == "Xena"
    (case,) = data["cases"]
    assert case["case"] == seeded["case"].pk
    assert case["assessment"]["about_this_person"] == [
        {"score": 5, "voice": "Xena likes drawing"}
    ]
    assert case["plan"][0]["outcome"] == "Xena goes to school every day"
    assert case["plan"][0]["actions"][0]["what"] == "Walking bus from Monday"
    assert case["reviews"][0]["progress"] == "Attendance up to 92%"
    assert case["reviews"][0]["score_for_this_person"] == [7]
    assert case["notes"][0]["text"] == "Home visit went well"
    # A corrected note's earlier text is still held, and so disclosed.
    (amendment,) = case["notes"][0]["amendments"]
    assert amendment["text_before"] == "Home visit went wel"
    assert amendment["reason"] == "Spelling corrected"
    assert case["closure"]["about_this_person"][0]["score"] == 8
    assert case["audits"][0]["strengths"] == "Clear plan with the family"
    assert [r["reason"] for r in data["referrals_to_social_care"]] == [
        "Xena was referred"
    ]
    text = json.dumps(data)
    for other in OTHERS:
        assert other not in text, other
    entry = AccessLog.objects.get(user=officer, channel="json")
    assert (entry.object_type, entry.object_id, entry.action) == (
        "families.person",
        str(xena.pk),
        "export",
    )


def test_the_pdf_export_is_readable_and_holds_nobody_else(
    client, seeded, officer, tmp_path, django_capture_on_commit_callbacks
):
    xena = seeded["xena"]
    # Tasks run in-process here (eager): the worker's part happens on commit.
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(f"/privacy/subject-access/{xena.pk}/pdf/")
    job = SubjectAccessPDF.objects.get()
    assert response.status_code == 302
    assert response["Location"] == f"/privacy/subject-access/pdf/{job.pk}/"
    response = client.get(f"/privacy/subject-access/pdf/{job.pk}/download/")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"] == (
        f'attachment; filename="subject-access-person-{xena.pk}.pdf"'
    )
    (tmp_path / "subject-access.pdf").write_bytes(response.content)
    text = "\n".join(
        page.extract_text() for page in PdfReader(io.BytesIO(response.content)).pages
    )
    for expected in (
        "Subject access: Xena Ward",
        seeded["form"].reference,
        "Xena likes drawing",
        "Xena goes to school every day",
        "Attendance up to 92%",
        "Home visit went well",
        "Spelling corrected",
        "Clear plan with the family",
    ):
        assert expected in text, expected
    for other in OTHERS:
        assert other not in text, other
    entry = AccessLog.objects.get(user=officer, channel="pdf")
    assert (entry.object_type, entry.object_id, entry.action) == (
        "families.person",
        str(xena.pk),
        "export",
    )


def test_the_page_finds_the_person_and_offers_both_exports(client, seeded, officer):
    xena = seeded["xena"]
    html = client.get(f"/privacy/subject-access/?person={xena.pk}").content.decode()
    assert "Xena Ward" in html
    # The PDF is asked for with a form (a worker makes it); JSON is a link.
    assert f'action="/privacy/subject-access/{xena.pk}/pdf/"' in html
    assert 'name="csrfmiddlewaretoken"' in html
    assert f'href="/privacy/subject-access/{xena.pk}/export.json"' in html
    missing = client.get("/privacy/subject-access/?person=999999").content.decode()
    assert "There is no person with this number" in missing
    for url in (
        f"/privacy/subject-access/{xena.pk}/export.xml",
        f"/privacy/subject-access/{xena.pk}/export.pdf",
        "/privacy/subject-access/999999/export.json",
    ):
        assert client.get(url).status_code == 404, url
    assert client.post("/privacy/subject-access/999999/pdf/").status_code == 404
    assert not SubjectAccessPDF.objects.exists()


@pytest.mark.parametrize("role", [r for r in Role.values if r != Role.DATA_PROTECTION])
def test_nobody_else_may_export(client, seeded, role):
    user = UserFactory(role=role, localities=["erdington"])
    sign_in_as(client, user)
    xena = seeded["xena"]
    assert (
        client.get(f"/privacy/subject-access/{xena.pk}/export.json").status_code == 404
    )
    assert client.post(f"/privacy/subject-access/{xena.pk}/pdf/").status_code == 404
    assert not AccessLog.objects.filter(action="export").exists()
    assert not SubjectAccessPDF.objects.exists()
