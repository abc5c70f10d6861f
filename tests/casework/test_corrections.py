"""Corrections with a trail: plan outcomes and actions edited, chronology notes
amended. Every change is in the case's timeline and the change log, with what
it was before; nothing is ever deleted; nothing is recorded when nothing
changed."""

from __future__ import annotations

import datetime as dt
import html
import json
import re

import pytest
from django.contrib.admin.models import LogEntry
from django.db import IntegrityError, transaction
from django.test import Client
from django.utils import timezone

from accounts.roles import Role
from casework.models import CaseEvent, CaseNote, NoteAmendment, PlanAction
from casework.services.cases import case_note_add, case_note_amend
from casework.services.plan import (
    plan_action_add,
    plan_action_edit,
    plan_outcome_add,
    plan_outcome_edit,
)
from core.errors import Conflict, InvalidInput
from core.periods import local_date
from localities.models import CommunityService, Locality
from tests.factories import CaseFactory, OrganisationFactory, UserFactory, join_team
from tests.helpers import sign_in, sign_in_verified

pytestmark = pytest.mark.django_db


def text_of(response) -> str:
    """A page's text, without its tags."""
    return html.unescape(re.sub(r"<[^>]+>", "", response.content.decode()))


def today() -> dt.date:
    return local_date(timezone.now())


def in_days(n: int) -> dt.date:
    return today() + dt.timedelta(days=n)


def date_post(d: dt.date) -> dict[str, str]:
    return {"due_on_0": str(d.day), "due_on_1": str(d.month), "due_on_2": str(d.year)}


@pytest.fixture
def plan():
    """An open case whose plan has an outcome and an action owned by a partner
    on the team."""
    case = CaseFactory()
    lead = case.lead_practitioner
    partner = UserFactory(
        role=Role.REQUESTER,
        organisation=OrganisationFactory(name="School"),
        full_name="Pat Partner",
    )
    join_team(case, partner)
    outcome = plan_outcome_add(
        case_id=case.pk, actor=lead, text="Mornings are calm", domain="relationships"
    )
    action = plan_action_add(
        case_id=case.pk,
        actor=lead,
        outcome_id=outcome.pk,
        what="Breakfast club place",
        owner=partner,
        owner_is_family=False,
        due_on=in_days(10),
        community=False,
    )
    return case, outcome, action, partner


def edits(case) -> list[CaseEvent]:
    return list(
        CaseEvent.objects.filter(
            case=case, kind__in=["plan_outcome_edited", "plan_action_edited"]
        )
    )


def action_state(action) -> tuple:
    action.refresh_from_db()
    return (
        action.what,
        action.owner_id,
        action.owner_is_family,
        action.due_on,
        action.community,
    )


# --- Editing an action ------------------------------------------------------------


def test_the_edit_action_page_is_prefilled(client, plan):
    case, _outcome, action, partner = plan
    sign_in_verified(client, case.lead_practitioner)
    page = client.get(f"/cases/{case.pk}/plan/actions/{action.pk}/").content.decode()
    assert "Change an action" in page
    assert "Breakfast club place</textarea>" in page
    assert f'<option value="{partner.pk}" selected>' in page
    d = action.due_on
    assert f'name="due_on_0" value="{d.day}"' in page
    assert f'name="due_on_2" value="{d.year}"' in page


