"""Five managers deciding the same twenty forms at once (QUALITY §3): one decision
per form whatever the race, the other requests refused, one e-mail per decision,
no social care referrals left behind by a refused step-up."""

from __future__ import annotations

import json
import threading
from collections import Counter

import pytest
from django.db import connection

from accounts.roles import Role
from casework.models import SocialCareReferral
from core.models import Notification
from family_connect.models import FamilyConnectForm, FormDecision, FormEvent
from tests.factories import OrganisationFactory, UserFactory
from tests.triage.test_triage import URL, api, submit

MANAGERS = 5
FORMS = 20
OUTCOMES = [
    "no_further_action",
    "stepped_up",
    "withdrawn",
    "consultation_given",
    "allocated",
]


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
@pytest.mark.parametrize(
    "if_match, refused",
    [(False, 409), (True, 412)],
    ids=["plain-requests-409", "if-match-412"],
)
def test_five_managers_deciding_twenty_forms_at_once_make_one_decision_each(
    if_match, refused
):
    """Plain requests: the losers find the form decided (409). With ``If-Match``
    of the form as all five saw it before anyone decided: the losers' version is
    stale (412) — also for ``withdrawn``, which with a version would close a
    decided form."""
    requester = UserFactory(
        role=Role.REQUESTER, organisation=OrganisationFactory(kind="school")
    )
    practitioner = UserFactory(role=Role.PRACTITIONER, localities=["erdington"])
    managers = [
        UserFactory(role=Role.LOCALITY_MANAGER, localities=["erdington"])
        for _ in range(MANAGERS)
    ]
    forms = [submit(requester) for _ in range(FORMS)]
    seen = [api(managers[0]).get(f"{URL}{f.reference}/")["ETag"] for f in forms]
    clients = [api(m) for m in managers]
    barrier = threading.Barrier(MANAGERS)
    # (manager, form) -> status code; each manager picks a different outcome for
    # each form and starts at a different form, so every form is contended.
    results: dict[tuple[int, int], int] = {}

    def run(m: int) -> None:
        try:
            barrier.wait()
            for step in range(FORMS):
                f = (step + m * 3) % FORMS
                outcome = OUTCOMES[(m + f) % len(OUTCOMES)]
                body: dict[str, str] = {"outcome": outcome, "reason": "At once."}
                if outcome == "allocated":
                    body["lead_practitioner"] = practitioner.email
                headers = {"HTTP_IF_MATCH": seen[f]} if if_match else {}
                response = clients[m].post(
                    f"{URL}{forms[f].reference}/decision/",
                    json.dumps(body),
                    content_type="application/json",
                    **headers,
                )
                results[(m, f)] = response.status_code
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=(m,)) for m in range(MANAGERS)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(120)
    assert len(results) == MANAGERS * FORMS
    for f, form in enumerate(forms):
        codes = Counter(results[(m, f)] for m in range(MANAGERS))
        assert codes == {200: 1, refused: MANAGERS - 1}, (form.reference, codes)
        form = FamilyConnectForm.objects.get(pk=form.pk)
        decision = FormDecision.objects.get(form=form)
        assert form.status == decision.outcome
        events = Counter(FormEvent.objects.filter(form=form).values_list("kind"))
        assert events[("decided",)] == 1 and events[("status_changed",)] == 0
        told = Notification.objects.filter(
            key__startswith=f"decision:{form.reference}:"
        )
        assert list(told.values_list("key", flat=True)) == [
            f"decision:{form.reference}:{form.status}"
        ]
        referrals = SocialCareReferral.objects.filter(form=form)
        if form.status == "stepped_up":
            assert referrals.exists()
        else:
            assert not referrals.exists(), (form.reference, form.status)
