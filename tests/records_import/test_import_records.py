"""``import_records``: streaming, per-line transactions, idempotent by
external_id, services for every step, a report for every rejected line,
``--strict`` and ``--dry-run`` (IMPORT.md)."""

from __future__ import annotations

import copy
import datetime as dt
import json
from io import StringIO

import pytest
from django.core.management import call_command

from accounts.models import User
from audits.models import CaseAudit
from casework.models import (
    Assessment,
    Case,
    CaseClosure,
    CaseEvent,
    ImportedEpisode,
    Review,
    SocialCareReferral,
)
from core.models import Notification
from families.models import Family, Person
from family_connect.models import FamilyConnectForm, FormDecision, FormEvent
from tests.records_import.test_import_validate import good

pytestmark = pytest.mark.django_db

MODELS = [
    FamilyConnectForm,
    FormDecision,
    FormEvent,
    Case,
    CaseEvent,
    Assessment,
    Review,
    CaseClosure,
    SocialCareReferral,
    Family,
    Person,
    User,
    ImportedEpisode,
    CaseAudit,
]


def counts() -> dict[str, int]:
    return {m.__name__: m._default_manager.count() for m in MODELS}


def signposted(n: int) -> dict:
    data = good()
    data["external_id"] = f"EP-S{n}"
    data["household"]["external_id"] = f"HH-S{n}"
    for i, m in enumerate(data["household"]["members"]):
        m["external_id"] = f"P-S{n}-{i}"
    data["request"]["decision"]["outcome"] = "signposted"
    del data["request"]["transfers"]
    del data["case"]
    del data["audits"]
    data["social_care_referrals"][0]["person"] = f"P-S{n}-0"
    return data


def undecided(n: int) -> dict:
    data = signposted(n)
    data["external_id"] = f"EP-U{n}"
    del data["request"]["decision"]
    del data["request"]["requester_feedback"]
    return data


def write(tmp_path, episodes, name="records.jsonl"):
    path = tmp_path / name
    path.write_text(
        "".join((e if isinstance(e, str) else json.dumps(e)) + "\n" for e in episodes)
    )
    return path


def run(path, *args) -> tuple[int, str, str]:
    out, err = StringIO(), StringIO()
    try:
        call_command("import_records", str(path), *args, stdout=out, stderr=err)
        code = 0
    except SystemExit as exc:
        code = int(exc.code or 0)
    return code, out.getvalue(), err.getvalue()


def test_an_episode_is_replayed_with_the_files_moments(tmp_path):
    path = write(tmp_path, [good(), signposted(1), undecided(2)])
    code, out, err = run(path)
    assert (code, err) == (0, ""), out
    assert "read 3, imported 3, updated 0, unchanged 0, rejected 0" in out
    assert "manager@example.org" in out and "worker@example.org" in out

    form = ImportedEpisode.objects.get(external_id="EP-000001").form
    utc = dt.UTC
    assert form.received_at == dt.datetime(2024, 5, 2, 9, 15, tzinfo=utc)
    assert form.status == "allocated" and form.locality.slug == "yardley"
    assert form.organisation.name == "Example Primary School"
    assert form.transfers.get().at == dt.datetime(2024, 5, 3, 9, 0, tzinfo=utc)
    assert form.decision.decided_at == dt.datetime(2024, 5, 6, 10, 0, tzinfo=utc)
    assert form.feedback.score == 4
    case = form.case
    assert case.opened_at == dt.datetime(2024, 5, 6, 10, 0, tzinfo=utc)
    assert case.status == "closed"
    assert case.closed_at == dt.datetime(2024, 9, 1, 9, 0, tzinfo=utc)
    assert case.lead_practitioner.email == "worker@example.org"
    assert not case.lead_practitioner.is_active
    assert not case.lead_practitioner.has_usable_password()
    assessment = Assessment.objects.get(case=case)
    assert assessment.completed_at == dt.datetime(2024, 5, 30, 9, 0, tzinfo=utc)
    assert assessment.scaling == 3 and assessment.relationships == 5
    review = Review.objects.get(case=case)
    assert review.held_at == dt.datetime(2024, 7, 10, 9, 0, tzinfo=utc)
    assert review.relationships is None and review.scaling == 5
    closure = CaseClosure.objects.get(case=case)
    assert closure.reason == "outcomes_met" and closure.family_feedback_score == 5
    step_up = SocialCareReferral.objects.get(case=case)
    assert step_up.outcome == "nfa_returned_to_early_help"
    assert step_up.person.external_id == "P-000001"
    assert SocialCareReferral.objects.filter(source="external").count() == 3
    # Events carry the file's moments; history sends no e-mail.
    assert CaseEvent.objects.filter(
        case=case, kind="assessment_completed"
    ).get().at == (assessment.completed_at)
    assert not Notification.objects.exists()
    # The audit history arrives finalised, without a round, and counts in reports.
    audit = CaseAudit.objects.get(case=case)
    assert (audit.status, audit.round, audit.final_grade_id) == (
        "finalised",
        None,
        audit.grade_id,
    )
    assert audit.auditor.role == "auditor" and not audit.auditor.is_active
    assert audit.locality == case.locality
    undecided_form = ImportedEpisode.objects.get(external_id="EP-U2").form
    assert undecided_form.status == "submitted"


