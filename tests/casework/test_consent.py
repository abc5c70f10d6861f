"""Consent per person: carried from the Family Connect Form on allocation,
recorded and withdrawn on the case (never edited), a manager's override with
a reason; a withdrawal of consent to share information closes partners'
access at once, through the cases' one choke point."""

from __future__ import annotations

import datetime as dt
import json
from typing import Any

import pytest
from django.contrib.admin.models import LogEntry
from django.contrib.contenttypes.models import ContentType
from django.utils import timezone

from accounts.roles import Role
from casework.access import case_get_for_user, case_queryset_for_user
from casework.consent_rules import age_on, givers_allowed
from casework.models import (
    Case,
    CaseEvent,
    ConsentOverride,
    ConsentWithdrawal,
    PersonConsent,
)
from casework.services.consent import (
    consent_override_record,
    consent_record,
    consent_withdraw,
)
from core.errors import InvalidInput, NotAllowed
from core.periods import local_date
from tests.factories import (
    CaseFactory,
    FormFactory,
    PersonFactory,
    UserFactory,
    join_team,
)
from tests.helpers import sign_in_as
from triage.services.decisions import form_allocate

pytestmark = pytest.mark.django_db

SHARING = "information_sharing"
EARLY_HELP = "early_help"


def today() -> dt.date:
    return local_date(timezone.now())


def born_years_ago(years: int, days: int = 30) -> dt.date:
    """A birthday ``years`` years (and ``days`` days) before today."""
    t = today()
    return dt.date(t.year - years, t.month, 1) - dt.timedelta(days=days)


def counts() -> dict[str, int]:
    return {
        "consents": PersonConsent.objects.count(),
        "withdrawals": ConsentWithdrawal.objects.count(),
        "overrides": ConsentOverride.objects.count(),
        "events": CaseEvent.objects.count(),
        "log": LogEntry.objects.count(),
    }


@pytest.fixture
def scene():
    manager = UserFactory(role=Role.LOCALITY_MANAGER, localities=["erdington"])
    case = CaseFactory()
    child = PersonFactory(
        family=case.family, given_name="Ayesha", date_of_birth=born_years_ago(8)
    )
    young = PersonFactory(
        family=case.family, given_name="Zain", date_of_birth=born_years_ago(15)
    )
    mother = PersonFactory(
        family=case.family,
        role="adult",
        given_name="Sara",
        relationship="mother",
        date_of_birth=born_years_ago(38),
    )
    partner = UserFactory(role=Role.REQUESTER)
    join_team(case, partner)
    return {
        "case": case,
        "lead": case.lead_practitioner,
        "manager": manager,
        "partner": partner,
        "child": child,
        "young": young,
        "mother": mother,
    }


def record(scene, person, **overrides):
    kwargs = {
        "case_id": scene["case"].pk,
        "actor": scene["lead"],
        "person_id": person.pk,
        "purposes": [EARLY_HELP, SHARING],
        "agencies": "School, health visitor",
        "given_by": "parent_carer",
        "given_by_name": "Sara Khan (mother)",
        "given_on": today(),
    }
    kwargs.update(overrides)
    return consent_record(**kwargs)


def withdraw(scene, consent, **overrides):
    kwargs = {
        "case_id": scene["case"].pk,
        "actor": scene["lead"],
        "consent_id": consent.pk,
        "withdrawn_by": "parent_carer",
        "withdrawn_by_name": "Sara Khan (mother)",
        "withdrawn_on": today(),
        "details": "Does not want the school told any more.",
    }
    kwargs.update(overrides)
    return consent_withdraw(**kwargs)


# --- Who may give consent, by age (pure) ------------------------------------------


def test_who_may_give_consent_by_age():
    day = dt.date(2026, 6, 1)
    assert age_on(dt.date(2013, 6, 2), day) == 12
    assert age_on(dt.date(2013, 6, 1), day) == 13
    assert givers_allowed(dt.date(2013, 6, 2), day) == {"parent_carer"}
    assert givers_allowed(dt.date(2013, 6, 1), day) == {
        "parent_carer",
        "competent_young_person",
    }
    assert givers_allowed(dt.date(2008, 6, 1), day) == {"self"}
    assert givers_allowed(dt.date(2027, 1, 1), day) == {"parent_carer"}  # unborn
    assert givers_allowed(None, day) == {
        "self",
        "parent_carer",
        "competent_young_person",
    }


# --- Carried from the form on allocation -----------------------------------------


