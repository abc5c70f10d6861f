from __future__ import annotations

import threading
from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
from django.db import connection

from casework.models import (
    CaseClosure,
    CaseEvent,
    ClosurePerson,
    PostClosureCheck,
    WheelDomain,
)
from casework.services.assessment import assessment_save
from casework.services.closure import ClosureInput, case_close, case_closure_sign_off
from core.errors import Conflict, InvalidInput
from core.periods import add_months_to_moment
from tests.casework.test_assessment import whole
from tests.factories import CaseFactory, PersonFactory

LONDON = ZoneInfo("Europe/London")


@pytest.mark.parametrize(
    ("closed", "window_end"),
    [
        (
            datetime(2026, 3, 15, 10, 0, tzinfo=LONDON),
            datetime(2026, 6, 15, 10, 0, tzinfo=LONDON),
        ),
        (
            datetime(2026, 11, 30, 10, 0, tzinfo=LONDON),
            datetime(2027, 2, 28, 10, 0, tzinfo=LONDON),
        ),
        (
            datetime(2027, 11, 30, 10, 0, tzinfo=LONDON),
            datetime(2028, 2, 29, 10, 0, tzinfo=LONDON),
        ),
        (
            datetime(2026, 1, 31, 23, 30, tzinfo=LONDON),
            datetime(2026, 4, 30, 23, 30, tzinfo=LONDON),
        ),
    ],
)
def test_the_post_closure_window_ends_three_calendar_months_later(closed, window_end):
    assert add_months_to_moment(closed, 3) == window_end


@pytest.fixture
def case(db):
    case = CaseFactory()
    PersonFactory(family=case.family, given_name="Ayesha")
    return case


def closing(case, reason="outcomes_met") -> ClosureInput:
    people = list(case.family.people.all())
    return ClosureInput(
        reason=reason,
        wheel=dict.fromkeys(WheelDomain.values, 7),
        person_scores={p.pk: 8 for p in people},
        children={
            p.pk: {"happy": "yes", "healthy": "yes", "safe": "no"} for p in people
        },
        feedback_score=5,
        feedback_comment="Thank you.",
    )


def test_outcomes_met_needs_a_completed_assessment_and_nothing_changes(case):
    with pytest.raises(InvalidInput) as raised:
        case_close(case_id=case.pk, actor=case.lead_practitioner, data=closing(case))
    assert "after its Early Help Assessment is completed" in raised.value.message
    case.refresh_from_db()
    assert case.status == "allocated" and case.closed_at is None
    assert not CaseClosure.objects.exists() and not PostClosureCheck.objects.exists()


def test_closing_records_everything_and_schedules_the_check(case):
    lead = case.lead_practitioner
    assessment_save(case_id=case.pk, actor=lead, data=whole(case), complete=True)
    closure = case_close(case_id=case.pk, actor=lead, data=closing(case))
    case.refresh_from_db()
    assert case.status == "closed" and case.closed_at == closure.closed_at
    child = ClosurePerson.objects.get(closure=closure)
    assert (child.score, child.happy, child.healthy, child.safe) == (
        8,
        "yes",
        "yes",
        "no",
    )
    check = PostClosureCheck.objects.get(case=case)
    assert check.window_end == add_months_to_moment(closure.closed_at, 3)
    assert CaseEvent.objects.filter(case=case, kind="closed").count() == 1
    with pytest.raises(Conflict):
        case_close(case_id=case.pk, actor=lead, data=closing(case, "other"))
    with pytest.raises(Conflict):  # not by the person who closed it
        case_closure_sign_off(case_id=case.pk, actor=lead)
    from accounts.roles import Role
    from tests.factories import UserFactory

    manager = UserFactory(role=Role.LOCALITY_MANAGER, localities=["erdington"])
    case_closure_sign_off(case_id=case.pk, actor=manager)
    with pytest.raises(Conflict):
        case_closure_sign_off(case_id=case.pk, actor=manager)