def test_importing_twice_changes_nothing_and_a_changed_line_updates_only_it(tmp_path):
    episodes = [good(), signposted(1), undecided(2)]
    path = write(tmp_path, episodes)
    run(path)
    before = counts()
    reference = ImportedEpisode.objects.get(external_id="EP-000001").form.reference
    other = ImportedEpisode.objects.get(external_id="EP-S1").form_id

    code, out, _ = run(path)
    assert code == 0 and "imported 0, updated 0, unchanged 3, rejected 0" in out
    assert counts() == before

    changed = copy.deepcopy(episodes)
    changed[0]["case"]["closure"]["reason"] = "moved_away"
    code, out, _ = run(write(tmp_path, changed, "changed.jsonl"))
    assert code == 0 and "imported 0, updated 1, unchanged 2" in out
    assert counts() == before
    form = ImportedEpisode.objects.get(external_id="EP-000001").form
    assert form.reference == reference
    assert CaseClosure.objects.get(case=form.case).reason == "moved_away"
    assert ImportedEpisode.objects.get(external_id="EP-S1").form_id == other


def test_bad_lines_are_reported_and_the_others_import(tmp_path):
    bad_dob = undecided(3)
    bad_dob["household"]["members"][0]["date_of_birth"] = "2999-01-01"
    no_case = good()
    no_case["external_id"] = "EP-NOCASE"
    del no_case["case"]
    del no_case["audits"]
    path = write(
        tmp_path,
        [signposted(1), bad_dob, "{not json", no_case, undecided(2), "[" * 5000],
    )
    code, out, err = run(path)
    assert code == 1
    assert "read 6, imported 2, updated 0, unchanged 0, rejected 4" in out
    lines = err.splitlines()
    assert any(
        line.startswith(
            "line 2: household.members[0].date_of_birth: 2999-01-01 is in the future"
        )
        for line in lines
    ), err
    assert any(line.startswith("line 3: not valid JSON") for line in lines), err
    assert "line 4: case: an allocated decision needs its case" in lines
    assert "line 6: not valid JSON (nested too deeply)" in lines, err
    assert ImportedEpisode.objects.count() == 2


def test_a_service_refusal_rejects_the_line_and_leaves_nothing_of_it(tmp_path):
    refused = undecided(4)
    refused["request"]["requester_feedback"] = {
        "score": 3,
        "given_at": "2024-05-05T10:00:00Z",
    }
    code, out, err = run(write(tmp_path, [refused, signposted(1)]))
    assert code == 1
    assert "line 1: You can say how it went once a decision is made." in err
    assert ImportedEpisode.objects.count() == 1
    assert FamilyConnectForm.objects.count() == 1
    assert not Person.objects.filter(external_id__startswith="P-S4").exists()