def _allocated_form(given_by: str):
    manager: Any = UserFactory(role=Role.LOCALITY_MANAGER, localities=["erdington"])
    lead: Any = UserFactory(role=Role.PRACTITIONER, localities=["erdington"])
    agreed_at = timezone.now() - dt.timedelta(days=3)
    form: Any = FormFactory(consent_given_by=given_by, consent_recorded_at=agreed_at)
    for position, (role, given, born, relationship) in enumerate(
        [
            ("child", "Ayesha", born_years_ago(8), ""),
            ("child", "Zain", born_years_ago(15), ""),
            ("adult", "Sara", born_years_ago(38), "mother"),
            ("adult", "Imran", born_years_ago(40), "father"),
        ]
    ):
        form.members.create(
            position=position,
            role=role,
            given_name=given,
            family_name="Khan",
            date_of_birth=born,
            relationship=relationship,
        )
    form_allocate(
        form_id=form.pk, actor=manager, lead_practitioner=lead, reason="Allocated."
    )
    form.refresh_from_db()
    return form, manager, local_date(agreed_at)


def test_allocation_carries_the_forms_consent_to_each_person_it_names():
    form, manager, agreed_on = _allocated_form("Sara Khan (mother)")
    case = Case.objects.get(forms=form)
    given = {
        (c.person.given_name, c.purpose): c.given_by
        for c in case.consents.select_related("person")
    }
    assert given == {
        ("Ayesha", EARLY_HELP): "parent_carer",
        ("Ayesha", SHARING): "parent_carer",
        ("Zain", EARLY_HELP): "parent_carer",
        ("Zain", SHARING): "parent_carer",
        # The mother agreed herself; the father's own consent is not on the
        # form (it is his to give, recorded on the case).
        ("Sara", EARLY_HELP): "self",
        ("Sara", SHARING): "self",
    }
    for consent in case.consents.all():
        assert consent.given_on == agreed_on
        assert consent.given_by_name == "Sara Khan (mother)"
        assert consent.form_id == form.pk
        assert consent.recorded_by_id == manager.pk
    (event,) = case.events.filter(kind="consent_recorded")
    assert event.data["form"] == form.reference
    assert sorted(event.data["consents"]) == sorted(
        case.consents.values_list("pk", flat=True)
    )
    logged = LogEntry.objects.filter(
        content_type=ContentType.objects.get_for_model(PersonConsent)
    )
    assert sorted(int(e.object_id) for e in logged) == sorted(
        case.consents.values_list("pk", flat=True)
    )
    assert json.loads(logged.first().change_message)["before"] is None


def test_a_young_person_who_agreed_themself_is_carried_as_competent():
    form, _manager, _on = _allocated_form("Zain Khan")
    case = Case.objects.get(forms=form)
    by_person = {
        c.person.given_name: c.given_by
        for c in case.consents.select_related("person").filter(purpose=SHARING)
    }
    assert by_person == {"Ayesha": "parent_carer", "Zain": "competent_young_person"}


# --- Recording consent on the case ------------------------------------------------


def test_a_parent_gives_consent_for_a_child_under_13(scene):
    created = record(scene, scene["child"])
    assert [(c.purpose, c.given_by) for c in created] == [
        (EARLY_HELP, "parent_carer"),
        (SHARING, "parent_carer"),
    ]
    assert created[1].agencies == "School, health visitor"
    assert created[0].agencies == ""
    event = scene["case"].events.get(kind="consent_recorded")
    assert event.data == {"consents": [c.pk for c in created]}
    assert event.actor == scene["lead"]
    assert LogEntry.objects.filter(
        content_type=ContentType.objects.get_for_model(PersonConsent)
    ).count() == len(created)


def test_a_child_under_13_cannot_consent_themself_and_nothing_is_written(scene):
    before = counts()
    for giver in ("self", "competent_young_person"):
        with pytest.raises(InvalidInput) as refused:
            record(scene, scene["child"], given_by=giver, given_by_name="")
        assert refused.value.problems == (
            (
                "given_by",
                "Ayesha Khan is under 13, so a parent or carer must give consent "
                "for them",
            ),
        )
    assert counts() == before


def test_a_competent_young_person_consents_for_themself(scene):
    (consent,) = record(
        scene,
        scene["young"],
        purposes=[SHARING],
        given_by="competent_young_person",
        given_by_name="",
    )
    assert consent.given_by == "competent_young_person"
    # Not "the person themself" under 18, and never for an adult.
    with pytest.raises(InvalidInput, match="choose a competent young person"):
        record(scene, scene["young"], given_by="self")
    with pytest.raises(InvalidInput, match="Sara Khan is an adult"):
        record(scene, scene["mother"], given_by="competent_young_person")
    with pytest.raises(InvalidInput, match="Sara Khan is an adult"):
        record(scene, scene["mother"], given_by="parent_carer")


