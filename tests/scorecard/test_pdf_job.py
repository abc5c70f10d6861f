"""The scorecard PDF is a job (QUALITY §3): one ``ReleasePDF`` per release,
made by a worker and never in a web request; a run whose worker died is taken
over, and a redelivered task makes no second PDF."""

from __future__ import annotations

import io
from datetime import timedelta
from unittest import mock

import pytest
from django.core.management import call_command
from django.db import OperationalError
from django.utils import timezone
from pypdf import PdfReader

from accounts.roles import Role
from core import jobs
from core.models import JobStatus
from core.pdf import render_pdf_from_html
from scorecard import documents
from scorecard.documents import (
    release_pdf_render,
    release_pdf_request,
    release_pdfs_reap,
)
from scorecard.models import Release, ReleasePDF, ReleaseStatus
from tests.factories import UserFactory
from tests.helpers import sign_in_as

pytestmark = pytest.mark.django_db

TINY = render_pdf_from_html("<h1>Scorecard</h1>")


def released(period: str = "2026-05") -> Release:
    return Release.objects.create(
        period=period,
        status=ReleaseStatus.DONE,
        progress=100,
        started_at=timezone.now(),
        generated_at=timezone.now(),
        code_version="test",
    )


def fake_parts(template, contexts, *, on_part=None, **kwargs):
    """The part renderers, quick: a page per part, progress after each."""
    for done in range(1, len(contexts) + 1):
        if on_part is not None:
            on_part(done, len(contexts))
    return TINY


@pytest.fixture
def quick_render(monkeypatch):
    calls = []

    def render(*args, **kwargs):
        calls.append(args)
        return fake_parts(*args, **kwargs)

    monkeypatch.setattr(documents, "render_pdf_parts", render)
    return calls


def test_asking_many_times_makes_one_job_and_sends_it_once(
    django_capture_on_commit_callbacks,
):
    release = released()
    with django_capture_on_commit_callbacks() as sent:
        jobs_asked = {release_pdf_request(release).pk for _ in range(10)}
    assert len(jobs_asked) == 1 and len(sent) == 1
    job = ReleasePDF.objects.get(release=release)
    assert (job.status, job.progress, job.pdf) == (JobStatus.QUEUED, 0, None)
    assert job.lease_owner == "" and job.lease_until > timezone.now()


def test_the_task_renders_once_however_often_it_is_delivered(quick_render):
    job = release_pdf_request(released(), send=False)
    assert release_pdf_render(job_id=job.pk) is True
    assert release_pdf_render(job_id=job.pk) is False  # redelivered
    assert len(quick_render) == 1
    job.refresh_from_db()
    assert (job.status, job.progress, job.lease_owner) == (JobStatus.DONE, 100, "")
    assert bytes(job.pdf) == TINY and job.generated_at is not None


def test_progress_is_written_with_the_lease_after_each_part(monkeypatch):
    job = release_pdf_request(released(), send=False)
    seen = []

    def render(template, contexts, *, on_part=None, **kwargs):
        for done in range(1, len(contexts) + 1):
            on_part(done, len(contexts))
            row = ReleasePDF.objects.get(pk=job.pk)
            seen.append((row.status, row.progress, bool(row.lease_owner)))
        return TINY

    monkeypatch.setattr(documents, "render_pdf_parts", render)
    release_pdf_render(job_id=job.pk)
    # The city, ten localities and the definitions: twelve parts.
    assert len(seen) == 12
    assert [p for _s, p, _o in seen] == sorted(p for _s, p, _o in seen)
    assert seen[-1] == (JobStatus.RUNNING, 95, True)


def test_a_run_whose_lease_was_taken_over_stores_nothing(monkeypatch):
    job = release_pdf_request(released(), send=False)

    def render(template, contexts, *, on_part=None, **kwargs):
        # Meanwhile the lease lapsed and another run took the job over.
        ReleasePDF.objects.filter(pk=job.pk).update(lease_owner="other:1:x")
        on_part(1, len(contexts))
        return TINY

    monkeypatch.setattr(documents, "render_pdf_parts", render)
    assert release_pdf_render(job_id=job.pk) is False
    job.refresh_from_db()
    assert job.pdf is None and job.status == JobStatus.RUNNING


def test_a_live_run_elsewhere_makes_the_task_wait(quick_render):
    job = release_pdf_request(released(), send=False)
    ReleasePDF.objects.filter(pk=job.pk).update(
        status=JobStatus.RUNNING,
        lease_owner="other:1:x",
        lease_until=timezone.now() + timedelta(seconds=60),
    )
    with pytest.raises(jobs.JobBusy):
        release_pdf_render(job_id=job.pk)
    assert quick_render == []