def test_the_lead_edits_an_action_and_the_change_is_recorded(client, plan):
    case, _outcome, action, partner = plan
    lead = case.lead_practitioner
    sign_in_verified(client, lead)
    old_due = action.due_on
    response = client.post(
        f"/cases/{case.pk}/plan/actions/{action.pk}/",
        {
            "what": "Breakfast club, 3 days a week",
            "owner": "family",
            **date_post(in_days(20)),
            "community": "on",
        },
    )
    assert response.status_code == 302
    assert action_state(action) == (
        "Breakfast club, 3 days a week",
        None,
        True,
        in_days(20),
        True,
    )
    (event,) = edits(case)
    assert event.kind == "plan_action_edited" and event.actor == lead
    assert event.data == {
        "action": action.pk,
        "changes": {
            "what": {"from": "Breakfast club place", "to": action.what},
            "owner": {"from": partner.pk, "to": "family"},
            "due_on": {"from": old_due.isoformat(), "to": in_days(20).isoformat()},
            "community": {"from": False, "to": True},
        },
    }
    entry = LogEntry.objects.get(object_id=str(action.pk))
    assert entry.user_id == lead.pk
    logged = json.loads(entry.change_message)
    assert logged["before"]["due_on"] == old_due.isoformat()
    assert logged["after"]["owner"] == "family"
    # The case's timeline says what changed, from what to what.
    timeline = html.unescape(client.get(f"/cases/{case.pk}/").content.decode())
    assert "Plan action edited" in timeline
    assert "Who: Pat Partner → the family" in timeline
    assert f"Due date: {old_due:%-d %B %Y} → {in_days(20):%-d %B %Y}" in timeline
    assert "Community resource: no → yes" in timeline


def test_only_the_changed_fields_are_recorded(plan):
    case, _outcome, action, partner = plan
    _action, changed = plan_action_edit(
        action_id=action.pk,
        actor=case.lead_practitioner,
        what="Breakfast club place",
        owner=partner,
        owner_is_family=False,
        due_on=in_days(12),
        community=False,
        community_service=None,
    )
    assert changed
    (event,) = edits(case)
    assert list(event.data["changes"]) == ["due_on"]
    logged = json.loads(LogEntry.objects.get().change_message)
    assert logged == {
        "before": {"due_on": in_days(10).isoformat()},
        "after": {"due_on": in_days(12).isoformat()},
    }


def test_an_edit_that_changes_nothing_records_nothing(client, plan):
    case, outcome, action, partner = plan
    sign_in_verified(client, case.lead_practitioner)
    before = action_state(action)
    response = client.post(
        f"/cases/{case.pk}/plan/actions/{action.pk}/",
        {
            "what": "  Breakfast club place ",
            "owner": partner.pk,
            **date_post(in_days(10)),
        },
        follow=True,
    )
    assert "Nothing was changed" in response.content.decode()
    response = client.post(
        f"/cases/{case.pk}/plan/outcomes/{outcome.pk}/",
        {"text": "Mornings are calm", "domain": "relationships"},
        follow=True,
    )
    assert "Nothing was changed" in response.content.decode()
    assert action_state(action) == before
    assert edits(case) == []
    assert not LogEntry.objects.exists()


def test_a_past_due_date_is_refused_and_nothing_changes(client, plan):
    case, _outcome, action, partner = plan
    sign_in_verified(client, case.lead_practitioner)
    before = action_state(action)
    response = client.post(
        f"/cases/{case.pk}/plan/actions/{action.pk}/",
        {"what": "Changed too", "owner": partner.pk, **date_post(in_days(-1))},
    )
    page = response.content.decode()
    assert response.status_code == 200
    assert "The due date must be today or in the future" in page
    assert 'href="#id_due_on_0"' in page
    assert action_state(action) == before
    assert edits(case) == [] and not LogEntry.objects.exists()
    # The service refuses it too, whoever calls it.
    with pytest.raises(InvalidInput) as refused:
        plan_action_edit(
            action_id=action.pk,
            actor=case.lead_practitioner,
            what="Breakfast club place",
            owner=partner,
            owner_is_family=False,
            due_on=in_days(-1),
            community=False,
            community_service=None,
        )
    assert refused.value.field == "due_on"
    assert action_state(action) == before
    # Today is allowed.
    client.post(
        f"/cases/{case.pk}/plan/actions/{action.pk}/",
        {"what": "Breakfast club place", "owner": partner.pk, **date_post(today())},
    )
    assert action_state(action)[3] == today()


