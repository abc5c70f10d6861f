"""How much one signed-in user may send: forms an hour (API and pages together)
and bulk rows a day. A stolen password must not flood every triage queue."""

from __future__ import annotations

import pytest
from django.test import Client

from accounts.roles import Role
from family_connect.models import FamilyConnectForm, FormDraft, IdempotencyKey
from tests.factories import OrganisationFactory, UserFactory
from tests.family_connect.helpers import payload
from tests.family_connect.test_api import client_for, post
from tests.family_connect.test_bulk import GOOD, csv_file
from tests.family_connect.test_partner_journeys import COMMON_TAIL, walk
from tests.helpers import sign_in

pytestmark = pytest.mark.django_db

DEAD_CACHE = {
    "default": {
        "BACKEND": "django.core.cache.backends.redis.RedisCache",
        # Nothing listens on port 1: every cache call fails at once.
        "LOCATION": "redis://127.0.0.1:1/0",
    }
}


def requester(kind: str = "school"):
    return UserFactory(role=Role.REQUESTER, organisation=OrganisationFactory(kind=kind))


def form_body(n: int):
    return payload(**{"household__members__0__given_name": f"Child{chr(65 + n)}"})


def assert_retry_after(response, window: int) -> None:
    assert 1 <= int(response["Retry-After"]) <= window


def test_the_defaults_leave_room_for_a_busy_day(settings):
    assert settings.USER_FORMS_PER_HOUR == 60
    assert settings.USER_BULK_ROWS_PER_DAY == 1000


def test_api_forms_over_the_hourly_limit_answer_429_and_save_nothing(settings):
    settings.USER_FORMS_PER_HOUR = 3
    user = requester()
    api = client_for(user)
    codes = [post(api, form_body(n)).status_code for n in range(3)]
    assert codes == [201, 201, 201]
    response = post(api, form_body(3), HTTP_IDEMPOTENCY_KEY="fourth")
    assert response.status_code == 429
    assert_retry_after(response, 3600)
    assert response.json()["detail"].startswith("You can send at most 3 forms an hour.")
    assert FamilyConnectForm.objects.count() == 3
    assert not IdempotencyKey.objects.filter(key="fourth").exists()
    # Another account of the same organisation has its own allowance.
    colleague = UserFactory(role=Role.REQUESTER, organisation=user.organisation)
    assert post(client_for(colleague), form_body(4)).status_code == 201


def test_an_idempotent_retry_is_not_counted_again(settings):
    settings.USER_FORMS_PER_HOUR = 2
    api = client_for(requester())
    first = post(api, form_body(0), HTTP_IDEMPOTENCY_KEY="a")
    retries = [post(api, form_body(0), HTTP_IDEMPOTENCY_KEY="a") for _ in range(3)]
    assert first.status_code == 201
    assert [r.status_code for r in retries] == [201, 201, 201]
    assert all(r["Idempotent-Replayed"] == "true" for r in retries)
    assert post(api, form_body(1), HTTP_IDEMPOTENCY_KEY="b").status_code == 201
    # At the limit, a retry of a form already sent still gets its answer.
    again = post(api, form_body(1), HTTP_IDEMPOTENCY_KEY="b")
    assert again.status_code == 201
    assert post(api, form_body(2), HTTP_IDEMPOTENCY_KEY="c").status_code == 429
    assert FamilyConnectForm.objects.count() == 2


def journey_to_check(client) -> None:
    assert client.post("/family-connect/").status_code == 302
    walk(
        client,
        [
            ("/family-connect/step/safeguarding/", {"safeguarding_concern": "no"}),
            ("/family-connect/step/request-type/", {"request_type": "support"}),
            (
                "/family-connect/step/consent/",
                {"consent": "yes", "consent_given_by": "Sara Khan, mother"},
            ),
        ]
        + COMMON_TAIL,
    )


def test_pages_and_the_api_share_one_allowance(settings):
    settings.USER_FORMS_PER_HOUR = 2
    user = requester()
    api = client_for(user)
    assert [post(api, form_body(n)).status_code for n in range(2)] == [201, 201]
    client = Client()
    sign_in(client, user)
    journey_to_check(client)
    response = client.post("/family-connect/check/", {"website": ""})
    assert response.status_code == 429
    assert_retry_after(response, 3600)
    html = response.content.decode()
    assert "govuk-error-summary" in html
    assert "You can send at most 2 forms an hour." in html
    assert FamilyConnectForm.objects.count() == 2
    # The answers are kept, to send when the hour is over.
    assert FormDraft.objects.filter(submitted_form__isnull=True).count() == 1


def test_signed_in_pages_are_limited_per_account_not_per_shared_address(settings):
    """Colleagues behind one school address do not share the page limit, and the
    public form's per-address limit on sending does not apply to them."""
    from family_connect.views import session

    settings.USER_FORMS_PER_HOUR = 60
    limit, session.SUBMIT_LIMIT = session.SUBMIT_LIMIT, (1, 3600)
    try:
        school = OrganisationFactory(kind="school")
        for _ in range(2):
            client = Client(REMOTE_ADDR="198.51.100.50")
            sign_in(client, UserFactory(role=Role.REQUESTER, organisation=school))
            journey_to_check(client)
            response = client.post("/family-connect/check/", {"website": ""})
            assert response.status_code == 302, response.content[:500]
    finally:
        session.SUBMIT_LIMIT = limit
    assert FamilyConnectForm.objects.count() == 2


def test_bulk_rows_over_the_daily_limit_answer_429_and_save_nothing(client, settings):
    settings.USER_BULK_ROWS_PER_DAY = 3
    user = requester()
    sign_in(client, user)
    first = client.post("/family-connect/bulk/", {"file": csv_file(GOOD[:2])})
    assert first.status_code == 200
    assert len(first.context["result"].created) == 2
    # The same rows again create nothing and take nothing from the allowance.
    again = client.post("/family-connect/bulk/", {"file": csv_file(GOOD[:2])})
    assert again.status_code == 200 and len(again.context["result"].already) == 2
    rows = [{"child_given_name": name} for name in ("Zara", "Yusuf")]
    response = client.post("/family-connect/bulk/", {"file": csv_file(rows)})
    assert response.status_code == 429
    assert_retry_after(response, 86400)
    html = response.content.decode()
    assert "govuk-error-summary" in html
    assert "You can upload at most 3 rows a day." in html
    assert response.context["result"] is None
    assert FamilyConnectForm.objects.count() == 2
    # One row still fits.
    one = client.post("/family-connect/bulk/", {"file": csv_file(rows[:1])})
    assert one.status_code == 200 and len(one.context["result"].created) == 1


def test_without_the_cache_forms_go_through_but_lists_wait(client, settings):
    """A family's form matters more than the limit; a list is never urgent and
    is the one way to send hundreds at once."""
    user = requester()
    sign_in(client, user)
    settings.CACHES = DEAD_CACHE
    assert post(client_for(user), form_body(0)).status_code == 201
    response = client.post("/family-connect/bulk/", {"file": csv_file(GOOD[:1])})
    assert response.status_code == 429
    assert int(response["Retry-After"]) > 0
    assert FamilyConnectForm.objects.count() == 1