def test_asking_again_takes_over_a_job_whose_worker_died(
    django_capture_on_commit_callbacks, quick_render
):
    job = release_pdf_request(released(), send=False)
    ReleasePDF.objects.filter(pk=job.pk).update(
        status=JobStatus.RUNNING,
        progress=40,
        lease_owner="gone:4242:0",
        lease_until=timezone.now() - timedelta(seconds=1),
    )
    with django_capture_on_commit_callbacks(execute=True) as sent:
        release_pdf_request(job.release)
    assert len(sent) == 1
    job.refresh_from_db()
    assert job.status == JobStatus.DONE and bytes(job.pdf) == TINY


def test_asking_again_leaves_a_live_job_to_its_worker(
    django_capture_on_commit_callbacks,
):
    job = release_pdf_request(released(), send=False)
    ReleasePDF.objects.filter(pk=job.pk).update(
        status=JobStatus.RUNNING,
        progress=40,
        lease_owner="other:1:x",
        lease_until=timezone.now() + timedelta(seconds=60),
    )
    with django_capture_on_commit_callbacks(execute=True) as sent:
        again = release_pdf_request(job.release)
    assert sent == [] and (again.status, again.progress) == (JobStatus.RUNNING, 40)


def test_a_failed_pdf_is_made_again_when_asked(
    monkeypatch, django_capture_on_commit_callbacks
):
    job = release_pdf_request(released(), send=False)
    monkeypatch.setattr(
        documents, "render_pdf_parts", mock.Mock(side_effect=ValueError("bad part"))
    )
    with pytest.raises(ValueError, match="bad part"):
        release_pdf_render(job_id=job.pk)
    job.refresh_from_db()
    assert (job.status, job.error, job.lease_owner) == (
        JobStatus.FAILED,
        "bad part",
        "",
    )
    monkeypatch.setattr(documents, "render_pdf_parts", fake_parts)
    with django_capture_on_commit_callbacks(execute=True) as sent:
        release_pdf_request(job.release)
    assert len(sent) == 1
    job.refresh_from_db()
    assert (job.status, job.error) == (JobStatus.DONE, "")


def test_a_database_blip_queues_the_job_again_instead_of_failing_it(monkeypatch):
    job = release_pdf_request(released(), send=False)
    monkeypatch.setattr(
        documents,
        "render_pdf_parts",
        mock.Mock(side_effect=OperationalError("server closed the connection")),
    )
    with pytest.raises(OperationalError):
        release_pdf_render(job_id=job.pk)
    job.refresh_from_db()
    assert (job.status, job.lease_owner, job.lease_until) == (
        JobStatus.QUEUED,
        "",
        None,
    )
    monkeypatch.setattr(documents, "render_pdf_parts", fake_parts)
    assert release_pdf_render(job_id=job.pk) is True  # the task's retry


def test_the_reaper_queues_lapsed_jobs_only(django_capture_on_commit_callbacks):
    lapsed = release_pdf_request(released("2026-03"), send=False)
    ReleasePDF.objects.filter(pk=lapsed.pk).update(
        lease_until=timezone.now() - timedelta(seconds=1)
    )
    fresh = release_pdf_request(released("2026-04"), send=False)
    done = release_pdf_request(released("2026-05"), send=False)
    ReleasePDF.objects.filter(pk=done.pk).update(
        status=JobStatus.DONE, lease_until=None, pdf=TINY
    )
    with django_capture_on_commit_callbacks() as sent:
        assert release_pdfs_reap() == [lapsed.pk]
    assert len(sent) == 1
    assert ReleasePDF.objects.get(pk=fresh.pk).status == JobStatus.QUEUED


def test_a_broker_that_cannot_take_the_task_leaves_the_job_for_the_reaper(
    monkeypatch, django_capture_on_commit_callbacks
):
    from kombu.exceptions import OperationalError as BrokerError

    from scorecard.tasks import release_pdf_render_task

    monkeypatch.setattr(
        release_pdf_render_task, "delay", mock.Mock(side_effect=BrokerError("down"))
    )
    with django_capture_on_commit_callbacks(execute=True):
        job = release_pdf_request(released())
    job.refresh_from_db()
    assert job.status == JobStatus.QUEUED and job.lease_until > timezone.now()