def test_an_overdue_action_keeps_its_date_when_something_else_is_corrected(
    client, plan
):
    case, outcome, _action, partner = plan
    # Added weeks ago, due five days ago.
    overdue = PlanAction.objects.create(
        case=case,
        outcome=outcome,
        what="Call the GP",
        owner_is_family=True,
        due_on=in_days(-5),
    )
    sign_in_verified(client, case.lead_practitioner)
    response = client.post(
        f"/cases/{case.pk}/plan/actions/{overdue.pk}/",
        {"what": "Call the GP surgery", "owner": "family", **date_post(in_days(-5))},
    )
    assert response.status_code == 302
    assert action_state(overdue)[0] == "Call the GP surgery"
    assert action_state(overdue)[3] == in_days(-5)
    (event,) = edits(case)
    assert list(event.data["changes"]) == ["what"]


def test_every_problem_is_listed_at_once_linked_to_its_field(client, plan):
    case, _outcome, action, _partner = plan
    sign_in_verified(client, case.lead_practitioner)
    before = action_state(action)
    page = client.post(
        f"/cases/{case.pk}/plan/actions/{action.pk}/",
        {
            "what": "",
            "owner": "",
            "due_on_0": "31",
            "due_on_1": "2",
            "due_on_2": str(today().year + 1),
        },
    ).content.decode()
    assert "There is a problem" in page
    for anchor, message in [
        ("id_what", "Enter what will be done"),
        ("id_owner", "Select who will do it: a member of the team or the family"),
        ("id_due_on_0", "Due date must be a real date"),
    ]:
        assert f'<a href="#{anchor}">{message}</a>' in html.unescape(page), message
    assert "This field is required" not in page
    assert action_state(action) == before


def test_the_owner_must_be_on_the_team(client, plan):
    case, _outcome, action, partner = plan
    stranger = UserFactory(role=Role.PRACTITIONER, localities=["erdington"])
    sign_in_verified(client, case.lead_practitioner)
    before = action_state(action)
    page = client.post(
        f"/cases/{case.pk}/plan/actions/{action.pk}/",
        {"what": "Breakfast club place", "owner": stranger.pk, **date_post(in_days(9))},
    ).content.decode()
    assert "Select who will do it" in page
    assert action_state(action) == before
    with pytest.raises(InvalidInput):
        plan_action_edit(
            action_id=action.pk,
            actor=case.lead_practitioner,
            what="Breakfast club place",
            owner=stranger,
            owner_is_family=False,
            due_on=in_days(9),
            community=False,
            community_service=None,
        )
    assert action_state(action) == before


def test_an_owner_taken_off_the_team_may_stay_the_owner(client, plan):
    case, _outcome, action, partner = plan
    from casework.services.team import case_member_remove

    member = case.members.get(user=partner)
    case_member_remove(
        case_id=case.pk, member_id=member.pk, actor=case.lead_practitioner
    )
    sign_in_verified(client, case.lead_practitioner)
    page = client.get(f"/cases/{case.pk}/plan/actions/{action.pk}/").content.decode()
    assert "Pat Partner (no longer on the team)" in page
    response = client.post(
        f"/cases/{case.pk}/plan/actions/{action.pk}/",
        {"what": "Breakfast club place", "owner": partner.pk, **date_post(in_days(15))},
    )
    assert response.status_code == 302
    assert action_state(action)[1] == partner.pk
    assert action_state(action)[3] == in_days(15)


# --- Editing an outcome -----------------------------------------------------------


def test_the_lead_edits_an_outcome_and_the_change_is_recorded(client, plan):
    case, outcome, _action, _partner = plan
    sign_in_verified(client, case.lead_practitioner)
    url = f"/cases/{case.pk}/plan/outcomes/{outcome.pk}/"
    page = client.get(url).content.decode()
    assert "Mornings are calm</textarea>" in page
    assert '<option value="relationships" selected>' in page
    response = client.post(
        url, {"text": "Mornings are calm and on time", "domain": "healthy_lifestyles"}
    )
    assert response.status_code == 302
    outcome.refresh_from_db()
    assert (outcome.text, outcome.domain) == (
        "Mornings are calm and on time",
        "healthy_lifestyles",
    )
    (event,) = edits(case)
    assert event.data == {
        "outcome": outcome.pk,
        "changes": {
            "text": {"from": "Mornings are calm", "to": outcome.text},
            "domain": {"from": "relationships", "to": "healthy_lifestyles"},
        },
    }
    logged = json.loads(LogEntry.objects.get(object_id=str(outcome.pk)).change_message)
    assert logged["before"] == {"text": "Mornings are calm", "domain": "relationships"}
    timeline = html.unescape(client.get(f"/cases/{case.pk}/").content.decode())
    assert "Plan outcome edited" in timeline
    assert "“Mornings are calm and on time”" in timeline
    assert "Part of the family wheel: Relationships → Healthy lifestyles" in timeline


