"""The case's PDFs: Our Family Plan, for the family, and the case summary, for
the team. Each is a job (QUALITY §3): the web request makes or finds a job row
and sends its task; a worker renders it once through the one renderer (its
deny-all fetcher); whoever may download that PDF of the case follows it and
downloads it while it is kept, each download in the access log."""

from __future__ import annotations

import datetime as dt
import re
import subprocess
from datetime import timedelta
from typing import cast

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

import casework.services.case_pdfs as service
from accounts.models import User
from accounts.roles import Role
from casework.grants import VIEW, case_grant
from casework.models import (
    ActionStatus,
    Assessment,
    AssessmentPerson,
    Case,
    CaseNote,
    CasePDF,
    ConsentWithdrawal,
    PersonConsent,
    PlanAction,
    PlanOutcome,
    Review,
    ReviewPerson,
    WheelDomain,
)
from casework.selectors.case_pdfs import (
    case_for_documents,
    case_summary_document,
    family_plan_document,
)
from casework.services.case_pdfs import (
    KEEP_FOR,
    case_pdf_build,
    case_pdf_request,
    case_pdfs_reap,
    case_pdfs_wipe,
)
from casework.tasks import case_pdf_build as build_task
from core import jobs
from core.models import AccessLog
from core.pdf import render_pdf_from_html
from localities.models import CommunityService, Locality
from tests.core.test_pdf import CountingHandler, local_server  # noqa: F401
from tests.factories import (
    CaseFactory,
    FamilyFactory,
    FormFactory,
    OrganisationFactory,
    PersonFactory,
    UserFactory,
    join_team,
)
from tests.helpers import sign_in_as

pytestmark = pytest.mark.django_db

GONE = {"lease_owner": "gone:4242:0", "lease_until": None}
OPENED = dt.datetime(2026, 9, 1, 9, 0, tzinfo=dt.UTC)


def pdf_text(pdf: bytes) -> str:
    return subprocess.run(
        ["pdftotext", "-", "-"],  # noqa: S607
        input=pdf,
        capture_output=True,
        check=True,
    ).stdout.decode()


def flat(text: str) -> str:
    """The text with its layout's runs of spaces and line breaks as one space."""
    return re.sub(r"\s+", " ", text)


@pytest.fixture
def case():
    lead = UserFactory(
        role=Role.PRACTITIONER,
        localities=["erdington"],
        full_name="Grace Okafor",
        email="grace.okafor@example.org",
        phone="0121 464 0000",
        organisation=OrganisationFactory(name="Birmingham Children's Trust"),
    )
    family = FamilyFactory()
    case = CaseFactory(
        family=family, lead_practitioner=lead, status="plan", opened_at=OPENED
    )
    PersonFactory(
        family=family,
        role="adult",
        relationship="mother",
        given_name="Dawn",
        family_name="Taylor",
        date_of_birth=dt.date(1990, 3, 14),
    )
    PersonFactory(
        family=family,
        given_name="Kai",
        family_name="Taylor",
        date_of_birth=dt.date(2016, 5, 2),
    )
    FormFactory(
        case=case,
        family=family,
        consent=True,
        consent_given_by="Dawn Taylor (mother)",
        consent_recorded_at=OPENED - timedelta(days=3),
        received_at=OPENED - timedelta(days=3),
    )
    kai, dawn = case.people.get(given_name="Kai"), case.people.get(given_name="Dawn")
    given_on = (OPENED - timedelta(days=3)).date()
    PersonConsent.objects.create(
        case=case,
        person=kai,
        purpose="information_sharing",
        agencies="School, GP",
        given_by="parent_carer",
        given_by_name="Dawn Taylor",
        given_on=given_on,
        recorded_by=lead,
        recorded_at=OPENED,
    )
    withdrawn = PersonConsent.objects.create(
        case=case,
        person=dawn,
        purpose="early_help",
        given_by="self",
        given_on=given_on,
        recorded_by=lead,
        recorded_at=OPENED,
    )
    ConsentWithdrawal.objects.create(
        consent=withdrawn,
        withdrawn_by="self",
        withdrawn_on=given_on + timedelta(days=3),
        recorded_by=lead,
        recorded_at=OPENED + timedelta(days=1),
    )
    return case


@pytest.fixture
def partner(case):
    dsl = UserFactory(
        role=Role.REQUESTER,
        full_name="Sam Patel",
        organisation=OrganisationFactory(name="Short Heath Primary School"),
    )
    join_team(case, dsl)
    return dsl