def test_the_api_never_renders_in_the_request(monkeypatch):
    release = released()
    monkeypatch.setattr(
        documents, "render_pdf_parts", mock.Mock(side_effect=AssertionError)
    )
    lead = UserFactory(role=Role.PERFORMANCE_LEAD, organisation=None)
    from rest_framework.test import APIClient

    from accounts.services import api_token_issue

    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {api_token_issue(user=lead)}")
    for _ in range(3):
        response = client.get("/api/v1/scorecard/2026-05/pdf/")
        assert response.status_code == 202
        assert response.json()["release"] == release.pk
    assert ReleasePDF.objects.count() == 1


def test_the_monthly_job_queues_the_pdf_of_its_release(
    monkeypatch, django_capture_on_commit_callbacks
):
    from scorecard import tasks

    release = released("2026-04")
    monkeypatch.setattr(tasks, "scorecard_run_scheduled", lambda period: release)
    with django_capture_on_commit_callbacks() as sent:
        assert tasks.scorecard_monthly.apply().get() == release.pk
    assert len(sent) == 1
    assert ReleasePDF.objects.get(release=release).status == JobStatus.QUEUED


def test_run_scorecard_makes_the_pdf_too(quick_render):
    out = io.StringIO()
    call_command("run_scorecard", "--period", "2024-05", stdout=out)
    release = Release.objects.get(pk=int(out.getvalue().splitlines()[-1]))
    job = ReleasePDF.objects.get(release=release)
    assert job.status == JobStatus.DONE and bytes(job.pdf) == TINY


def test_the_dashboard_offers_the_pdf_then_shows_its_progress_then_the_download(
    client, django_capture_on_commit_callbacks, quick_render
):
    release = released()
    sign_in_as(client, UserFactory(role=Role.PERFORMANCE_LEAD, organisation=None))
    page = client.get("/scorecard/?month=2026-05").content.decode()
    make = f"/scorecard/runs/{release.pk}/pdf/make/"
    assert f'action="{make}"' in page and "Make the PDF" in page
    with django_capture_on_commit_callbacks() as sent:
        response = client.post(make)
    status_url = f"/scorecard/runs/{release.pk}/pdf/"
    assert response.status_code == 302 and response["Location"] == status_url
    status = client.get(status_url).content.decode()
    assert "Queued: <span data-progress-percent>0</span>% done" in status
    page = client.get("/scorecard/?month=2026-05").content.decode()
    assert "is being made: 0% done" in page
    assert client.get(status_url, HTTP_ACCEPT="application/json").json() == {
        "release": release.pk,
        "status": "queued",
        "progress": 0,
    }
    assert client.get(f"{status_url}download/").status_code == 404
    sent[0]()
    download = f"/scorecard/runs/{release.pk}/pdf/download/"
    assert download in client.get(status_url).content.decode()
    assert download in client.get("/scorecard/?month=2026-05").content.decode()
    pdf = client.get(download)
    assert pdf["Content-Type"] == "application/pdf"
    assert PdfReader(io.BytesIO(pdf.content)).pages


def test_a_failed_pdf_says_so_and_offers_to_try_again(client):
    release = released()
    ReleasePDF.objects.create(
        release=release, status=JobStatus.FAILED, error="bad part"
    )
    sign_in_as(client, UserFactory(role=Role.PERFORMANCE_LEAD, organisation=None))
    page = client.get(f"/scorecard/runs/{release.pk}/pdf/").content.decode()
    assert "could not be made" in page and "Try again" in page
    assert "bad part" not in page


def test_no_pdf_for_a_release_still_being_computed(client):
    release = released()
    Release.objects.filter(pk=release.pk).update(status=ReleaseStatus.RUNNING)
    sign_in_as(client, UserFactory(role=Role.PERFORMANCE_LEAD, organisation=None))
    assert client.post(f"/scorecard/runs/{release.pk}/pdf/make/").status_code == 404
    assert not ReleasePDF.objects.exists()


def test_run_scorecard_with_months_releases_each_month_and_the_last_ones_pdf(
    quick_render,
):
    out = io.StringIO()
    call_command(
        "run_scorecard",
        "--period",
        "2024-05",
        "--months",
        "3",
        stdout=out,
        stderr=io.StringIO(),
    )
    releases = Release.objects.order_by("pk")
    assert [r.period for r in releases] == ["2024-03", "2024-04", "2024-05"]
    assert all(r.status == ReleaseStatus.DONE for r in releases)
    last = releases.last()
    assert last is not None and out.getvalue().splitlines()[-1] == str(last.pk)
    assert list(ReleasePDF.objects.values_list("release", flat=True)) == [last.pk]