def test_a_bad_outcome_edit_lists_every_problem_and_changes_nothing(client, plan):
    case, outcome, _action, _partner = plan
    sign_in_verified(client, case.lead_practitioner)
    page = html.unescape(
        client.post(
            f"/cases/{case.pk}/plan/outcomes/{outcome.pk}/",
            {"text": " ", "domain": "wellbeing"},
        ).content.decode()
    )
    assert '<a href="#id_text">Enter the outcome' in page
    assert '<a href="#id_domain">' in page
    outcome.refresh_from_db()
    assert outcome.text == "Mornings are calm"
    assert edits(case) == []


# --- Who may edit, and when -------------------------------------------------------


def test_a_manager_of_the_locality_may_edit_the_plan(client, plan):
    case, outcome, _action, _partner = plan
    manager = UserFactory(role=Role.LOCALITY_MANAGER, localities=["erdington"])
    sign_in_verified(client, manager)
    response = client.post(
        f"/cases/{case.pk}/plan/outcomes/{outcome.pk}/",
        {"text": "Calm mornings", "domain": "relationships"},
    )
    assert response.status_code == 302
    assert edits(case)[0].actor == manager


@pytest.mark.parametrize("who", ["partner", "other_practitioner", "other_manager"])
def test_others_cannot_edit_the_plan_and_nothing_changes(plan, who):
    case, outcome, action, partner = plan
    client = Client()
    if who == "partner":
        # On the team and the action's owner: updates its status, no more.
        sign_in(client, partner)
    elif who == "other_practitioner":
        sign_in_verified(
            client, UserFactory(role=Role.PRACTITIONER, localities=["erdington"])
        )
    else:
        sign_in_verified(
            client, UserFactory(role=Role.LOCALITY_MANAGER, localities=["ladywood"])
        )
    before = action_state(action)
    action_url = f"/cases/{case.pk}/plan/actions/{action.pk}/"
    outcome_url = f"/cases/{case.pk}/plan/outcomes/{outcome.pk}/"
    assert client.get(action_url).status_code == 404
    assert client.get(outcome_url).status_code == 404
    assert (
        client.post(
            action_url,
            {"what": "Taken over", "owner": "family", **date_post(in_days(30))},
        ).status_code
        == 404
    )
    assert (
        client.post(
            outcome_url, {"text": "Other", "domain": "safeguarding"}
        ).status_code
        == 404
    )
    assert action_state(action) == before
    outcome.refresh_from_db()
    assert outcome.text == "Mornings are calm"
    assert edits(case) == [] and not LogEntry.objects.exists()
    if who == "partner":
        plan_page = client.get(f"/cases/{case.pk}/plan/").content.decode()
        assert action_url not in plan_page and outcome_url not in plan_page


