"""History as it happened (IMPORT.md): every valid line imports, whatever the
rules of live practice would say of it, and ``--dry-run`` reports exactly what
the real import does."""

from __future__ import annotations

import copy

import pytest

from casework.models import Assessment, Case, CaseClosure, Review, SocialCareReferral
from casework.services.closure import ClosureInput, case_close
from core.errors import InvalidInput
from core.history import HISTORY, LIVE, Rule
from tests.factories import CaseFactory, UserFactory
from tests.records_import.test_import_records import counts, run, signposted, write
from tests.records_import.test_import_validate import good

pytestmark = pytest.mark.django_db


def episode(n: int) -> dict:
    """``good()`` with its own ids."""
    data = copy.deepcopy(good())
    data["external_id"] = f"EP-H{n}"
    data["household"]["external_id"] = f"HH-H{n}"
    ids = {}
    for i, member in enumerate(data["household"]["members"]):
        ids[member["external_id"]] = f"P-H{n}-{i}"
        member["external_id"] = ids[member["external_id"]]
    case = data["case"]
    case["assessment"]["person_scores"] = {
        ids[k]: v for k, v in case["assessment"]["person_scores"].items()
    }
    for step_up in case["step_ups"]:
        step_up["person"] = ids[step_up["person"]]
    closure = case["closure"]
    closure["person_scores"] = {ids[k]: v for k, v in closure["person_scores"].items()}
    closure["children"] = {ids[k]: v for k, v in closure["children"].items()}
    for referral in data["social_care_referrals"]:
        referral["person"] = ids[referral["person"]]
    return data


def closed_without_assessment(n: int) -> dict:
    data = episode(n)
    data["case"]["assessment"] = None
    return data


def without_reviews(n: int) -> dict:
    data = episode(n)
    data["case"]["reviews"] = []
    return data


def stepped_up_after_a_review(n: int) -> dict:
    data = episode(n)
    data["case"]["step_ups"][0]["referred_at"] = "2024-07-20T10:00:00+01:00"
    return data


def person_joining_mid_case(n: int) -> dict:
    """A baby born after the case opened, in the episode's household."""
    data = episode(n)
    data["household"]["members"].append(
        {
            "external_id": f"P-H{n}-baby",
            "role": "child",
            "given_name": "Bilal",
            "family_name": "Khan",
            "date_of_birth": "2024-06-20",
        }
    )
    data["case"]["closure"]["children"][f"P-H{n}-baby"] = {
        "happy": "not_asked",
        "healthy": "not_asked",
        "safe": "not_asked",
    }
    return data


def test_each_kind_of_historic_oddity_imports(tmp_path):
    path = write(
        tmp_path,
        [
            closed_without_assessment(1),
            without_reviews(2),
            stepped_up_after_a_review(3),
            person_joining_mid_case(4),
        ],
    )
    dry_code, dry_out, _ = run(path, "--dry-run")
    code, out, err = run(path)
    assert (code, err) == (0, ""), (out, err)
    assert "imported 4" in out and "rejected 0" in out
    assert dry_code == 0 and "imported 4" in dry_out and "rejected 0" in dry_out
    assert Case.objects.count() == 4
    # Born after the case opened, and on it.
    fourth = Case.objects.get(forms__imported_episode__external_id="EP-H4")
    assert "Bilal" in {p.given_name for p in fourth.people.all()}
    # Closed with outcomes met, as the old system recorded, with no baseline.
    first = Case.objects.get(forms__imported_episode__external_id="EP-H1")
    assert not Assessment.objects.filter(case=first).exists()
    assert CaseClosure.objects.get(case=first).reason == "outcomes_met"
    second = Case.objects.get(forms__imported_episode__external_id="EP-H2")
    assert not Review.objects.filter(case=second).exists()
    third = Case.objects.get(forms__imported_episode__external_id="EP-H3")
    review = Review.objects.get(case=third)
    referral = SocialCareReferral.objects.get(case=third)
    assert review.held_at < referral.referred_at


def test_live_practice_still_needs_the_baseline_before_outcomes_met():
    case = CaseFactory()
    data = ClosureInput(reason="outcomes_met", wheel={}, person_scores={})
    with pytest.raises(InvalidInput, match="only after its Early Help Assessment"):
        case_close(case_id=case.pk, actor=case.lead_practitioner, data=data)
    assert not CaseClosure.objects.exists()


def test_history_is_held_to_none_of_the_rules_of_live_practice_and_live_to_all():
    assert all(LIVE.holds(rule) for rule in Rule)
    assert not any(HISTORY.holds(rule) for rule in Rule)
    assert Rule.BASELINE_BEFORE_OUTCOMES_MET in set(Rule)


def test_a_person_acting_is_held_to_the_access_rules_whatever_the_clock():
    """The clock replaying a moment no longer lets anything through: a
    manager of another locality cannot decide a form, even inside it."""
    import datetime as dt

    from core import clock
    from core.errors import NotAllowed
    from tests.factories import FormFactory
    from tests.scorecard.helpers import loc
    from triage.services.decisions import form_no_further_action

    form = FormFactory(locality=loc("erdington"))
    other = UserFactory(role="locality_manager", localities=["ladywood"])
    with (
        clock.replaying_at(dt.datetime(2024, 5, 1, tzinfo=dt.UTC)),
        pytest.raises(NotAllowed),
    ):
        form_no_further_action(form_id=form.pk, actor=other, reason="Not ours")


def test_dry_run_reports_what_the_real_import_does(tmp_path):
    """Valid lines, a line invalid to the schema, and a line valid to the
    schema that a service refuses: the dry run's report and rejected lines are
    the real run's, and the dry run writes nothing."""
    bad_schema = signposted(7)
    bad_schema["household"]["postcode"] = "NOPE"
    refused = episode(8)
    # Allocated to a form without the family's consent: the schema allows
    # the combination, the allocation service refuses it.
    refused["request"]["consent"] = False
    lines = [
        episode(1),
        closed_without_assessment(2),
        bad_schema,
        refused,
        signposted(9),
    ]
    path = write(tmp_path, lines)
    before = counts()
    dry_code, dry_out, dry_err = run(path, "--dry-run")
    assert counts() == before
    code, out, err = run(path)
    assert dry_err == err and "line 3: household.postcode" in err
    assert "line 4: " in err
    assert dry_code == code
    summary = out.split(" in ")[0]
    assert dry_out.startswith(f"dry run: {summary}; nothing was written")
    assert "imported 3" in summary and "rejected 2" in summary
    # A second dry run now reports them unchanged, as a second import would.
    _code, again, _err = run(path, "--dry-run")
    assert "imported 0, updated 0, unchanged 3, rejected 2" in again
