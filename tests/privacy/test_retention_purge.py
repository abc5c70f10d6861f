"""The retention purge: in a fixture set it removes exactly the records whose
period has ended, with everything recorded on them and the households nothing
refers to any more, and leaves a stub for each; a dry run changes nothing; an
import does not bring a purged episode back."""

from __future__ import annotations

import datetime as dt
import json
from io import StringIO
from unittest import mock

import pytest
from django.apps import apps
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.db import DatabaseError, transaction

from accounts.roles import Role
from audits.models import AuditGrade, CaseAudit
from casework.models import (
    Assessment,
    AssessmentPerson,
    CaseClosure,
    CaseDocument,
    CaseNote,
    ClosurePerson,
    ImportedEpisode,
    PlanAction,
    PlanOutcome,
    Review,
    ReviewPerson,
    SocialCareReferral,
)
from casework.services.documents import case_document_upload, document_storage
from core.access_log import access_log_record
from families.names import name_keys
from families.query import parse_query
from family_connect.models import FamilyConnectForm, FormDecision, FormMember
from family_connect.selectors import form_ids_naming
from privacy.models import PurgedEpisode, PurgedRecord
from privacy.purge import retention_purge
from privacy.tasks import retention_purge_weekly
from tests.audits.factories import make_round
from tests.factories import (
    CaseFactory,
    FamilyFactory,
    FormFactory,
    PersonFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db

NOW = dt.datetime(2026, 11, 30, 12, 0, tzinfo=dt.UTC)
DAY = dt.timedelta(days=1)
SIX_YEARS_AGO = dt.datetime(2020, 11, 30, 12, 0, tzinfo=dt.UTC)
THREE_YEARS_AGO = dt.datetime(2023, 11, 30, 12, 0, tzinfo=dt.UTC)
# Personal data in the purged records; a stub holds none of it.
PERSONAL = ["Gale", "Zeller", "Old Road", "B23 6TJ", "2014-05-02", "Walking bus"]

# The kinds of row a purge may remove; every other table keeps every row.
PURGEABLE = {
    "audits.AuditAnswer",
    "audits.AuditAction",
    "audits.AuditEvent",
    "audits.CaseAudit",
    "casework.Assessment",
    "casework.CaseContact",
    "casework.AssessmentPerson",
    "casework.Case",
    "casework.CaseClosure",
    "casework.CaseDocument",
    "casework.CaseEvent",
    "casework.CaseMember",
    "casework.CaseNote",
    "casework.CasePerson",
    "casework.CaseUserObjectPermission",
    "casework.ClosurePerson",
    "casework.ImportedEpisode",
    "casework.PlanAction",
    "casework.PlanOutcome",
    "casework.Review",
    "casework.ReviewPerson",
    "casework.SocialCareReferral",
    "families.Family",
    "families.Person",
    "family_connect.FamilyConnectForm",
    "family_connect.FamilyConnectForm_reasons",
    "family_connect.FormDecision",
    "family_connect.FormEvent",
    "family_connect.FormMember",
}


def snapshot() -> dict[str, set]:
    return {
        model._meta.label: set(model._default_manager.values_list("pk", flat=True))
        for model in apps.get_models(include_auto_created=True)
    }


def member(form, position, person=None, given_name="Gale", family_name="Gale"):
    return form.members.create(
        position=position,
        role="child",
        given_name=given_name,
        family_name=family_name,
        **name_keys(given_name, family_name),
        date_of_birth=dt.date(2014, 5, 2),
        person=person,
    )


def full_case(lead, family, people, *, closed_at):
    """A closed case with something in every part of the case file."""
    case = CaseFactory(
        family=family,
        lead_practitioner=lead,
        opened_at=closed_at - 200 * DAY,
        status="closed",
        closed_at=closed_at,
    )
    form = FormFactory(
        family=family,
        case=case,
        status="allocated",
        received_at=closed_at - 210 * DAY,
    )
    for position, person in enumerate(people):
        member(form, position, person, person.given_name, person.family_name)
    FormDecision.objects.create(
        form=form,
        outcome="allocated",
        decided_by=lead,
        decided_at=closed_at - 205 * DAY,
        reason="Meets the threshold",
        lead_practitioner=lead,
        case=case,
    )
    assessment = Assessment.objects.create(
        case=case, worries="School", scaling=4, completed_at=closed_at - 150 * DAY
    )
    outcome = PlanOutcome.objects.create(
        case=case,
        text="School every day",
        domain="learning_development",
        created_by=lead,
    )
    PlanAction.objects.create(
        case=case,
        outcome=outcome,
        what="Walking bus",
        owner=lead,
        due_on=dt.date(2020, 6, 1),
    )
    review = Review.objects.create(
        case=case,
        held_at=closed_at - 60 * DAY,
        attendees="Mum",
        progress="Better",
        scaling=6,
        next_review_on=dt.date(2020, 9, 1),
        recorded_by=lead,
    )
    closure = CaseClosure.objects.create(
        case=case, closed_at=closed_at, reason="outcomes_met", closed_by=lead
    )
    for person in people:
        AssessmentPerson.objects.create(assessment=assessment, person=person, score=5)
        ReviewPerson.objects.create(review=review, person=person, score=6)
        ClosurePerson.objects.create(closure=closure, person=person, score=8)
    CaseNote.objects.create(
        case=case,
        kind="visit",
        happened_at=closed_at - 90 * DAY,
        text="Visit",
        author=lead,
    )
    SocialCareReferral.objects.create(
        person=people[0],
        case=case,
        referred_at=closed_at - 30 * DAY,
        source="case",
        reason="Worries grew",
    )
    case_document_upload(
        case_id=case.pk,
        actor=lead,
        title="Signed consent",
        document_type="signed_consent",
        shared_with_partners=False,
        upload=SimpleUploadedFile("consent.txt", b"Consent given"),
    )
    return case, form


@pytest.fixture
def records():
    lead = UserFactory(role=Role.PRACTITIONER, localities=["erdington"])
    # A household whose only case ended more than six years ago: all of it goes.
    gone = FamilyFactory(address_line="1 Old Road")
    gone_people = [
        PersonFactory(family=gone, given_name="Gale", family_name="Gale"),
        PersonFactory(family=gone, given_name="Gil", family_name="Gale", role="adult"),
    ]
    expired, expired_form = full_case(
        lead, gone, gone_people, closed_at=SIX_YEARS_AGO - DAY
    )
    ImportedEpisode.objects.create(
        external_id="EP-OLD-1",
        digest="x",
        form=expired_form,
        household_external_id="HH-OLD-1",
        received_at=expired_form.received_at,
        imported_at=expired_form.received_at,
    )
    audit_round, *_ = make_round()
    CaseAudit.objects.create(
        round=audit_round,
        case=expired,
        locality=expired.locality,
        type="monthly_citywide",
        template=audit_round.template,
        auditor=audit_round.auditors.first(),
        status="finalised",
        assigned_at=SIX_YEARS_AGO - 10 * DAY,
        strengths="Walking bus worked",
        grade=AuditGrade.objects.get(code="good"),
        final_grade=AuditGrade.objects.get(code="good"),
        submitted_at=SIX_YEARS_AGO - 9 * DAY,
        finalised_at=SIX_YEARS_AGO - 8 * DAY,
    )
    # A household with an expired case and a case open now: the household stays.
    stays = FamilyFactory()
    stays_people = [PersonFactory(family=stays, given_name="Sam")]
    expired_too, expired_too_form = full_case(
        lead, stays, stays_people, closed_at=SIX_YEARS_AGO - 40 * DAY
    )
    open_case = CaseFactory(family=stays, lead_practitioner=lead)
    CaseNote.objects.create(
        case=open_case, kind="visit", happened_at=NOW, text="Now", author=lead
    )
    # Closed a day too recently: nothing goes.
    kept_family = FamilyFactory()
    kept, kept_form = full_case(
        lead,
        kept_family,
        [PersonFactory(family=kept_family)],
        closed_at=SIX_YEARS_AGO + DAY,
    )
    # Forms decided without a case more than three years ago.
    old = FormFactory(status="signposted", received_at=THREE_YEARS_AGO - DAY)
    member(old, 0)
    zeller = FamilyFactory()
    zeller_person = PersonFactory(family=zeller, given_name="Zed", family_name="Zeller")
    old_z = FormFactory(
        family=zeller, status="no_further_action", received_at=THREE_YEARS_AGO - DAY
    )
    member(old_z, 0, zeller_person, "Zed", "Zeller")
    recent = FormFactory(status="signposted", received_at=THREE_YEARS_AGO + DAY)
    # A later duplicate of a purged form keeps its own record, without the link.
    duplicate = FormFactory(
        status="duplicate", received_at=THREE_YEARS_AGO + DAY, duplicate_of=old
    )
    access_log_record(user=lead, obj=gone_people[0])
    return locals()


def removed_between(before, after):
    return {label: before[label] - after[label] for label in before}


def test_the_purge_removes_exactly_the_expired_records_and_leaves_stubs(records):
    r = records
    before = snapshot()
    result = retention_purge(now=NOW, commit=True, purged_by="test")
    after = snapshot()
    removed = removed_between(before, after)

    assert removed["casework.Case"] == {r["expired"].pk, r["expired_too"].pk}
    assert removed["family_connect.FamilyConnectForm"] == {
        r["expired_form"].pk,
        r["expired_too_form"].pk,
        r["old"].pk,
        r["old_z"].pk,
    }
    assert removed["families.Family"] == {r["gone"].pk, r["zeller"].pk}
    assert removed["families.Person"] == {
        *(p.pk for p in r["gone_people"]),
        r["zeller_person"].pk,
    }
    assert {label for label, pks in removed.items() if pks} <= PURGEABLE
    # Everything on the expired cases went; nothing on the others did.
    for model in (Assessment, PlanOutcome, PlanAction, Review, CaseClosure):
        assert set(model.objects.values_list("case_id", flat=True)) == {r["kept"].pk}
    assert set(CaseNote.objects.values_list("case_id", flat=True)) == {
        r["kept"].pk,
        r["open_case"].pk,
    }
    assert set(CaseDocument.objects.values_list("case_id", flat=True)) == {r["kept"].pk}
    assert not CaseAudit.objects.exists()
    assert not ImportedEpisode.objects.exists()
    r["duplicate"].refresh_from_db()
    assert r["duplicate"].duplicate_of_id is None
    assert r["duplicate"].status == "duplicate"
    # The access log keeps its entries (it is append-only).
    assert removed["core.AccessLog"] == set()

    # One stub per record, oldest first, counting exactly the rows removed.
    stubs = list(PurgedRecord.objects.order_by("pk"))
    assert [s.record for s in stubs] == [
        f"case {r['expired_too'].pk}",
        f"case {r['expired'].pk}",
        r["old"].reference,
        r["old_z"].reference,
    ]
    assert result.stubs == stubs
    first = stubs[1]
    assert (first.record_type, first.locality, first.since, first.kept_until) == (
        "closed_case",
        "Erdington",
        dt.date(2020, 11, 29),
        dt.date(2026, 11, 29),
    )
    assert (first.purged_at, first.purged_by) == (NOW, "test")
    assert first.removed["families.Person"] == 2
    assert first.removed["audits.CaseAudit"] == 1
    assert stubs[0].removed.get("families.Person") is None  # the household stays
    totals: dict[str, int] = {}
    for stub in stubs:
        for label, count in stub.removed.items():
            totals[label] = totals.get(label, 0) + count
    assert totals.pop("family_connect.FamilyConnectForm.duplicate_of") == 1
    assert totals == {label: len(pks) for label, pks in removed.items() if pks}
    assert list(PurgedEpisode.objects.values_list("external_id", "stub")) == [
        ("EP-OLD-1", first.pk)
    ]
    text = json.dumps(list(PurgedRecord.objects.values()), default=str) + json.dumps(
        list(PurgedEpisode.objects.values())
    )
    for personal in PERSONAL:
        assert personal not in text, personal

    # A second run finds nothing more to do.
    assert retention_purge(now=NOW, commit=True, purged_by="test").stubs == []


def test_the_name_keys_go_with_the_purged_forms(records):
    # The keys searched for a form's people are removed with them: a search by
    # a purged family's name no longer finds anything, and no key is left.
    def found(typed):
        return form_ids_naming(FamilyConnectForm.objects.all(), parse_query(typed))

    assert found("zeller") == [records["old_z"].pk]
    assert FormMember.objects.filter(family_name_key="zeller").exists()
    retention_purge(now=NOW, commit=True, purged_by="test")
    assert found("zeller") == []
    assert found("zelelr") == []
    assert not FormMember.objects.filter(family_name_key="zeller").exists()


def test_a_dry_run_counts_exactly_what_a_purge_removes_and_changes_nothing(records):
    before = snapshot()
    dry = retention_purge(now=NOW, commit=False, purged_by="test")
    assert snapshot() == before
    assert not PurgedRecord.objects.exists()
    assert len(dry.stubs) == 4
    real = retention_purge(now=NOW, commit=True, purged_by="test")
    assert dry.removed == real.removed
    assert [s.record for s in dry.stubs] == [s.record for s in real.stubs]


def test_stubs_cannot_be_changed_or_deleted(records):
    retention_purge(now=NOW, commit=True, purged_by="test")
    stub = PurgedRecord.objects.first()
    with pytest.raises(PermissionError):
        stub.save()
    for attempt in (
        lambda: PurgedRecord.objects.filter(pk=stub.pk).update(purged_by="someone"),
        lambda: PurgedRecord.objects.filter(pk=stub.pk).delete(),
    ):
        with pytest.raises(DatabaseError), transaction.atomic():
            attempt()
    assert PurgedRecord.objects.get(pk=stub.pk).purged_by == "test"


def test_the_command_is_a_dry_run_unless_told_to_commit(records):
    before = snapshot()
    out = StringIO()
    with mock.patch("core.clock.now", return_value=NOW):
        call_command("retention_purge", "--list", stdout=out)
    text = out.getvalue()
    assert "Closed cases, from their closure: 2 would be purged" in text
    assert f"  case {records['expired'].pk}, Erdington, since 2020-11-29" in text
    assert records["old"].reference in text
    assert records["recent"].reference not in text
    assert "  families.Person: 3" in text
    assert "Dry run: nothing was changed" in text
    for personal in PERSONAL:
        assert personal not in text, personal
    assert snapshot() == before

    out = StringIO()
    with mock.patch("core.clock.now", return_value=NOW):
        call_command("retention_purge", "--commit", stdout=out)
    assert "Purged, leaving 4 stubs." in out.getvalue()
    assert PurgedRecord.objects.filter(purged_by="manage.py retention_purge").count()


def test_the_weekly_job_purges_only_when_switched_on(records, settings):
    settings.RETENTION_PURGE_ENABLED = False
    before = snapshot()
    with mock.patch("core.clock.now", return_value=NOW):
        assert retention_purge_weekly() == {"records": 4, "committed": 0}
    assert snapshot() == before

    settings.RETENTION_PURGE_ENABLED = True
    with mock.patch("core.clock.now", return_value=NOW):
        assert retention_purge_weekly() == {"records": 4, "committed": 1}
    assert PurgedRecord.objects.filter(purged_by="weekly retention job").count() == 4


def test_importing_a_purged_episode_again_does_not_bring_it_back(tmp_path):
    from demo.generator import demo_episodes
    from privacy.models import RetentionRule
    from records_import.load import PURGED, Directory, episode_import, line_digest
    from records_import.run import records_import, reference_load
    from records_import.validate import episode_validate
    from tests.demo.test_seed_demo import UNTIL, context

    path = tmp_path / "episodes.jsonl"
    episodes = list(demo_episodes(scale="small", seed=5, context=context(), count=80))
    path.write_text("".join(json.dumps(e) + "\n" for e in episodes))
    assert records_import(path).rejected == 0
    RetentionRule.objects.update(keep_months=12)
    later = dt.datetime.combine(UNTIL, dt.time(12), tzinfo=dt.UTC) + 800 * DAY
    result = retention_purge(now=later, commit=True, purged_by="test")
    purged = set(PurgedEpisode.objects.values_list("external_id", flat=True))
    assert purged and len(purged) < len(episodes)  # open cases stay
    assert len(result.stubs) >= len(purged)
    before = snapshot()

    report = records_import(path)
    assert (report.purged, report.imported, report.rejected) == (len(purged), 0, 0)
    assert report.unchanged == len(episodes) - len(purged)
    assert snapshot() == before
    assert "purged under retention) " in report.summary()

    # Nor does a changed line of a purged episode.
    changed = next(e for e in episodes if e["external_id"] in purged)
    changed["household"]["address_line"] = "9 Changed Road"
    path.write_text(json.dumps(changed) + "\n")
    assert records_import(path).purged == 1
    # The same through the services (the path of an episode the batch refuses).
    episode, problems = episode_validate(changed, reference_load())
    assert episode is not None, problems
    assert (
        episode_import(episode, digest=line_digest(changed), directory=Directory())
        == PURGED
    )
    assert snapshot() == before


def test_administrators_read_the_stubs_in_the_admin_and_cannot_change_them(
    records, client
):
    from tests.helpers import sign_in_verified

    retention_purge(now=NOW, commit=True, purged_by="test")
    admin_user = UserFactory(
        role=Role.ADMINISTRATOR, organisation=None, is_staff=True, is_superuser=True
    )
    sign_in_verified(client, admin_user)
    listing = client.get("/admin/privacy/purgedrecord/")
    assert listing.status_code == 200
    assert records["old"].reference in listing.content.decode()
    stub = PurgedRecord.objects.first()
    assert client.get("/admin/privacy/purgedrecord/add/").status_code == 403
    page = client.get(f"/admin/privacy/purgedrecord/{stub.pk}/change/")
    assert page.status_code == 200 and b'name="purged_by"' not in page.content
    assert (
        client.post(f"/admin/privacy/purgedrecord/{stub.pk}/delete/", {"post": "yes"})
    ).status_code == 403
    assert PurgedRecord.objects.filter(pk=stub.pk).exists()


def test_the_purge_removes_the_documents_files_and_a_dry_run_keeps_them(
    records, django_capture_on_commit_callbacks
):
    storage = document_storage()

    def stored():
        return {
            case_id: storage.exists(name)
            for case_id, name in CaseDocument.objects.values_list(
                "case_id", "stored_name"
            )
        }

    names = dict(CaseDocument.objects.values_list("case_id", "stored_name"))
    assert stored() == {
        records["expired"].pk: True,
        records["expired_too"].pk: True,
        records["kept"].pk: True,
    }
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        retention_purge(now=NOW, commit=False, purged_by="test")
    assert callbacks == []  # rolled back: nothing to remove afterwards
    assert all(storage.exists(name) for name in names.values())

    with django_capture_on_commit_callbacks(execute=True):
        retention_purge(now=NOW, commit=True, purged_by="test")
    assert stored() == {records["kept"].pk: True}
    assert not storage.exists(names[records["expired"].pk])
    assert not storage.exists(names[records["expired_too"].pk])
    assert storage.exists(names[records["kept"].pk])