def test_a_closed_case_plan_cannot_be_edited(client, plan):
    case, outcome, action, partner = plan
    case.status = "closed"
    case.save(update_fields=["status"])
    sign_in_verified(client, case.lead_practitioner)
    action_url = f"/cases/{case.pk}/plan/actions/{action.pk}/"
    outcome_url = f"/cases/{case.pk}/plan/outcomes/{outcome.pk}/"
    assert client.get(action_url).status_code == 404
    assert (
        client.post(
            action_url,
            {"what": "Late change", "owner": "family", **date_post(in_days(30))},
        ).status_code
        == 404
    )
    assert (
        client.post(outcome_url, {"text": "Late", "domain": "safeguarding"}).status_code
        == 404
    )
    plan_page = client.get(f"/cases/{case.pk}/plan/").content.decode()
    assert action_url not in plan_page and outcome_url not in plan_page
    with pytest.raises(Conflict):
        plan_outcome_edit(
            outcome_id=outcome.pk,
            actor=case.lead_practitioner,
            text="Late",
            domain="safeguarding",
        )
    with pytest.raises(Conflict):
        plan_action_edit(
            action_id=action.pk,
            actor=case.lead_practitioner,
            what="Late change",
            owner=None,
            owner_is_family=True,
            due_on=in_days(30),
            community=False,
            community_service=None,
        )
    assert action_state(action)[0] == "Breakfast club place"
    assert edits(case) == [] and not LogEntry.objects.exists()


def test_an_action_or_outcome_of_another_case_is_not_found(client, plan):
    case, outcome, action, _partner = plan
    other = CaseFactory(lead_practitioner=case.lead_practitioner)
    sign_in_verified(client, case.lead_practitioner)
    assert client.get(f"/cases/{other.pk}/plan/actions/{action.pk}/").status_code == 404
    assert (
        client.get(f"/cases/{other.pk}/plan/outcomes/{outcome.pk}/").status_code == 404
    )


def test_the_plan_links_to_the_edit_pages_for_its_workers(client, plan):
    case, outcome, action, _partner = plan
    sign_in_verified(client, case.lead_practitioner)
    page = client.get(f"/cases/{case.pk}/plan/").content.decode()
    assert f"/cases/{case.pk}/plan/actions/{action.pk}/" in page
    assert f"/cases/{case.pk}/plan/outcomes/{outcome.pk}/" in page


# --- Amending a note --------------------------------------------------------------


@pytest.fixture
def note():
    case = CaseFactory()
    n = case_note_add(
        case_id=case.pk,
        actor=case.lead_practitioner,
        kind="visit",
        text="Home visit on Tuesday: Mum was upset.",
        significant=False,
    )
    return case, n


def test_the_author_amends_a_note_and_the_original_is_kept(client, note):
    case, n = note
    lead = case.lead_practitioner
    sign_in_verified(client, lead)
    url = f"/cases/{case.pk}/notes/{n.pk}/amend/"
    page = client.get(url).content.decode()
    assert "Home visit on Tuesday: Mum was upset.</textarea>" in page
    assert "(optional)" not in page  # both the text and the reason are needed
    response = client.post(
        url,
        {
            "text": "Home visit on Wednesday: Mum was upset.",
            "reason": "The visit was on Wednesday, not Tuesday.",
        },
    )
    assert response.status_code == 302
    assert CaseNote.objects.count() == 1
    n.refresh_from_db()
    assert n.text == "Home visit on Wednesday: Mum was upset."
    amendment = NoteAmendment.objects.get()
    assert amendment.note == n and amendment.amended_by == lead
    assert amendment.text_before == "Home visit on Tuesday: Mum was upset."
    assert amendment.text_after == n.text
    assert amendment.reason == "The visit was on Wednesday, not Tuesday."
    event = CaseEvent.objects.get(case=case, kind="note_amended")
    assert event.actor == lead
    assert event.data == {"note": n.pk, "amendment": amendment.pk}
    logged = json.loads(LogEntry.objects.get(object_id=str(n.pk)).change_message)
    assert logged["before"] == {"text": "Home visit on Tuesday: Mum was upset."}
    assert logged["after"]["reason"] == "The visit was on Wednesday, not Tuesday."
    # The chronology: the current text, amended by whom and why, the original
    # behind a details component; and the amendment in the timeline.
    timeline = text_of(client.get(f"/cases/{case.pk}/"))
    assert "Home visit on Wednesday: Mum was upset." in timeline
    assert (
        f"Amended on {amendment.amended_at:%-d %B %Y} by {lead.display_name}: "
        "The visit was on Wednesday, not Tuesday." in timeline
    )
    assert "See the original note" in timeline
    assert "Home visit on Tuesday: Mum was upset." in timeline
    assert "Note amended" in timeline