def test_repeated_episode_ids(tmp_path):
    twin = signposted(1)
    different = signposted(1)
    different["request"]["level_of_need"] = "universal"
    code, out, err = run(write(tmp_path, [twin, copy.deepcopy(twin), different]))
    assert code == 1
    assert "imported 1, updated 0, unchanged 1, rejected 1" in out
    assert (
        "line 3: external_id: EP-S1 appears earlier in the file with different content"
        in err
    )


def test_strict_imports_nothing_when_one_line_is_bad(tmp_path):
    bad = signposted(2)
    bad["request"]["route"] = "pigeon"
    code, out, err = run(write(tmp_path, [good(), signposted(1), bad]), "--strict")
    assert code == 1
    assert "line 3: request.route: unknown code 'pigeon'" in err
    assert counts()["FamilyConnectForm"] == 0 and counts()["Person"] == 0


def test_strict_imports_everything_when_all_lines_are_good(tmp_path):
    code, out, _ = run(write(tmp_path, [good(), signposted(1)]), "--strict")
    assert code == 0 and "imported 2" in out
    assert ImportedEpisode.objects.count() == 2


def test_dry_run_writes_nothing(tmp_path):
    bad = signposted(2)
    bad["household"]["postcode"] = "NOPE"
    before = counts()
    code, out, err = run(write(tmp_path, [good(), bad]), "--dry-run")
    assert code == 1
    assert (
        "dry run: read 2, imported 1, updated 0, unchanged 0, rejected 1; "
        "nothing was written"
    ) in out
    assert "line 2: household.postcode" in err
    assert counts() == before


def test_the_latest_episode_holds_the_households_address(tmp_path):
    early = signposted(1)
    late = signposted(2)
    late["household"] = copy.deepcopy(early["household"])
    late["household"]["address_line"] = "7 New Street"
    late["household"]["members"][0]["given_name"] = "Aisha"
    late["request"]["received_at"] = "2025-01-10T10:00:00Z"
    late["request"]["decision"]["decided_at"] = "2025-01-11T10:00:00Z"
    late["request"]["requester_feedback"]["given_at"] = "2025-01-12T10:00:00Z"
    late["social_care_referrals"][0]["person"] = "P-S1-0"
    # The later episode comes first in the file: receipt decides, not order.
    run(write(tmp_path, [late, early]))
    family = Family.objects.get(external_id="HH-S1")
    assert family.address_line == "7 New Street"
    assert Person.objects.get(external_id="P-S1-0").given_name == "Aisha"
    assert Family.objects.count() == 1 and Person.objects.count() == 2


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_planner_statistics_are_refreshed_after_an_import_that_wrote(tmp_path):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    path = write(tmp_path, [good(), signposted(1)])

    def refreshes() -> list[str]:
        with CaptureQueriesContext(connection) as ctx:
            assert run(path)[0] == 0
        return [q["sql"] for q in ctx if "ANALYZE" in q["sql"]]

    assert refreshes() == ["VACUUM ANALYZE"]
    assert refreshes() == []  # nothing written the second time


def test_an_episode_whose_case_a_round_has_audited_is_not_replaced(tmp_path):
    from audits.services import audit_sample_draw
    from tests.audits.factories import make_round

    episodes = [good()]
    run(write(tmp_path, episodes))
    case = ImportedEpisode.objects.get(external_id="EP-000001").form.case
    audit_round, lead, _a, _m = make_round(
        sample_size=1,
        locality_slugs=[case.locality.slug],
        period_start=dt.date(2024, 6, 1),
        period_end=dt.date(2024, 6, 30),
    )
    CaseAudit.objects.filter(case=case).update(
        assigned_at=dt.datetime(2023, 1, 1, tzinfo=dt.UTC),
        finalised_at=dt.datetime(2023, 1, 1, tzinfo=dt.UTC),
    )
    audit_sample_draw(round_id=audit_round.pk, actor=lead, seed=1)
    before = counts()
    changed = copy.deepcopy(episodes)
    changed[0]["case"]["closure"]["reason"] = "moved_away"
    code, out, err = run(write(tmp_path, changed, "changed.jsonl"))
    assert code == 1 and "audited in an audit round" in err
    assert counts() == before
