"""The subject access PDF is a job (QUALITY §3): the web request makes or finds
a job row and sends its task; a worker renders it once, taking over a run whose
worker died; the officer who asked follows its progress and downloads it for a
day, each download logged; then its bytes are wiped and the row stays."""

from __future__ import annotations

import time
from datetime import timedelta

import pytest
from django.conf import settings
from django.utils import timezone

import privacy.subject_access_pdf as service
from accounts.roles import Role
from casework.models import Case
from core import jobs
from core.models import AccessLog
from core.pdf import render_pdf_from_html
from privacy.models import SubjectAccessPDF
from privacy.subject_access_pdf import (
    KEEP_FOR,
    subject_access_pdf_build,
    subject_access_pdf_request,
    subject_access_pdfs_reap,
    subject_access_pdfs_wipe,
)
from privacy.tasks import subject_access_pdf_build as build_task
from privacy.tasks import subject_access_pdfs_wipe_task
from tests.factories import CaseFactory, PersonFactory, UserFactory
from tests.helpers import sign_in_verified

pytestmark = pytest.mark.django_db

GONE = {"lease_owner": "gone:4242:0", "lease_until": None}


def lease(seconds: int) -> dict:
    return {
        "lease_owner": "elsewhere:4242:abc",
        "lease_until": timezone.now() + timedelta(seconds=seconds),
    }


@pytest.fixture
def xena():
    case = CaseFactory()
    return PersonFactory(family=case.family, given_name="Xena", family_name="Ward")


def officer_user():
    return UserFactory(role=Role.DATA_PROTECTION, organisation=None)


@pytest.fixture
def officer(client):
    user = officer_user()
    sign_in_verified(client, user)
    return user


@pytest.fixture
def sent(monkeypatch):
    """The build tasks sent to the workers (Celery dispatch is mocked: nothing
    runs in-process)."""
    calls: list[int] = []
    monkeypatch.setattr(build_task, "delay", lambda pk, **kw: calls.append(pk))
    return calls


@pytest.fixture
def renders(monkeypatch):
    """How many times the worker rendered a PDF (with the real renderer)."""
    count = []
    real = service.render_pdf

    def counting(template, context):
        count.append(template)
        return real(template, context)

    monkeypatch.setattr(service, "render_pdf", counting)
    return count


@pytest.fixture
def no_rendering(monkeypatch):
    """Any PDF rendering in this process fails the test: the renderer the job
    calls, and WeasyPrint itself beneath every path of core.pdf."""

    def no_rendering_here(*args, **kwargs):
        raise AssertionError("the web request rendered a PDF")

    monkeypatch.setattr(service, "render_pdf", no_rendering_here)
    monkeypatch.setattr("weasyprint.HTML.write_pdf", no_rendering_here)


def made(person, user, *, age=timedelta(0), **fields) -> SubjectAccessPDF:
    fields = {
        "status": "done",
        "progress": 100,
        "pdf": render_pdf_from_html("<h1>Subject access</h1>"),
        "generated_at": timezone.now() - age,
        **fields,
    }
    return SubjectAccessPDF.objects.create(person=person, requested_by=user, **fields)