def test_an_amendment_needs_a_reason_and_a_changed_text_all_said_at_once(client, note):
    case, n = note
    sign_in_verified(client, case.lead_practitioner)
    url = f"/cases/{case.pk}/notes/{n.pk}/amend/"
    page = client.post(url, {"text": n.text, "reason": " "}).content.decode()
    assert '<a href="#id_text">Change the note&#x27;s text to amend it</a>' in page
    assert '<a href="#id_reason">Enter why you are amending the note</a>' in page
    page = client.post(url, {"text": "", "reason": ""}).content.decode()
    assert "Enter the note as it should read" in page
    assert "Enter why you are amending the note" in page
    n.refresh_from_db()
    assert n.text == "Home visit on Tuesday: Mum was upset."
    assert not NoteAmendment.objects.exists()
    assert not CaseEvent.objects.filter(kind="note_amended").exists()
    with pytest.raises(InvalidInput):
        case_note_amend(
            note_id=n.pk, actor=case.lead_practitioner, text="Changed", reason=""
        )
    assert not NoteAmendment.objects.exists()


def test_the_database_refuses_an_amendment_without_a_reason(note):
    case, n = note
    with pytest.raises(IntegrityError), transaction.atomic():
        NoteAmendment.objects.create(
            note=n,
            text_before="a",
            text_after="b",
            reason="",
            amended_by=case.lead_practitioner,
            amended_at=timezone.now(),
        )


def test_amending_twice_keeps_every_earlier_text(client, note):
    case, n = note
    lead = case.lead_practitioner
    case_note_amend(note_id=n.pk, actor=lead, text="Second version", reason="Typo")
    case_note_amend(note_id=n.pk, actor=lead, text="Third version", reason="Name")
    n.refresh_from_db()
    assert n.text == "Third version"
    assert [a.text_before for a in n.amendments.all()] == [
        "Home visit on Tuesday: Mum was upset.",
        "Second version",
    ]
    sign_in_verified(client, lead)
    timeline = client.get(f"/cases/{case.pk}/").content.decode()
    assert "As first written" in timeline
    assert "Home visit on Tuesday: Mum was upset." in timeline
    assert "Second version" in timeline
    assert CaseEvent.objects.filter(kind="note_amended").count() == 2


def test_a_manager_of_the_locality_may_amend_anyones_note(client, note):
    case, n = note
    manager = UserFactory(role=Role.LOCALITY_MANAGER, localities=["erdington"])
    sign_in_verified(client, manager)
    assert (
        f"/cases/{case.pk}/notes/{n.pk}/amend/"
        in client.get(f"/cases/{case.pk}/").content.decode()
    )
    response = client.post(
        f"/cases/{case.pk}/notes/{n.pk}/amend/",
        {"text": "Corrected", "reason": "Asked by the family"},
    )
    assert response.status_code == 302
    assert NoteAmendment.objects.get().amended_by == manager


@pytest.mark.parametrize(
    "who", ["team_practitioner", "partner", "other_practitioner", "other_manager"]
)
def test_only_the_author_or_a_manager_may_amend_a_note(note, who):
    case, n = note
    client = Client()
    if who == "team_practitioner":
        # On the team, working the case, but not the note's author.
        colleague = UserFactory(role=Role.PRACTITIONER, localities=["erdington"])
        join_team(case, colleague)
        sign_in_verified(client, colleague)
        case_page = client.get(f"/cases/{case.pk}/")
        assert case_page.status_code == 200
        assert "/amend/" not in case_page.content.decode()
    elif who == "partner":
        partner = UserFactory(role=Role.REQUESTER)
        join_team(case, partner)
        sign_in(client, partner)
    elif who == "other_practitioner":
        sign_in_verified(
            client, UserFactory(role=Role.PRACTITIONER, localities=["erdington"])
        )
    else:
        sign_in_verified(
            client, UserFactory(role=Role.LOCALITY_MANAGER, localities=["ladywood"])
        )
    url = f"/cases/{case.pk}/notes/{n.pk}/amend/"
    assert client.get(url).status_code == 404
    assert client.post(url, {"text": "Rewritten", "reason": "Mine"}).status_code == 404
    n.refresh_from_db()
    assert n.text == "Home visit on Tuesday: Mum was upset."
    assert not NoteAmendment.objects.exists()