def test_every_problem_with_a_consent_is_listed_at_once(scene):
    before = counts()
    with pytest.raises(InvalidInput) as refused:
        consent_record(
            case_id=scene["case"].pk,
            actor=scene["lead"],
            person_id=None,
            purposes=[SHARING],
            agencies=" ",
            given_by="parent_carer",
            given_by_name="",
            given_on=today() + dt.timedelta(days=1),
        )
    assert dict(refused.value.problems) == {
        "person": "Select whose consent this is",
        "agencies": "Enter the agencies information may be shared with",
        "given_by_name": "Enter the name of the parent or carer",
        "given_on": "The date consent was given must be today or in the past",
    }
    assert counts() == before


def test_someone_not_on_the_case_cannot_be_given_consent_for(scene):
    stranger = PersonFactory(given_name="Nobody")
    with pytest.raises(InvalidInput, match="Select whose consent this is"):
        record(scene, stranger)


# --- Withdrawal ------------------------------------------------------------------


def test_a_withdrawal_is_a_new_record_and_the_consent_is_kept(scene):
    _help, sharing = record(scene, scene["child"])
    withdrawal = withdraw(scene, sharing)
    sharing.refresh_from_db()
    assert sharing.withdrawal == withdrawal
    assert (withdrawal.withdrawn_by, withdrawal.withdrawn_on) == (
        "parent_carer",
        today(),
    )
    assert sharing.given_by == "parent_carer"  # as it was given
    event = scene["case"].events.get(kind="consent_withdrawn")
    assert event.data == {"consent": sharing.pk, "withdrawal": withdrawal.pk}
    assert LogEntry.objects.filter(
        content_type=ContentType.objects.get_for_model(ConsentWithdrawal),
        object_id=str(withdrawal.pk),
    ).exists()
    # Never edited or deleted in place.
    with pytest.raises(PermissionError):
        sharing.save()
    with pytest.raises(PermissionError):
        withdrawal.delete()
    # Withdrawn once only.
    before = counts()
    with pytest.raises(InvalidInput, match="Select the consent that was withdrawn"):
        withdraw(scene, sharing)
    assert counts() == before


def test_a_withdrawal_is_refused_by_someone_the_age_does_not_allow_or_too_early(
    scene,
):
    _help, sharing = record(scene, scene["child"], given_on=today())
    before = counts()
    with pytest.raises(InvalidInput) as refused:
        withdraw(
            scene,
            sharing,
            withdrawn_by="self",
            withdrawn_on=today() - dt.timedelta(days=1),
        )
    assert dict(refused.value.problems) == {
        "withdrawn_by": "Ayesha Khan is under 13, so a parent or carer must "
        "withdraw consent for them",
        "withdrawn_on": "The date consent was withdrawn must be on or after the "
        "day it was given",
    }
    assert counts() == before


# --- Access: partners lose the case at once; a manager's override ----------------


def _partner_sees(scene) -> bool:
    partner, case = scene["partner"], scene["case"]
    in_list = case_queryset_for_user(partner).filter(pk=case.pk).exists()
    assert in_list == (case_get_for_user(partner, case.pk) is not None)
    return in_list


def test_withdrawing_sharing_closes_partners_access_and_an_override_restores_it(
    scene,
):
    case = scene["case"]
    early_help, sharing = record(scene, scene["child"])
    assert _partner_sees(scene)
    withdraw(scene, early_help)
    assert _partner_sees(scene)  # the request, not sharing: partners keep it
    withdrawal = withdraw(scene, sharing)
    assert not _partner_sees(scene)
    # The early help workers keep the case.
    assert case_get_for_user(scene["lead"], case.pk) is not None
    assert case_get_for_user(scene["manager"], case.pk) is not None
    consent_override_record(
        case_id=case.pk,
        actor=scene["manager"],
        withdrawal_id=withdrawal.pk,
        reason="Child protection enquiry: the school must stay in the plan.",
    )
    assert _partner_sees(scene)
    event = case.events.get(kind="consent_overridden")
    assert event.data["withdrawal"] == withdrawal.pk
    # A second withdrawal, of someone else's sharing, closes it again.
    (young_sharing,) = record(
        scene,
        scene["young"],
        purposes=[SHARING],
        given_by="competent_young_person",
        given_by_name="",
    )
    withdraw(
        scene,
        young_sharing,
        withdrawn_by="competent_young_person",
        withdrawn_by_name="",
    )
    assert not _partner_sees(scene)