def plan(case: Case, partner, *, outcomes: int = 2, actions: int = 2) -> None:
    """A plan: the first outcome's first action is the partner's, the second
    the family's with a service from the directory; the rest the lead's."""
    service_row = CommunityService.objects.create(
        name="Erdington Family Hub",
        category="Family support",
        contact="0121 303 1111",
        locality=Locality.objects.get(slug="erdington"),
    )
    texts = [
        "Mornings are calm and Kai gets to school on time",
        "Dawn feels less alone",
    ]
    for i in range(outcomes):
        outcome = PlanOutcome.objects.create(
            case=case,
            text=texts[i] if i < len(texts) else f"Outcome {i}",
            domain=[WheelDomain.RELATIONSHIPS, WheelDomain.COMMUNITY_ENGAGEMENT][i % 2],
            created_by=case.lead_practitioner,
        )
        for j in range(actions):
            first = i == 0 and j == 0
            family = i == 0 and j == 1
            PlanAction.objects.create(
                case=case,
                outcome=outcome,
                what="Breakfast club place for Kai"
                if first
                else (
                    "Parenting group at the family hub" if family else f"Task {i}.{j}"
                ),
                owner=None
                if family
                else (partner if first else case.lead_practitioner),
                owner_is_family=family,
                due_on=dt.date(2026, 12, 18) if first else dt.date(2027, 1, 15),
                status=ActionStatus.IN_PROGRESS if first else ActionStatus.NOT_STARTED,
                community=family,
                community_service=service_row if family else None,
            )


def record(case: Case, *, reviews: int = 1, notes: int = 2) -> None:
    """The assessment, reviews and chronology of the case."""
    kai = case.people.get(given_name="Kai")
    dawn = case.people.get(given_name="Dawn")
    assessment = Assessment.objects.create(
        case=case,
        worries="Kai is often late and tired.",
        working_well="Dawn and Kai are close.",
        needs_to_happen="Calm mornings.",
        family_voice="We want mornings to be easier.",
        scaling=4,
        healthy_lifestyles=5,
        relationships=3,
        learning_development=4,
        community_engagement=2,
        safeguarding=7,
        completed_at=OPENED + timedelta(days=20),
        completed_by=case.lead_practitioner,
    )
    AssessmentPerson.objects.create(
        assessment=assessment, person=kai, score=4, voice="I like football."
    )
    AssessmentPerson.objects.create(assessment=assessment, person=dawn, score=5)
    for i in range(reviews):
        review = Review.objects.create(
            case=case,
            held_at=OPENED + timedelta(days=60 + 42 * i),
            attendees="Dawn, Grace, Sam",
            progress=f"Mornings are better (review {i + 1}).",
            scaling=6,
            healthy_lifestyles=6,
            relationships=5,
            learning_development=5,
            community_engagement=4,
            safeguarding=8,
            next_review_on=(OPENED + timedelta(days=102 + 42 * i)).date(),
            recorded_by=case.lead_practitioner,
        )
        ReviewPerson.objects.create(review=review, person=kai, score=6)
        ReviewPerson.objects.create(review=review, person=dawn, score=6)
    for i in range(notes):
        CaseNote.objects.create(
            case=case,
            kind="visit",
            happened_at=OPENED + timedelta(days=5 + i),
            text=f"Home visit {i + 1}: Kai shown his new reading book.",
            significant=i % 2 == 0,
            author=case.lead_practitioner,
        )


def made(case: Case, kind: str) -> CasePDF:
    job = CasePDF.objects.create(
        case=case, kind=kind, requested_by=case.lead_practitioner, **jobs.queued_lease()
    )
    assert case_pdf_build(job_id=job.pk) is True
    job.refresh_from_db()
    return job


@pytest.fixture
def sent(monkeypatch):
    """The build tasks sent to the workers (Celery dispatch is mocked)."""
    calls: list[int] = []
    monkeypatch.setattr(build_task, "delay", lambda pk, **kw: calls.append(pk))
    return calls


@pytest.fixture
def no_rendering(monkeypatch):
    def no_rendering_here(*args, **kwargs):
        raise AssertionError("the web request rendered a PDF")

    monkeypatch.setattr(service, "render_pdf", no_rendering_here)
    monkeypatch.setattr("weasyprint.HTML.write_pdf", no_rendering_here)


# Codes the database keeps and a family must never read: every snake_case word.
CODE = re.compile(r"\b[a-z]+_[a-z_]+\b")