def test_moving_away_closes_without_scores(case):
    closure = case_close(
        case_id=case.pk,
        actor=case.lead_practitioner,
        data=ClosureInput(reason="moved_away"),
    )
    assert ClosurePerson.objects.get(closure=closure).happy == "not_asked"


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_two_practitioners_closing_at_once_make_one_closure():
    case = CaseFactory()
    PersonFactory(family=case.family)
    barrier = threading.Barrier(2)
    results: list = [None, None]

    def run(i: int) -> None:
        try:
            barrier.wait()
            case_close(
                case_id=case.pk,
                actor=case.lead_practitioner,
                data=ClosureInput(reason="declined_or_disengaged"),
            )
            results[i] = "closed"
        except Conflict:
            results[i] = "conflict"
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=(i,)) for i in range(2)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(30)
    assert sorted(results) == ["closed", "conflict"]
    assert CaseClosure.objects.count() == 1
    assert CaseEvent.objects.filter(case=case, kind="closed").count() == 1


@pytest.mark.django_db
def test_post_closure_check_counts_a_referral_at_the_window_end_not_a_second_later():
    from datetime import timedelta

    from casework.models import SocialCareReferral
    from casework.services.closure import post_closure_checks_run
    from casework.tasks import post_closure_checks
    from family_connect.models import FormMember
    from tests.factories import FormFactory

    cases = []
    for _ in range(3):
        case = CaseFactory()
        PersonFactory(family=case.family, given_name="Child")
        PersonFactory(
            family=case.family,
            role="adult",
            given_name="Mum",
            relationship="mother",
            date_of_birth=None,
        )
        case_close(
            case_id=case.pk,
            actor=case.lead_practitioner,
            data=ClosureInput(reason="moved_away"),
        )
        cases.append(case)
    on_time, late, by_form = cases
    for case in cases:
        check = PostClosureCheck.objects.get(case=case)
        check.closed_at = datetime(2026, 5, 30, 10, 0, tzinfo=LONDON)
        check.window_end = add_months_to_moment(check.closed_at, 3)
        check.save()
    end = datetime(2026, 8, 30, 10, 0, tzinfo=LONDON)
    child = {c.pk: c.family.people.get(role="child") for c in cases}
    SocialCareReferral.objects.create(
        person=child[on_time.pk], referred_at=end, source="external"
    )
    SocialCareReferral.objects.create(
        person=child[late.pk], referred_at=end + timedelta(seconds=1), source="external"
    )
    form = FormFactory(received_at=end - timedelta(days=1))
    FormMember.objects.create(
        form=form,
        position=0,
        role="child",
        given_name="Child",
        family_name="X",
        date_of_birth=child[by_form.pk].date_of_birth,
        person=child[by_form.pk],
    )
    assert post_closure_checks_run(now=end - timedelta(seconds=1)) == 0  # not yet due
    assert post_closure_checks.delay().get() == 3
    assert post_closure_checks_run() == 0  # done once
    results = {c.pk: PostClosureCheck.objects.get(case=c).results for c in cases}
    key = str(child[on_time.pk].pk)
    assert results[on_time.pk][key] == {
        "social_care_referral": True,
        "new_support_form": False,
    }
    key = str(child[late.pk].pk)
    assert results[late.pk][key] == {
        "social_care_referral": False,
        "new_support_form": False,
    }
    key = str(child[by_form.pk].pk)
    assert results[by_form.pk][key] == {
        "social_care_referral": False,
        "new_support_form": True,
    }
    assert all(len(r) == 1 for r in results.values())  # children only


@pytest.mark.django_db
def test_the_closure_page_explains_a_refused_closure_and_changes_nothing(client, case):
    from tests.helpers import sign_in_verified

    sign_in_verified(client, case.lead_practitioner)
    url = f"/cases/{case.pk}/close/"
    assert client.get(url).status_code == 200
    response = client.post(url, {"reason": "outcomes_met"})
    html = response.content.decode()
    assert response.status_code == 200 and "There is a problem" in html
    assert "after its Early Help Assessment is completed" in html
    case.refresh_from_db()
    assert case.status == "allocated"
    child = case.family.people.get()
    ok = client.post(
        url,
        {"reason": "moved_away", f"happy_{child.pk}": "yes", "feedback_score": "4"},
    )
    assert ok.status_code == 302
    case.refresh_from_db()
    assert case.status == "closed"
    assert ClosurePerson.objects.get(person=child).happy == "yes"
    again = client.post(url, {"reason": "other"})
    assert "already closed" in again.content.decode()