def test_asking_queues_one_job_and_the_request_never_renders(
    client, xena, officer, sent, no_rendering, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(f"/privacy/subject-access/{xena.pk}/pdf/")
    job = SubjectAccessPDF.objects.get()
    assert response.status_code == 302
    assert response["Location"] == f"/privacy/subject-access/pdf/{job.pk}/"
    assert sent == [job.pk]
    assert (job.person, job.requested_by, job.status) == (xena, officer, "queued")
    assert job.pdf is None and job.progress == 0
    # Queued with a lease: the reaper leaves it to the worker it was sent to.
    assert job.lease_owner == "" and not jobs.lease_lapsed(job)
    # The page answers at once with the job to follow.
    page = client.get(response["Location"])
    assert page.status_code == 200
    assert (
        "Queued: <span data-progress-percent>0</span>% done." in page.content.decode()
    )
    assert not AccessLog.objects.filter(action="export").exists()


def test_asking_twice_makes_one_job(
    client, xena, officer, sent, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        first = client.post(f"/privacy/subject-access/{xena.pk}/pdf/")
        second = client.post(f"/privacy/subject-access/{xena.pk}/pdf/")
    assert first["Location"] == second["Location"]
    (job,) = SubjectAccessPDF.objects.all()
    assert sent == [job.pk]
    # Once made (and still kept), asking again answers with the stored PDF.
    SubjectAccessPDF.objects.filter(pk=job.pk).update(
        status="done", pdf=b"%PDF-1.7", generated_at=timezone.now(), **GONE
    )
    with django_capture_on_commit_callbacks(execute=True):
        third = client.post(f"/privacy/subject-access/{xena.pk}/pdf/")
    assert third["Location"] == first["Location"]
    assert SubjectAccessPDF.objects.count() == 1 and sent == [job.pk]


def test_each_officer_has_their_own_job(xena, sent, django_capture_on_commit_callbacks):
    one, other = officer_user(), officer_user()
    with django_capture_on_commit_callbacks(execute=True):
        a = subject_access_pdf_request(person=xena, actor=one)
        b = subject_access_pdf_request(person=xena, actor=other)
    assert a.pk != b.pk and sent == [a.pk, b.pk]


def test_the_task_renders_once_even_if_delivered_twice(xena, renders):
    job = SubjectAccessPDF.objects.create(
        person=xena, requested_by=officer_user(), **jobs.queued_lease()
    )
    assert build_task.apply(args=[job.pk]).get() is True
    job.refresh_from_db()
    assert job.status == "done" and job.progress == 100 and job.lease_owner == ""
    first, generated = bytes(job.pdf), job.generated_at
    assert first.startswith(b"%PDF-")
    # Delivered again (a redelivery after a lost acknowledgement): nothing to do.
    assert build_task.apply(args=[job.pk]).get() is False
    job.refresh_from_db()
    assert bytes(job.pdf) == first and job.generated_at == generated
    assert renders == ["pdf/subject_access.html"]


def test_a_run_whose_worker_died_is_taken_over(xena, renders):
    job = SubjectAccessPDF.objects.create(
        person=xena,
        requested_by=officer_user(),
        status="running",
        progress=40,
        **lease(-1),
    )
    assert subject_access_pdf_build(job_id=job.pk) is True
    job.refresh_from_db()
    assert job.status == "done" and bytes(job.pdf).startswith(b"%PDF-")
    assert job.lease_owner == "" and len(renders) == 1


def test_a_run_alive_elsewhere_is_left_to_its_worker(xena, renders):
    job = SubjectAccessPDF.objects.create(
        person=xena,
        requested_by=officer_user(),
        status="running",
        progress=40,
        **lease(60),
    )
    with pytest.raises(jobs.JobBusy):
        subject_access_pdf_build(job_id=job.pk)
    job.refresh_from_db()
    assert (job.status, job.progress, job.pdf) == ("running", 40, None)
    assert renders == []


def test_asking_again_for_a_job_whose_worker_died_queues_it_again(
    xena, sent, django_capture_on_commit_callbacks
):
    user = officer_user()
    job = SubjectAccessPDF.objects.create(
        person=xena, requested_by=user, status="running", progress=40, **GONE
    )
    with django_capture_on_commit_callbacks(execute=True):
        again = subject_access_pdf_request(person=xena, actor=user)
    assert again.pk == job.pk and sent == [job.pk]
    job.refresh_from_db()
    assert not jobs.lease_lapsed(job) and SubjectAccessPDF.objects.count() == 1


def test_the_reaper_queues_again_only_jobs_whose_lease_lapsed(
    xena, sent, django_capture_on_commit_callbacks
):
    lapsed = SubjectAccessPDF.objects.create(
        person=xena, requested_by=officer_user(), status="running", **lease(-1)
    )
    SubjectAccessPDF.objects.create(
        person=xena, requested_by=officer_user(), status="running", **lease(60)
    )
    made(xena, officer_user(), **GONE)
    with django_capture_on_commit_callbacks(execute=True):
        assert subject_access_pdfs_reap() == [lapsed.pk]
        assert subject_access_pdfs_reap() == []
    assert sent == [lapsed.pk]


def test_the_beat_jobs_reap_and_wipe_every_few_minutes():
    tasks = {
        entry["task"]: entry["schedule"]
        for entry in settings.CELERY_BEAT_SCHEDULE.values()
    }
    reap = tasks["privacy.tasks.subject_access_pdfs_reap_task"]
    assert reap <= timedelta(seconds=settings.JOB_LEASE_SECONDS)
    assert tasks["privacy.tasks.subject_access_pdfs_wipe_task"] <= timedelta(hours=1)


def test_the_status_page_shows_progress(client, xena, officer):
    job = SubjectAccessPDF.objects.create(
        person=xena, requested_by=officer, status="running", progress=40, **lease(60)
    )
    url = f"/privacy/subject-access/pdf/{job.pk}/"
    html = client.get(url).content.decode()
    assert "Xena Ward" in html
    assert "Being produced: <span data-progress-percent>40</span>% done." in html
    assert f'data-progress-url="{url}"' in html
    assert "Download the PDF" not in html
    assert client.get(url, HTTP_ACCEPT="application/json").json() == {
        "id": job.pk,
        "status": "running",
        "progress": 40,
    }
    # The page names the person: a read of their record, logged.
    assert AccessLog.objects.filter(
        user=officer, action="view", object_id=str(xena.pk)
    ).exists()


def test_a_failed_job_shows_its_error_and_can_be_tried_again(
    client, xena, officer, sent, django_capture_on_commit_callbacks
):
    failed = SubjectAccessPDF.objects.create(
        person=xena, requested_by=officer, status="failed", error="Out of memory"
    )
    html = client.get(f"/privacy/subject-access/pdf/{failed.pk}/").content.decode()
    assert "The PDF could not be made" in html and "Out of memory" in html
    assert f'action="/privacy/subject-access/{xena.pk}/pdf/"' in html
    assert ">Try again</button>" in html
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(f"/privacy/subject-access/{xena.pk}/pdf/")
    again = SubjectAccessPDF.objects.exclude(pk=failed.pk).get()
    assert response["Location"] == f"/privacy/subject-access/pdf/{again.pk}/"
    assert again.status == "queued" and sent == [again.pk]
    failed.refresh_from_db()
    assert failed.status == "failed"  # kept as the record of that request


def test_a_failing_render_fails_the_job_with_its_error(xena, monkeypatch):
    def broken(*args, **kwargs):
        raise RuntimeError("renderer crashed")

    monkeypatch.setattr(service, "render_pdf", broken)
    job = SubjectAccessPDF.objects.create(
        person=xena, requested_by=officer_user(), **jobs.queued_lease()
    )
    with pytest.raises(RuntimeError):
        subject_access_pdf_build(job_id=job.pk)
    job.refresh_from_db()
    assert (job.status, job.error, job.pdf) == ("failed", "renderer crashed", None)
    assert job.lease_owner == ""


def test_the_download_is_logged_each_time(client, xena, officer):
    job = made(xena, officer)
    url = f"/privacy/subject-access/pdf/{job.pk}/download/"
    html = client.get(f"/privacy/subject-access/pdf/{job.pk}/").content.decode()
    assert f'href="{url}"' in html
    for _ in range(2):
        response = client.get(url)
        assert response.status_code == 200
        assert response.content == bytes(job.pdf)
        assert response["Cache-Control"].count("no-store") == 1
    entries = AccessLog.objects.filter(user=officer, channel="pdf", action="export")
    assert entries.count() == 2
    assert {(e.object_type, e.object_id) for e in entries} == {
        ("families.person", str(xena.pk))
    }


@pytest.mark.parametrize("who", ["other_officer", "practitioner", "manager"])
def test_nobody_but_the_officer_who_asked_sees_the_job(client, xena, who):
    job = made(xena, officer_user())
    if who == "other_officer":
        user = officer_user()
    else:
        role = Role.PRACTITIONER if who == "practitioner" else Role.LOCALITY_MANAGER
        user = UserFactory(role=role, localities=["erdington"])
    sign_in_verified(client, user)
    for url in (
        f"/privacy/subject-access/pdf/{job.pk}/",
        f"/privacy/subject-access/pdf/{job.pk}/download/",
    ):
        assert client.get(url).status_code == 404, url
        assert client.get(url, HTTP_ACCEPT="application/json").status_code == 404, url
    assert client.get("/privacy/subject-access/pdf/999999/").status_code == 404
    assert not AccessLog.objects.filter(user=user).exists()


def test_the_bytes_are_wiped_after_a_day_and_the_row_stays(client, xena, officer):
    old = made(xena, officer, age=KEEP_FOR + timedelta(minutes=1))
    fresh = made(xena, officer_user(), age=KEEP_FOR - timedelta(minutes=5))
    # Past its keeping time the PDF is not served, even before the wipe.
    download = f"/privacy/subject-access/pdf/{old.pk}/download/"
    assert client.get(download).status_code == 404
    assert subject_access_pdfs_wipe_task.apply().get() == [old.pk]
    assert subject_access_pdfs_wipe() == []  # nothing more to wipe
    old.refresh_from_db()
    assert old.pdf is None and old.wiped_at is not None and old.status == "done"
    fresh.refresh_from_db()
    assert fresh.pdf is not None and fresh.wiped_at is None
    html = client.get(f"/privacy/subject-access/pdf/{old.pk}/").content.decode()
    assert "This PDF has been removed" in html and "Make the PDF again" in html
    assert download not in html
    assert not AccessLog.objects.filter(channel="pdf").exists()


def test_a_removed_pdf_is_made_again_on_request(
    xena, sent, django_capture_on_commit_callbacks
):
    user = officer_user()
    old = made(xena, user, age=KEEP_FOR + timedelta(minutes=1))
    with django_capture_on_commit_callbacks(execute=True):
        job = subject_access_pdf_request(person=xena, actor=user)
    assert job.pk != old.pk and sent == [job.pk]


def test_purging_the_person_takes_their_pdfs_with_them(xena):
    made(xena, officer_user())
    # As the retention purge does: the person's cases go first.
    Case.objects.filter(family_id=xena.family_id).delete()
    xena.delete()
    assert not SubjectAccessPDF.objects.exists()


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_a_real_worker_makes_the_pdf_that_the_request_only_queued(
    real_celery_worker, client, no_rendering
):
    """The web request (this process, where rendering fails) sends the task
    through Redis; the worker process renders the PDF."""
    case = CaseFactory()
    xena = PersonFactory(family=case.family, given_name="Xena", family_name="Ward")
    officer = officer_user()
    sign_in_verified(client, officer)
    response = client.post(f"/privacy/subject-access/{xena.pk}/pdf/")
    assert response.status_code == 302
    job = SubjectAccessPDF.objects.get()
    deadline = time.monotonic() + 60
    while job.status != "done":
        assert job.status != "failed", job.error
        assert real_celery_worker.poll() is None, real_celery_worker.output()
        assert time.monotonic() < deadline, "the worker did not make the PDF"
        time.sleep(0.2)
        job.refresh_from_db()
    html = client.get(response["Location"]).content.decode()
    assert "The PDF is ready" in html
    download = client.get(f"/privacy/subject-access/pdf/{job.pk}/download/")
    assert download.status_code == 200 and download.content.startswith(b"%PDF-")