def test_the_family_plan_says_what_who_when_and_how_in_plain_words(case, partner):
    plan(case, partner)
    job = made(case, "plan")
    pdf = bytes(job.pdf)
    assert pdf.startswith(b"%PDF-")
    text = flat(pdf_text(pdf))
    assert "Our Family Plan: Taylor family" in text
    # The outcomes, each with its actions: what, who, by when, how it is going.
    assert "What we want: Mornings are calm and Kai gets to school on time" in text
    assert "What we want: Dawn feels less alone" in text
    assert "This is about: Getting on well together" in text
    assert "Breakfast club place for Kai" in text
    assert "Who will do it Sam Patel, Short Heath Primary School" in text
    assert "By when 18 December 2026" in text
    assert "How it is going Happening now" in text
    assert "Parenting group at the family hub" in text
    assert "Who will do it Your family" in text
    assert "With help from Erdington Family Hub 0121 303 1111" in text
    assert "By when 15 January 2027" in text
    assert "Not started yet" in text
    # Who leads the work, and how to reach them.
    assert "Grace Okafor" in text and "Birmingham Children's Trust" in text
    assert "Phone: 0121 464 0000" in text
    assert "Email: grace.okafor@example.org" in text
    # No codes, no numbers of the system's records, no dates in figures.
    assert CODE.findall(text) == []
    assert f"Case {case.pk}" not in text and "2026-12-18" not in text
    for code in ("in_progress", "not_started", "relationships", "community_engagement"):
        assert code not in text


def test_a_case_with_no_plan_says_so(case):
    text = flat(pdf_text(bytes(made(case, "plan").pdf)))
    assert "Our Family Plan: Taylor family" in text
    assert (
        "Your family's plan has not been written yet. Grace Okafor will write it "
        "with you." in text
    )
    summary = flat(pdf_text(bytes(made(case, "summary").pdf)))
    assert "No plan has been written yet." in summary
    assert "The assessment has not been started." in summary
    assert "No reviews have been held yet." in summary


def test_the_case_summary_holds_the_record_for_the_team(case, partner):
    plan(case, partner)
    record(case)
    job = made(case, "summary")
    text = flat(pdf_text(bytes(job.pdf)))
    assert "Case summary: Taylor family" in text
    # The people: names, dates of birth, relationships.
    assert "Dawn Taylor 14 March 1990 Mother" in text
    assert "Kai Taylor 2 May 2016 Child" in text
    # Consent as recorded on the case, person by person.
    assert "Consent as recorded on the case today" in text
    assert (
        "Kai Taylor Sharing information with named agencies: School, GP Given "
        "A parent or carer, Dawn Taylor 29 August 2026" in text
    )
    assert (
        "Dawn Taylor The request for early help Withdrawn 1 September 2026 "
        "The person themself 29 August 2026" in text
    )
    # The assessment: its answers, the wheel and each person's score.
    assert "Completed 21 September 2026 by Grace Okafor" in text
    assert "Kai is often late and tired." in text
    assert "We want mornings to be easier." in text
    assert "Healthy lifestyles" in text and "Safeguarding" in text
    assert "5 3 4 2 7" in text
    assert "I like football." in text
    # The plan, the reviews and the significant events only.
    assert "Breakfast club place for Kai" in text
    assert "Sam Patel, Short Heath Primary School" in text
    assert "18 December 2026 In progress" in text
    assert "Review on 31 October 2026" in text
    assert "Mornings are better (review 1)." in text
    assert "6 5 5 4 8" in text
    assert "Home visit 1: Kai shown his new reading book." in text
    assert "Home visit 2" not in text


def test_query_counts_do_not_grow_with_the_plan_or_the_reviews(case, partner):
    def queries(build) -> int:
        loaded = case_for_documents(case.pk)
        with CaptureQueriesContext(connection) as captured:
            build(loaded)
        return len(captured)

    plan(case, partner, outcomes=1, actions=1)
    record(case, reviews=1, notes=1)
    small = (queries(family_plan_document), queries(case_summary_document))
    PlanOutcome.objects.filter(case=case).delete()
    Review.objects.filter(case=case).delete()
    Assessment.objects.filter(case=case).delete()
    plan(case, partner, outcomes=5, actions=4)
    record(case, reviews=6, notes=8)
    large = (queries(family_plan_document), queries(case_summary_document))
    assert small == large
    assert large[1] <= 12


