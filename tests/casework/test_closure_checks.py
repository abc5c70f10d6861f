"""Before a case closes, the page warns of the plan's open actions and of what
the children's baseline lacks; with open actions, the practitioner confirms
they checked them. The manager signs off against the baseline."""

from __future__ import annotations

import datetime as dt

import pytest
from django.test import Client

from accounts.roles import Role
from casework.models import (
    ActionStatus,
    CaseClosure,
    CaseEvent,
    CaseMember,
    PostClosureCheck,
)
from casework.services.assessment import assessment_save
from casework.services.closure import (
    OPEN_ACTIONS_UNCHECKED,
    ClosureInput,
    case_close,
    sign_off_refusal,
)
from casework.services.plan import plan_action_add, plan_outcome_add
from core.errors import InvalidInput
from core.history import HISTORY
from tests.casework.test_assessment import whole
from tests.casework.test_closure import closing
from tests.factories import CaseFactory, PersonFactory, UserFactory
from tests.helpers import sign_in_verified

pytestmark = pytest.mark.django_db

DUE = dt.date(2027, 1, 15)


@pytest.fixture
def case():
    case = CaseFactory()
    PersonFactory(family=case.family, given_name="Ayesha", family_name="Khan")
    lead = case.lead_practitioner
    assessment_save(case_id=case.pk, actor=lead, data=whole(case), complete=True)
    return case


def add_action(case, what: str, *, family: bool = False, status: str | None = None):
    lead = case.lead_practitioner
    outcome = plan_outcome_add(
        case_id=case.pk, actor=lead, text="Calmer mornings", domain="relationships"
    )
    action = plan_action_add(
        case_id=case.pk,
        actor=lead,
        outcome_id=outcome.pk,
        what=what,
        owner=None if family else lead,
        owner_is_family=family,
        due_on=DUE,
        community=False,
    )
    if status:
        action.status = status
        action.save(update_fields=["status"])
    return action


def assert_still_open(case) -> None:
    case.refresh_from_db()
    assert case.status == "plan" and case.closed_at is None
    assert not CaseClosure.objects.filter(case=case).exists()
    assert not PostClosureCheck.objects.filter(case=case).exists()
    assert not CaseEvent.objects.filter(case=case, kind="closed").exists()


def test_the_warning_lists_open_actions_and_what_the_childrens_baseline_lacks(
    client, case
):
    add_action(case, "Bedtime routine chart")
    add_action(case, "Debt advice appointment", family=True)
    add_action(case, "Finished already", status=ActionStatus.DONE)
    add_action(case, "Not needed", status=ActionStatus.CANCELLED)
    # A baby added after the assessment: no voice, no baseline score.
    PersonFactory(family=case.family, given_name="Zara", family_name="Khan")
    sign_in_verified(client, case.lead_practitioner)
    html = client.get(f"/cases/{case.pk}/close/").content.decode()
    assert 'class="govuk-warning-text"' in html
    actions = html.split('data-testid="open-actions"')[1].split("</table>")[0]
    assert "Bedtime routine chart" in actions and "Debt advice appointment" in actions
    assert case.lead_practitioner.display_name in actions and "The family" in actions
    assert "15 January 2027" in actions
    assert "Finished already" not in actions and "Not needed" not in actions
    assert "2 actions not done or cancelled" in actions
    missing = html.split('data-testid="missing-answers"')[1].split("</ul>")[0]
    assert "Zara Khan: no record of the child&#x27;s voice" in missing
    assert "Zara Khan: no record of a baseline score" in missing
    assert "Ayesha" not in missing
    assert "I have checked the open actions in the plan" in html


def test_no_warning_and_no_confirmation_without_open_actions(client, case):
    add_action(case, "Finished already", status=ActionStatus.DONE)
    sign_in_verified(client, case.lead_practitioner)
    url = f"/cases/{case.pk}/close/"
    html = client.get(url).content.decode()
    assert "govuk-warning-text" not in html and "open_actions_checked" not in html
    assert client.post(url, {"reason": "moved_away"}).status_code == 302
    case.refresh_from_db()
    assert case.status == "closed"


