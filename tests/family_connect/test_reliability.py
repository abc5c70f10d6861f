"""Nothing lost, nothing doubled: concurrent sends, lost e-mail tasks, rate limits."""

from __future__ import annotations

import json
import threading
from datetime import timedelta

import pytest
from django.core import mail
from django.db import connection
from django.test import Client
from django.utils import timezone
from rest_framework.test import APIClient

from accounts.roles import Role
from accounts.services import api_token_issue
from core.models import Notification
from core.notifications import Message, notifications_queue
from core.tasks import notifications_send, notifications_sweep
from family_connect.models import FamilyConnectForm, FormDraft, IdempotencyKey
from family_connect.services.submission import form_submit
from family_connect.validation import submission_validate
from tests.factories import OrganisationFactory, UserFactory
from tests.family_connect.helpers import payload
from tests.family_connect.test_journey import PUBLIC_PAGES


def _run_together(n: int, target) -> list:
    """Run ``target`` in n threads released at the same moment, each on its own
    database connection."""
    barrier = threading.Barrier(n)
    results: list = [None] * n

    def run(i: int) -> None:
        try:
            barrier.wait()
            results[i] = target()
        except Exception as exc:  # reported to the test
            results[i] = exc
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=(i,)) for i in range(n)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(30)
    return results


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_concurrent_retries_with_one_key_create_one_form():
    user = UserFactory(
        role=Role.REQUESTER, organisation=OrganisationFactory(kind="school")
    )
    token = api_token_issue(user=user)
    body = json.dumps(payload())

    def send():
        client = APIClient()
        client.credentials(HTTP_AUTHORIZATION=f"Token {token}")
        response = client.post(
            "/api/v1/family-connect/",
            body,
            content_type="application/json",
            HTTP_IDEMPOTENCY_KEY="same-key",
        )
        return response.status_code, response.json().get("reference")

    results = _run_together(4, send)
    assert all(isinstance(r, tuple) for r in results), results
    assert {code for code, _ in results} == {201}
    assert len({ref for _, ref in results}) == 1
    assert FamilyConnectForm.objects.count() == 1
    assert IdempotencyKey.objects.count() == 1


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_a_draft_sent_twice_at_once_creates_one_form():
    client = Client()
    client.post("/family-connect/")
    for url, data in PUBLIC_PAGES:
        client.post(url, data)
    draft = FormDraft.objects.get()
    data, errors = submission_validate(_draft_payload(draft))
    assert not errors

    results = _run_together(
        3, lambda: form_submit(data=data, actor=None, draft_id=draft.pk)
    )
    assert all(not isinstance(r, Exception) for r in results), results
    assert sum(1 for r in results if r.created) == 1
    assert FamilyConnectForm.objects.count() == 1


def _draft_payload(draft):
    from family_connect.journey import payload_from_answers

    return payload_from_answers(draft.route, draft.answers)


@pytest.mark.django_db
def test_an_e_mail_is_sent_once_however_often_its_task_runs():
    notifications_queue([Message(key="k1", to="a@example.org", subject="S", body="B")])
    assert notifications_send(keys=["k1"]) == 1
    assert notifications_send(keys=["k1"]) == 0  # a redelivered task
    assert len(mail.outbox) == 1
    assert Notification.objects.get().sent_at is not None


@pytest.mark.django_db
def test_e_mails_whose_task_was_lost_are_sent_by_the_sweeper(
    monkeypatch, django_capture_on_commit_callbacks
):
    def broker_down(*args, **kwargs):
        raise ConnectionError("Redis is down")

    monkeypatch.setattr(notifications_send, "delay", broker_down)
    user = UserFactory(
        role=Role.REQUESTER, organisation=OrganisationFactory(kind="school")
    )
    data, _ = submission_validate(payload())
    with django_capture_on_commit_callbacks(execute=True):
        result = form_submit(data=data, actor=user)
    assert FamilyConnectForm.objects.filter(pk=result.form.pk).exists()  # saved anyway
    assert mail.outbox == []
    assert notifications_sweep() == 0  # too fresh: its task may still be coming
    Notification.objects.update(created_at=timezone.now() - timedelta(minutes=5))
    assert notifications_sweep() == 1
    assert [m.to for m in mail.outbox] == [[user.email]]
    assert notifications_sweep() == 0


@pytest.mark.django_db
def test_the_public_form_is_rate_limited_per_address(settings):
    from family_connect.views import session

    # A cache of this test's own: parallel test processes share the test Redis.
    settings.CACHES = {
        "default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}
    }
    page_limit = session.PAGE_LIMIT
    session.PAGE_LIMIT = (3, 600)
    try:
        client = Client(REMOTE_ADDR="198.51.100.7")
        answers = [client.post("/family-connect/") for _ in range(5)]
        other = Client(REMOTE_ADDR="198.51.100.8").post("/family-connect/").status_code
    finally:
        session.PAGE_LIMIT = page_limit
    assert [a.status_code for a in answers] == [302, 302, 302, 429, 429]
    # Refused with how long to wait: to the end of the 10-minute window.
    assert all(0 < int(a["Retry-After"]) <= 600 for a in answers[3:])
    assert other == 302
    assert FormDraft.objects.count() == 4


@pytest.mark.django_db
def test_an_e_mail_being_sent_by_another_sender_is_left_alone():
    notifications_queue([Message(key="k2", to="a@example.org", subject="S", body="B")])
    Notification.objects.update(
        claimed_at=timezone.now(), created_at=timezone.now() - timedelta(minutes=10)
    )
    assert notifications_send(keys=["k2"]) == 0  # a redelivered task
    assert notifications_sweep() == 0
    assert mail.outbox == []
    # A claim older than any send means its sender died: send it.
    Notification.objects.update(
        claimed_at=timezone.now() - timedelta(minutes=10),
        created_at=timezone.now() - timedelta(minutes=10),
    )
    assert notifications_sweep() == 1
    assert len(mail.outbox) == 1


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_a_reference_that_collides_is_drawn_again_and_nothing_is_half_saved(
    monkeypatch,
):
    from family_connect import references
    from family_connect.models import FormMember
    from family_connect.services import submission

    user = UserFactory(
        role=Role.REQUESTER, organisation=OrganisationFactory(kind="school")
    )
    data, errors = submission_validate(payload())
    assert not errors
    first = form_submit(data=data, actor=user).form
    drawn = iter([first.reference])

    def collide_once() -> str:
        return next(drawn, None) or references.reference_new()

    monkeypatch.setattr(submission, "reference_new", collide_once)
    second = form_submit(data=data, actor=user)

    assert second.created
    assert second.form.reference != first.reference
    assert FamilyConnectForm.objects.count() == 2
    assert FormMember.objects.filter(form=second.form).count() == len(data.members)
    assert FormMember.objects.count() == 2 * len(data.members)


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_a_form_sent_by_the_api_is_one_transaction_without_savepoints():
    user = UserFactory(
        role=Role.REQUESTER, organisation=OrganisationFactory(kind="school")
    )
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {api_token_issue(user=user)}")
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as ctx:
        response = client.post(
            "/api/v1/family-connect/",
            json.dumps(payload()),
            content_type="application/json",
            HTTP_IDEMPOTENCY_KEY="key-1",
        )
    assert response.status_code == 201, response.content
    statements = [q["sql"].split()[0].upper() for q in ctx.captured_queries]
    assert "SAVEPOINT" not in statements