def test_hostile_text_and_urls_are_never_fetched(
    case,
    partner,
    local_server,  # noqa: F811  # the counting server of tests/core/test_pdf.py
    settings,
    tmp_path,
):
    plan(case, partner)
    PlanOutcome.objects.filter(case=case).update(
        text=f'<img src="{local_server}/outcome.png"> <img src="file:///etc/passwd">'
    )
    CaseNote.objects.create(
        case=case,
        kind="note",
        happened_at=OPENED,
        text=f'<link rel="stylesheet" href="{local_server}/note.css">',
        significant=True,
        author=case.lead_practitioner,
    )
    # A print template that itself names outside URLs: the renderer the jobs
    # use fetches none of them.
    (tmp_path / "pdf").mkdir()
    (tmp_path / "pdf" / "family_plan.html").write_text(
        f'<html><head><link rel="stylesheet" href="{local_server}/x.css">'
        '<link rel="stylesheet" href="file:///etc/passwd"></head>'
        f'<body><img src="{local_server}/x.png"><h1>Our Family Plan</h1></body></html>'
    )
    summary = made(case, "summary")
    settings.TEMPLATES = [
        {**settings.TEMPLATES[0], "DIRS": [tmp_path, *settings.TEMPLATES[0]["DIRS"]]}
    ]
    family_plan = made(case, "plan")
    assert CountingHandler.hits == []
    for job in (summary, family_plan):
        assert job.status == "done" and bytes(job.pdf).startswith(b"%PDF-")
        assert b"root:x:0:0" not in bytes(job.pdf)
    assert "Our Family Plan" in pdf_text(bytes(family_plan.pdf))
    # The user's text is shown as text.
    shown = re.sub(r"\s", "", pdf_text(bytes(summary.pdf)))
    assert f'<linkrel="stylesheet"href="{local_server}/note.css">' in shown


def test_asking_queues_one_job_and_the_request_never_renders(
    client, case, sent, no_rendering, django_capture_on_commit_callbacks
):
    sign_in_as(client, case.lead_practitioner)
    with django_capture_on_commit_callbacks(execute=True):
        first = client.post(f"/cases/{case.pk}/plan/pdf/")
        second = client.post(f"/cases/{case.pk}/plan/pdf/")
    job = CasePDF.objects.get()
    assert first.status_code == 302
    assert first["Location"] == second["Location"] == f"/cases/{case.pk}/pdfs/{job.pk}/"
    assert sent == [job.pk]
    assert (job.case, job.kind, job.requested_by, job.status) == (
        case,
        "plan",
        case.lead_practitioner,
        "queued",
    )
    page = client.get(first["Location"]).content.decode()
    assert "Our Family Plan (PDF)" in page
    assert "Queued: <span data-progress-percent>0</span>% done." in page
    progress = client.get(first["Location"], HTTP_ACCEPT="application/json").json()
    assert progress == {"id": job.pk, "status": "queued", "progress": 0}
    # The summary is its own job.
    with django_capture_on_commit_callbacks(execute=True):
        summary = client.post(f"/cases/{case.pk}/summary/pdf/")
    other = CasePDF.objects.get(kind="summary")
    assert summary["Location"] == f"/cases/{case.pk}/pdfs/{other.pk}/"
    assert sent == [job.pk, other.pk]
    assert not AccessLog.objects.filter(action="export").exists()


def test_a_made_pdf_is_not_reused_the_plan_may_have_changed(case, sent):
    old = CasePDF.objects.create(
        case=case,
        kind="plan",
        requested_by=case.lead_practitioner,
        status="done",
        pdf=b"%PDF-1.7",
        generated_at=timezone.now(),
        **GONE,
    )
    new = case_pdf_request(case=case, kind="plan", actor=case.lead_practitioner)
    assert new.pk != old.pk and new.status == "queued"


def test_the_task_renders_once_even_if_delivered_twice(case, monkeypatch):
    renders = []
    real = service.render_pdf
    monkeypatch.setattr(
        service, "render_pdf", lambda t, c: renders.append(t) or real(t, c)
    )
    job = CasePDF.objects.create(
        case=case,
        kind="plan",
        requested_by=case.lead_practitioner,
        **jobs.queued_lease(),
    )
    assert build_task.apply(args=[job.pk]).get() is True
    assert build_task.apply(args=[job.pk]).get() is False
    job.refresh_from_db()
    assert job.status == "done" and job.progress == 100 and job.lease_owner == ""
    assert renders == ["pdf/family_plan.html"]