def test_consent_given_again_after_a_withdrawal_reopens_partners_access(scene):
    _help, sharing = record(scene, scene["child"])
    withdraw(scene, sharing)
    assert not _partner_sees(scene)
    record(scene, scene["child"], purposes=[SHARING])
    assert _partner_sees(scene)
    sharing.refresh_from_db()
    assert sharing.withdrawal is not None  # the history stays


def test_an_override_needs_a_reason_and_a_withdrawal_in_force(scene):
    case = scene["case"]
    _help, sharing = record(scene, scene["child"])
    with pytest.raises(NotAllowed, match="nothing to override"):
        consent_override_record(
            case_id=case.pk, actor=scene["manager"], withdrawal_id=None, reason="x"
        )
    withdrawal = withdraw(scene, sharing)
    before = counts()
    with pytest.raises(InvalidInput) as refused:
        consent_override_record(
            case_id=case.pk,
            actor=scene["manager"],
            withdrawal_id=withdrawal.pk,
            reason="   ",
        )
    assert refused.value.problems == (
        ("reason", "Enter the safeguarding reason partners must keep access"),
    )
    assert counts() == before
    assert not _partner_sees(scene)


def test_the_partners_api_list_and_case_answer_follow_the_withdrawal(client, scene):
    case = scene["case"]
    _help, sharing = record(scene, scene["child"])
    sign_in_as(client, scene["partner"])

    def listed() -> set[int]:
        body = client.get("/api/v1/cases/").json()
        rows = body["results"] if isinstance(body, dict) else body
        return {row["id"] for row in rows}

    assert listed() == {case.pk}
    assert client.get(f"/cases/{case.pk}/").status_code == 200
    withdraw(scene, sharing)
    assert listed() == set()
    for url in (
        f"/cases/{case.pk}/",
        f"/cases/{case.pk}/plan/",
        f"/api/v1/cases/{case.pk}/",
    ):
        assert client.get(url).status_code == 404, url


# --- Pages -----------------------------------------------------------------------


def test_the_lead_records_consent_and_a_withdrawal_on_the_case_pages(client, scene):
    case, child = scene["case"], scene["child"]
    sign_in_as(client, scene["lead"])
    page = client.get(f"/cases/{case.pk}/consent/?person={child.pk}")
    assert page.status_code == 200
    t = today()
    response = client.post(
        f"/cases/{case.pk}/consent/",
        {
            "person": str(child.pk),
            "purposes": [EARLY_HELP, SHARING],
            "agencies": "School",
            "given_by": "parent_carer",
            "given_by_name": "Sara Khan",
            "given_on_0": str(t.day),
            "given_on_1": str(t.month),
            "given_on_2": str(t.year),
        },
    )
    assert response.status_code == 302
    assert response["Location"] == f"/cases/{case.pk}/#consent"
    sharing = PersonConsent.objects.get(person=child, purpose=SHARING)
    body = client.get(f"/cases/{case.pk}/").content.decode()
    assert 'id="consent"' in body
    assert "Given by a parent or carer, Sara Khan, on" in body
    assert f"/cases/{case.pk}/consent/withdraw/?consent={sharing.pk}" in body
    response = client.post(
        f"/cases/{case.pk}/consent/withdraw/",
        {
            "consent": str(sharing.pk),
            "withdrawn_by": "parent_carer",
            "withdrawn_by_name": "Sara Khan",
            "withdrawn_on_0": str(t.day),
            "withdrawn_on_1": str(t.month),
            "withdrawn_on_2": str(t.year),
            "details": "No more sharing with the school.",
        },
    )
    assert response.status_code == 302
    body = client.get(f"/cases/{case.pk}/").content.decode()
    assert 'data-testid="sharing-withdrawn"' in body
    assert "Withdrawn by a parent or carer, Sara Khan, on" in body
    # The lead cannot override: that is a manager's decision.
    assert 'data-testid="override-link"' not in body
    assert client.get(f"/cases/{case.pk}/consent/override/").status_code == 404
    # The timeline says what happened.
    assert "Consent withdrawn" in body
    assert (
        "Ayesha Khan: sharing information with named agencies, withdrawn by a "
        "parent or carer, Sara Khan" in body
    )