def test_a_note_of_a_closed_case_may_still_be_corrected(client, note):
    """As notes may still be added after closure: the record must be right."""
    case, n = note
    case.status = "closed"
    case.save(update_fields=["status"])
    sign_in_verified(client, case.lead_practitioner)
    response = client.post(
        f"/cases/{case.pk}/notes/{n.pk}/amend/",
        {"text": "Corrected after closure", "reason": "Wrong day"},
    )
    assert response.status_code == 302
    assert NoteAmendment.objects.count() == 1


def test_a_note_of_another_case_is_not_found(client, note):
    case, n = note
    other = CaseFactory(lead_practitioner=case.lead_practitioner)
    sign_in_verified(client, case.lead_practitioner)
    assert client.get(f"/cases/{other.pk}/notes/{n.pk}/amend/").status_code == 404


def test_the_case_page_query_count_does_not_grow_with_corrections(
    client, note, django_assert_max_num_queries
):
    case, n = note
    lead = case.lead_practitioner
    outcome = plan_outcome_add(
        case_id=case.pk, actor=lead, text="Calm", domain="relationships"
    )
    action = plan_action_add(
        case_id=case.pk,
        actor=lead,
        outcome_id=outcome.pk,
        what="Club",
        owner=lead,
        owner_is_family=False,
        due_on=in_days(5),
        community=False,
    )

    def correct(i: int) -> None:
        case_note_amend(note_id=n.pk, actor=lead, text=f"Version {i}", reason="Typo")
        plan_outcome_edit(
            outcome_id=outcome.pk, actor=lead, text=f"Calm {i}", domain="relationships"
        )
        plan_action_edit(
            action_id=action.pk,
            actor=lead,
            what=f"Club {i}",
            owner=None if i % 2 else lead,
            owner_is_family=bool(i % 2),
            due_on=in_days(5 + i),
            community=False,
            community_service=None,
        )

    sign_in_verified(client, lead)
    correct(1)
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as once:
        client.get(f"/cases/{case.pk}/")
    for i in range(2, 8):
        correct(i)
    with django_assert_max_num_queries(len(once.captured_queries)):
        client.get(f"/cases/{case.pk}/")


def test_an_unchanged_action_edit_at_the_service_says_so(plan):
    case, _outcome, action, partner = plan
    _action, changed = plan_action_edit(
        action_id=action.pk,
        actor=case.lead_practitioner,
        what="Breakfast club place",
        owner=partner,
        owner_is_family=False,
        due_on=in_days(10),
        community=False,
        community_service=None,
    )
    assert not changed
    assert edits(case) == []
    assert PlanAction.objects.get().updated_at == action.updated_at


# --- A service of the community services directory -----------------------------


def _service(name: str, *, locality: str | None = "erdington", active=True):
    return CommunityService.objects.create(
        locality=None if locality is None else Locality.objects.get(slug=locality),
        name=name,
        category="Family support",
        contact="0121 000 0000",
        active=active,
    )


def test_an_action_names_a_service_of_the_directory_when_added(client, plan):
    case, outcome, _action, _partner = plan
    hub = _service("Erdington Family Hub")
    citywide = _service("Citywide Parenting Line", locality=None)
    _service("Ladywood Youth Club", locality="ladywood")
    _service("Closed Club", active=False)
    sign_in_verified(client, case.lead_practitioner)
    page = client.get(f"/cases/{case.pk}/plan/").content.decode()
    assert "Erdington Family Hub" in page and "Citywide Parenting Line" in page
    assert "Ladywood Youth Club" not in page and "Closed Club" not in page
    client.post(
        f"/cases/{case.pk}/plan/",
        {
            "add": "action",
            "outcome": outcome.pk,
            "what": "Parenting group",
            "owner": "family",
            **date_post(in_days(7)),
            "community_service": citywide.pk,
        },
    )
    added = PlanAction.objects.get(what="Parenting group")
    # Naming a service makes it a community action.
    assert added.community_service == citywide and added.community
    assert (
        "Citywide Parenting Line"
        in client.get(f"/cases/{case.pk}/plan/").content.decode()
    )
    assert hub.pk != citywide.pk