def test_the_reaper_takes_over_lapsed_jobs_and_old_pdfs_are_wiped(
    case, sent, django_capture_on_commit_callbacks
):
    lapsed = CasePDF.objects.create(
        case=case,
        kind="plan",
        requested_by=case.lead_practitioner,
        status="running",
        lease_owner="gone:1:x",
        lease_until=timezone.now() - timedelta(seconds=1),
    )
    with django_capture_on_commit_callbacks(execute=True):
        assert case_pdfs_reap() == [lapsed.pk]
    assert sent == [lapsed.pk]
    old = CasePDF.objects.create(
        case=case,
        kind="summary",
        requested_by=case.lead_practitioner,
        status="done",
        pdf=b"%PDF-1.7",
        generated_at=timezone.now() - KEEP_FOR - timedelta(minutes=1),
        **GONE,
    )
    fresh = CasePDF.objects.create(
        case=case,
        kind="summary",
        requested_by=case.lead_practitioner,
        status="done",
        pdf=b"%PDF-1.7",
        generated_at=timezone.now(),
        **GONE,
    )
    assert case_pdfs_wipe() == [old.pk]
    old.refresh_from_db()
    fresh.refresh_from_db()
    assert old.pdf is None and old.wiped_at is not None
    assert bytes(fresh.pdf) == b"%PDF-1.7"


def test_the_beat_jobs_reap_and_wipe_every_few_minutes(settings):
    tasks = {
        entry["task"]: entry["schedule"]
        for entry in settings.CELERY_BEAT_SCHEDULE.values()
    }
    assert tasks["casework.tasks.case_pdfs_reap_task"] <= timedelta(
        seconds=settings.JOB_LEASE_SECONDS
    )
    assert tasks["casework.tasks.case_pdfs_wipe_task"] <= KEEP_FOR


def done(case: Case, kind: str) -> CasePDF:
    return CasePDF.objects.create(
        case=case,
        kind=kind,
        requested_by=case.lead_practitioner,
        status="done",
        progress=100,
        pdf=render_pdf_from_html(f"<h1>{kind}</h1>"),
        generated_at=timezone.now(),
        **GONE,
    )


def test_each_download_is_logged(client, case, partner):
    plan_pdf, summary_pdf = done(case, "plan"), done(case, "summary")
    sign_in_as(client, partner)
    response = client.get(f"/cases/{case.pk}/pdfs/{plan_pdf.pk}/download/")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert "no-store" in response["Cache-Control"]
    assert response["Content-Disposition"] == (
        f'attachment; filename="our-family-plan-case-{case.pk}.pdf"'
    )
    logged = AccessLog.objects.filter(user=partner, action="export", channel="pdf")
    assert list(logged.values_list("object_type", "object_id")) == [
        ("casework.case", str(case.pk))
    ]
    lead = Client()
    sign_in_as(lead, case.lead_practitioner)
    response = lead.get(f"/cases/{case.pk}/pdfs/{summary_pdf.pk}/download/")
    assert response.status_code == 200
    logged = AccessLog.objects.filter(
        user=case.lead_practitioner, action="export", channel="pdf"
    )
    people = {str(pk) for pk in case.people.values_list("pk", flat=True)}
    forms = {str(pk) for pk in case.forms.values_list("pk", flat=True)}
    assert {(e.object_type, e.object_id) for e in logged} == {
        ("casework.case", str(case.pk)),
        *(("families.person", pk) for pk in people),
        *(("family_connect.familyconnectform", pk) for pk in forms),
    }


def test_a_wiped_pdf_is_not_downloaded_and_can_be_made_again(client, case):
    job = done(case, "plan")
    CasePDF.objects.filter(pk=job.pk).update(pdf=None, wiped_at=timezone.now())
    sign_in_as(client, case.lead_practitioner)
    assert client.get(f"/cases/{case.pk}/pdfs/{job.pk}/download/").status_code == 404
    page = client.get(f"/cases/{case.pk}/pdfs/{job.pk}/").content.decode()
    assert "This PDF has been removed" in page and "Make the PDF again" in page
    assert not AccessLog.objects.filter(action="export").exists()