def test_a_refused_consent_lists_every_problem_and_changes_nothing(client, scene):
    case = scene["case"]
    sign_in_as(client, scene["lead"])
    before = counts()
    response = client.post(
        f"/cases/{case.pk}/consent/",
        {"person": str(scene["child"].pk), "given_by": "self", "purposes": [SHARING]},
    )
    assert response.status_code == 200
    body = response.content.decode()
    assert "<title>Error:" in body
    for message in (
        "Enter the agencies information may be shared with",
        "Ayesha Khan is under 13, so a parent or carer must give consent for them",
        "Enter the date consent was given",
    ):
        assert message in body
    assert counts() == before


def test_a_manager_overrides_and_the_officer_sees_it_on_the_anomalies_page(
    client, scene
):
    case = scene["case"]
    _help, sharing = record(scene, scene["child"])
    withdrawal = withdraw(scene, sharing)
    sign_in_as(client, scene["manager"])
    body = client.get(f"/cases/{case.pk}/").content.decode()
    assert 'data-testid="override-link"' in body
    assert client.get(f"/cases/{case.pk}/consent/override/").status_code == 200
    response = client.post(
        f"/cases/{case.pk}/consent/override/",
        {"withdrawal": str(withdrawal.pk), "reason": ""},
    )
    assert "Enter the safeguarding reason partners must keep access" in (
        response.content.decode()
    )
    assert not ConsentOverride.objects.exists()
    reason = "Section 47 enquiry: the school must stay in the plan."
    response = client.post(
        f"/cases/{case.pk}/consent/override/",
        {"withdrawal": str(withdrawal.pk), "reason": reason},
    )
    assert response.status_code == 302
    assert _partner_sees(scene)

    client.logout()
    officer = UserFactory(role=Role.DATA_PROTECTION, organisation=None)
    sign_in_as(client, officer)
    page = client.get("/privacy/anomalies/").content.decode()
    assert 'data-testid="consent-overrides"' in page
    assert reason in page
    assert f"Case {case.pk}" in page
    assert scene["manager"].email in page
    # Last month's page lists none.
    last = client.get(
        "/privacy/anomalies/",
        {"month": f"{(today().replace(day=1) - dt.timedelta(days=1)):%Y-%m}"},
    ).content.decode()
    assert reason not in last and 'data-testid="no-overrides"' in last


def test_a_practitioner_on_the_team_who_is_not_the_lead_cannot_record_consent(
    client, scene
):
    case = scene["case"]
    worker = UserFactory(role=Role.PRACTITIONER, localities=["erdington"])
    join_team(case, worker)
    sign_in_as(client, worker)
    assert client.get(f"/cases/{case.pk}/").status_code == 200
    for url in ("consent/", "consent/withdraw/", "consent/override/"):
        assert client.get(f"/cases/{case.pk}/{url}").status_code == 404
    before = counts()
    client.post(
        f"/cases/{case.pk}/consent/",
        {"person": str(scene["child"].pk), "purposes": [EARLY_HELP]},
    )
    assert counts() == before


def test_the_case_page_reads_consent_in_a_fixed_number_of_queries(client, scene):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    case = scene["case"]
    sign_in_as(client, scene["manager"])

    def queries() -> int:
        with CaptureQueriesContext(connection) as ctx:
            assert client.get(f"/cases/{case.pk}/").status_code == 200
        return len(ctx.captured_queries)

    record(scene, scene["child"])
    few = queries()
    for given in ("Bilal", "Hana", "Omar", "Yusuf"):
        person = PersonFactory(
            family=case.family, given_name=given, date_of_birth=born_years_ago(9)
        )
        _help, sharing = record(scene, person)
        withdraw(scene, sharing)
    # With withdrawals the page offers the manager the override (one question
    # more: may they?), whatever their number.
    many = queries()
    assert few <= many <= few + 1
    assert many <= 20
    withdrawal = ConsentWithdrawal.objects.filter(consent__case=case).first()
    consent_override_record(
        case_id=case.pk, actor=scene["manager"], withdrawal_id=withdrawal.pk, reason="r"
    )
    assert queries() == many


def test_a_persons_consent_is_in_their_subject_access_export(scene):
    from privacy.selectors import subject_access_export

    _help, sharing = record(scene, scene["child"])
    withdraw(scene, sharing)
    (case,) = subject_access_export(scene["child"])["cases"]
    assert [
        (c["purpose"], c["given_by"], c["withdrawal"] and c["withdrawal"]["details"])
        for c in case["consent"]
    ] == [
        ("The request for early help", "A parent or carer", None),
        (
            "Sharing information with named agencies",
            "A parent or carer",
            "Does not want the school told any more.",
        ),
    ]
    # Another person's consent is not theirs.
    (mothers_case,) = subject_access_export(scene["mother"])["cases"]
    assert mothers_case["consent"] == []