@pytest.mark.django_db
def test_others_cannot_close(client, case):
    from accounts.roles import Role
    from tests.factories import UserFactory
    from tests.helpers import sign_in_verified

    sign_in_verified(
        client, UserFactory(role=Role.PRACTITIONER, localities=["erdington"])
    )
    assert (
        client.post(f"/cases/{case.pk}/close/", {"reason": "other"}).status_code == 404
    )
    case.refresh_from_db()
    assert case.status == "allocated"


@pytest.mark.django_db
def test_sign_off_by_a_manager_and_reopening_within_28_days(client, case):
    from datetime import timedelta

    from django.utils import timezone

    from accounts.roles import Role
    from tests.factories import UserFactory
    from tests.helpers import sign_in_verified

    case_close(
        case_id=case.pk,
        actor=case.lead_practitioner,
        data=ClosureInput(reason="moved_away"),
    )
    lead_client = client
    sign_in_verified(lead_client, case.lead_practitioner)
    url = f"/cases/{case.pk}/closure/"
    assert lead_client.post(url, {"do": "sign_off"}).status_code == 404  # not a manager
    from django.test import Client

    manager_client = Client()
    sign_in_verified(
        manager_client,
        UserFactory(role=Role.LOCALITY_MANAGER, localities=["erdington"]),
    )
    manager_client.post(url, {"do": "sign_off"})
    assert CaseClosure.objects.get(case=case).signed_off_at is not None
    lead_client.post(url, {"do": "reopen", "reason": ""})
    case.refresh_from_db()
    assert case.status == "closed"
    lead_client.post(url, {"do": "reopen", "reason": "Moved back to the city."})
    case.refresh_from_db()
    assert case.status == "plan" and case.closed_at is None
    assert not PostClosureCheck.objects.filter(case=case).exists()
    # Closed again, 29 days ago: too late to reopen.
    case_close(
        case_id=case.pk,
        actor=case.lead_practitioner,
        data=ClosureInput(reason="moved_away"),
    )
    type(case).objects.filter(pk=case.pk).update(
        closed_at=timezone.now() - timedelta(days=29)
    )
    lead_client.post(url, {"do": "reopen", "reason": "x"})
    case.refresh_from_db()
    assert case.status == "closed"


@pytest.mark.django_db
def test_reopening_removes_the_closure_and_the_assessment_can_still_be_completed(case):
    from casework.services.closure import case_reopen

    lead = case.lead_practitioner
    case_close(
        case_id=case.pk, actor=lead, data=ClosureInput(reason="declined_or_disengaged")
    )
    case_reopen(case_id=case.pk, actor=lead, reason="Family asked again.")
    case.refresh_from_db()
    assert case.status == "plan" and not CaseClosure.objects.filter(case=case).exists()
    with pytest.raises(Conflict):  # nothing to sign off on an open case
        case_closure_sign_off(case_id=case.pk, actor=lead)
    assessment_save(case_id=case.pk, actor=lead, data=whole(case), complete=True)
    case.refresh_from_db()
    assert case.status == "plan"
    case_close(case_id=case.pk, actor=lead, data=closing(case))
    assert CaseClosure.objects.get(case=case).reason == "outcomes_met"


@pytest.mark.django_db
def test_post_closure_check_finds_an_unlinked_form_and_ignores_duplicates():
    from datetime import timedelta

    from casework.services.closure import post_closure_checks_run
    from family_connect.models import FormMember
    from tests.factories import FormFactory

    results = {}
    for status in ("submitted", "duplicate"):
        case = CaseFactory()
        child = PersonFactory(
            family=case.family, given_name=f"Zara{status}", family_name="Ali"
        )
        case_close(
            case_id=case.pk,
            actor=case.lead_practitioner,
            data=ClosureInput(reason="moved_away"),
        )
        check = PostClosureCheck.objects.get(case=case)
        form = FormFactory(
            received_at=check.closed_at + timedelta(days=30), status=status
        )
        FormMember.objects.create(
            form=form,
            position=0,
            role="child",
            given_name=f"ZARA{status}",  # as typed, without triage's link
            family_name="ali",
            date_of_birth=child.date_of_birth,
        )
        PostClosureCheck.objects.filter(pk=check.pk).update(
            window_end=check.closed_at + timedelta(days=60)
        )
        post_closure_checks_run(now=check.closed_at + timedelta(days=61))
        results[status] = PostClosureCheck.objects.get(pk=check.pk).results[
            str(child.pk)
        ]
    assert results["submitted"]["new_support_form"] is True
    assert results["duplicate"]["new_support_form"] is False