def test_open_actions_need_the_confirmation_every_error_at_once_nothing_closed(
    client, case
):
    add_action(case, "Bedtime routine chart")
    sign_in_verified(client, case.lead_practitioner)
    url = f"/cases/{case.pk}/close/"
    response = client.post(url, {"feedback_score": "9"})
    html = response.content.decode()
    assert response.status_code == 200 and "There is a problem" in html
    summary = html.split("govuk-error-summary__list")[1].split("</ul>")[0]
    assert OPEN_ACTIONS_UNCHECKED.replace("'", "&#x27;") in summary
    assert 'href="#id_open_actions_checked"' in summary
    assert "Select a reason for closing the case" in summary
    assert "from 1 to 5" in summary
    assert_still_open(case)
    # The reason alone is not enough while an action is open.
    client.post(url, {"reason": "moved_away"})
    assert_still_open(case)
    # Confirmed, the practitioner may close all the same: a warning, not a bar.
    ok = client.post(url, {"reason": "moved_away", "open_actions_checked": "on"})
    assert ok.status_code == 302
    case.refresh_from_db()
    assert case.status == "closed"


def test_the_service_refuses_unconfirmed_open_actions_with_its_other_problems(case):
    add_action(case, "Bedtime routine chart")
    data = ClosureInput(reason="outcomes_met")  # no scores either
    with pytest.raises(InvalidInput) as raised:
        case_close(case_id=case.pk, actor=case.lead_practitioner, data=data)
    fields = [field for field, _ in raised.value.problems]
    assert "open_actions_checked" in fields and "relationships" in fields
    assert (
        "open_actions_checked",
        OPEN_ACTIONS_UNCHECKED,
    ) in raised.value.problems
    assert_still_open(case)
    # History from the old system closed as it closed.
    case_close(
        case_id=case.pk,
        actor=case.lead_practitioner,
        data=ClosureInput(reason="moved_away"),
        mode=HISTORY,
    )
    case.refresh_from_db()
    assert case.status == "closed"


def test_the_sign_off_page_shows_the_closure_against_the_baseline(client, case):
    lead = case.lead_practitioner
    # Baseline: every domain 4, Ayesha 5 (``whole``); closure: 7 and 8.
    case_close(case_id=case.pk, actor=lead, data=closing(case))
    manager = UserFactory(role=Role.LOCALITY_MANAGER, localities=["erdington"])
    sign_in_verified(client, manager)
    url = f"/cases/{case.pk}/closure/sign-off/"
    html = client.get(url).content.decode()
    wheel = html.split('data-testid="wheel-change"')[1].split("</table>")[0]
    row = wheel.split("Relationships")[1].split("</tr>")[0]
    cells = [c.split("<")[0] for c in row.split('numeric">')[1:]]
    assert cells == ["4", "7", "+3"]
    people = html.split('data-testid="people-change"')[1].split("</table>")[0]
    row = people.split("Ayesha Khan")[1].split("</tr>")[0]
    assert [c.split("<")[0] for c in row.split('numeric">')[1:]] == ["5", "8", "+3"]
    assert "Sign off the closure</button>" in html
    # The case page sends the manager here; the button signs it off.
    case_html = client.get(f"/cases/{case.pk}/").content.decode()
    assert f'href="{url}"' in case_html
    client.post(f"/cases/{case.pk}/closure/", {"do": "sign_off"})
    assert CaseClosure.objects.get(case=case).signed_off_by == manager
    assert "Sign off the closure</button>" not in client.get(url).content.decode()


def test_the_sign_off_page_is_for_the_localitys_managers_only(client, case):
    case_close(
        case_id=case.pk,
        actor=case.lead_practitioner,
        data=ClosureInput(reason="moved_away"),
    )
    url = f"/cases/{case.pk}/closure/sign-off/"
    sign_in_verified(client, case.lead_practitioner)
    assert client.get(url).status_code == 404
    elsewhere = Client()
    sign_in_verified(
        elsewhere, UserFactory(role=Role.LOCALITY_MANAGER, localities=["hodge-hill"])
    )
    assert elsewhere.get(url).status_code == 404
    assert CaseClosure.objects.get(case=case).signed_off_at is None


def test_the_manager_who_closed_the_case_is_not_offered_the_sign_off(client, case):
    """The page offers the button by the rule the service signs off by."""
    manager = UserFactory(role=Role.LOCALITY_MANAGER, localities=["erdington"])
    CaseMember.objects.get_or_create(case=case, user=manager)
    case_close(case_id=case.pk, actor=manager, data=ClosureInput(reason="moved_away"))
    sign_in_verified(client, manager)
    html = client.get(f"/cases/{case.pk}/closure/sign-off/").content.decode()
    assert "Sign off the closure</button>" not in html
    assert sign_off_refusal(CaseClosure.objects.get(case=case), manager) == (
        "Another manager must sign off a closure you made."
    )