def test_an_edit_names_a_service_and_the_timeline_says_which(client, plan):
    case, _outcome, action, partner = plan
    hub = _service("Erdington Family Hub")
    sign_in_verified(client, case.lead_practitioner)
    response = client.post(
        f"/cases/{case.pk}/plan/actions/{action.pk}/",
        {
            "what": "Breakfast club place",
            "owner": partner.pk,
            **date_post(in_days(10)),
            "community_service": hub.pk,
        },
    )
    assert response.status_code == 302
    action.refresh_from_db()
    assert action.community_service == hub and action.community
    (event,) = edits(case)
    assert event.data["changes"] == {
        "community": {"from": False, "to": True},
        "community_service": {"from": None, "to": hub.pk},
    }
    timeline = text_of(client.get(f"/cases/{case.pk}/"))
    assert "Service from the directory: none → Erdington Family Hub" in timeline


def test_a_service_outside_the_familys_area_is_refused(client, plan):
    case, _outcome, action, partner = plan
    elsewhere = _service("Ladywood Youth Club", locality="ladywood")
    closed = _service("Closed Club", active=False)
    sign_in_verified(client, case.lead_practitioner)
    before = action_state(action)
    for service in (elsewhere, closed):
        page = html.unescape(
            client.post(
                f"/cases/{case.pk}/plan/actions/{action.pk}/",
                {
                    "what": "Breakfast club place",
                    "owner": partner.pk,
                    **date_post(in_days(10)),
                    "community_service": service.pk,
                },
            ).content.decode()
        )
        assert (
            '<a href="#id_community_service">Choose a service from the directory '
            "for the family's area</a>" in page
        )
        with pytest.raises(InvalidInput):
            plan_action_edit(
                action_id=action.pk,
                actor=case.lead_practitioner,
                what="Breakfast club place",
                owner=partner,
                owner_is_family=False,
                due_on=in_days(10),
                community=False,
                community_service=service,
            )
    assert action_state(action) == before
    action.refresh_from_db()
    assert action.community_service is None
    assert edits(case) == []


def test_an_action_keeps_a_service_since_closed(client, plan):
    case, _outcome, action, partner = plan
    hub = _service("Erdington Family Hub")
    plan_action_edit(
        action_id=action.pk,
        actor=case.lead_practitioner,
        what="Breakfast club place",
        owner=partner,
        owner_is_family=False,
        due_on=in_days(10),
        community=True,
        community_service=hub,
    )
    hub.active = False
    hub.save(update_fields=["active"])
    sign_in_verified(client, case.lead_practitioner)
    page = client.get(f"/cases/{case.pk}/plan/actions/{action.pk}/").content.decode()
    assert "Erdington Family Hub (no longer in the directory)" in page
    response = client.post(
        f"/cases/{case.pk}/plan/actions/{action.pk}/",
        {
            "what": "Breakfast club, Mondays",
            "owner": partner.pk,
            **date_post(in_days(10)),
            "community": "on",
            "community_service": hub.pk,
        },
    )
    assert response.status_code == 302
    action.refresh_from_db()
    assert action.what == "Breakfast club, Mondays" and action.community_service == hub


def test_the_database_refuses_a_named_service_on_a_non_community_action(plan):
    _case, _outcome, action, _partner = plan
    hub = _service("Erdington Family Hub")
    with pytest.raises(IntegrityError), transaction.atomic():
        PlanAction.objects.filter(pk=action.pk).update(
            community_service=hub, community=False
        )