def people_around(case: Case, partner) -> dict:
    team_worker = UserFactory(role=Role.PRACTITIONER, localities=["erdington"])
    join_team(case, team_worker)
    auditor = cast(User, UserFactory(role=Role.AUDITOR))
    case_grant(auditor, case, VIEW)
    return {
        "lead": case.lead_practitioner,
        "team_practitioner": team_worker,
        "manager": UserFactory(role=Role.LOCALITY_MANAGER, localities=["erdington"]),
        "partner": partner,
        "auditor": auditor,
        "other_practitioner": UserFactory(
            role=Role.PRACTITIONER, localities=["erdington"]
        ),
        "other_manager": UserFactory(
            role=Role.LOCALITY_MANAGER, localities=["ladywood"]
        ),
        "performance_lead": UserFactory(role=Role.PERFORMANCE_LEAD, organisation=None),
    }


# Who may ask for, follow and download each PDF of the case.
MAY = {
    "plan": {"lead", "team_practitioner", "manager", "partner"},
    "summary": {"lead", "team_practitioner", "manager"},
}


@pytest.mark.parametrize("kind", ["plan", "summary"])
@pytest.mark.parametrize(
    "who",
    [
        "lead",
        "team_practitioner",
        "manager",
        "partner",
        "auditor",
        "other_practitioner",
        "other_manager",
        "performance_lead",
    ],
)
def test_who_may_have_each_pdf(client, case, partner, sent, kind, who):
    user = people_around(case, partner)[who]
    job = done(case, kind)
    sign_in_as(client, user)
    allowed = who in MAY[kind]
    expected = 200 if allowed else 404
    pages = f"/cases/{case.pk}/pdfs/{job.pk}/"
    assert client.get(pages).status_code == expected
    assert client.get(f"{pages}download/").status_code == expected
    before = CasePDF.objects.count()
    response = client.post(f"/cases/{case.pk}/{kind}/pdf/")
    assert response.status_code == (302 if allowed else 404)
    assert CasePDF.objects.count() == before + (1 if allowed else 0)
    exports = AccessLog.objects.filter(user=user, action="export")
    assert exports.exists() == allowed
    # Nor is the job reached through another case's address.
    elsewhere = CaseFactory(lead_practitioner=case.lead_practitioner)
    join_team(elsewhere, partner)
    assert client.get(f"/cases/{elsewhere.pk}/pdfs/{job.pk}/").status_code == 404


def test_the_case_and_plan_pages_link_to_the_pdfs(client, case, partner):
    people = people_around(case, partner)
    sign_in_as(client, people["lead"])
    page = client.get(f"/cases/{case.pk}/").content.decode()
    assert f'action="/cases/{case.pk}/plan/pdf/"' in page
    assert f'action="/cases/{case.pk}/summary/pdf/"' in page
    page = client.get(f"/cases/{case.pk}/plan/").content.decode()
    assert f'action="/cases/{case.pk}/plan/pdf/"' in page
    assert "summary/pdf/" not in page
    for who, plan_link, summary_link in (
        ("partner", True, False),
        ("auditor", False, False),
    ):
        other = Client()
        sign_in_as(other, people[who])
        page = other.get(f"/cases/{case.pk}/").content.decode()
        assert (f"/cases/{case.pk}/plan/pdf/" in page) == plan_link, who
        assert (f"/cases/{case.pk}/summary/pdf/" in page) == summary_link, who


def test_a_failed_pdf_says_so_and_offers_to_try_again(client, case):
    job = CasePDF.objects.create(
        case=case,
        kind="summary",
        requested_by=case.lead_practitioner,
        status="failed",
        error="Traceback: something internal",
        **GONE,
    )
    sign_in_as(client, case.lead_practitioner)
    page = client.get(f"/cases/{case.pk}/pdfs/{job.pk}/").content.decode()
    assert "The PDF could not be made" in page and "Try again" in page
    assert f'action="/cases/{case.pk}/summary/pdf/"' in page
    assert "Traceback" not in page
    assert client.get(f"/cases/{case.pk}/pdfs/{job.pk}/download/").status_code == 404


def test_consent_on_a_case_with_none_recorded_says_so(case):
    PersonConsent.objects.filter(case=case).delete()
    text = flat(pdf_text(bytes(made(case, "summary").pdf)))
    assert "No consent is recorded on the case." in text


def test_the_plan_of_a_closed_case_says_the_support_has_ended(case, partner):
    plan(case, partner)
    Case.objects.filter(pk=case.pk).update(status="closed", closed_at=timezone.now())
    text = flat(pdf_text(bytes(made(case, "plan").pdf)))
    assert "Your family's support has now ended." in text
    assert "Breakfast club place for Kai" in text
