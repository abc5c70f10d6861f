"""``demo_enrich``: the demo's working day over a small generated history —
overdue and upcoming work, plans owned across agencies, a directory in every
locality, auditors apart from their moderator, named staff, a queue in every
band; once only with ``--if-empty``."""

from __future__ import annotations

import datetime as dt
import json
from collections import Counter
from io import StringIO

import pytest
from django.core.management import call_command
from django.utils import timezone

from accounts.models import User
from audits.models import AuditRound, CaseAudit
from casework.models import (
    OPEN_STATUSES,
    Case,
    CaseClosure,
    CaseDocument,
    CaseNote,
    PersonConsent,
    PlanAction,
    SocialCareReferral,
)
from casework.selectors.work import DUE, OVERDUE, REVIEW, work_for_user
from demo import profiles as P
from demo.enrich import demo_casework_episodes
from demo.generator import Context, demo_episodes
from family_connect.models import FamilyConnectForm, FormStatus
from localities.models import CommunityService, Locality, PostcodeDistrict
from records_import.run import records_import
from scorecard.models import PartnerFigure
from triage.selectors import band_for

pytestmark = pytest.mark.django_db


def _context() -> Context:
    districts: dict[str, list[str]] = {}
    for district, slug in PostcodeDistrict.objects.order_by(
        "locality__slug", "district"
    ).values_list("district", "locality__slug"):
        districts.setdefault(slug, []).append(district)
    return Context(districts=districts, until=timezone.localdate())


@pytest.fixture
def enriched(settings, tmp_path):
    settings.LOCAL = True
    call_command("demo_users", "--quiet", stdout=StringIO())
    path = tmp_path / "small.jsonl"
    with path.open("w") as handle:
        for episode in demo_episodes(
            scale="small", seed=1, context=_context(), count=300
        ):
            handle.write(json.dumps(episode) + "\n")
    assert not records_import(path).rejected
    out = StringIO()
    call_command("demo_enrich", "--seed=1", "--if-empty", stdout=out)
    return out.getvalue()


def _the_demo_practitioners_have_overdue_and_upcoming_work(enriched):
    today = timezone.localdate()
    for email in P.DEMO_PRACTITIONERS.values():
        work = work_for_user(User.objects.get(email=email), today)
        overdue = Counter(item.kind for item in work.overdue)
        assert overdue[REVIEW] >= 2, overdue
        # Reviews due this week, and plan actions coming up.
        assert any(
            i.kind == REVIEW and i.due <= today + dt.timedelta(days=7) for i in work.due
        )
        assert any(i.kind == "action" for i in work.due)
        assert "step_up_outcome" in _every_kind(work, User.objects.get(email=email))


def _every_kind(work, user):
    """The kinds of item on every page of both lists (My work shows a page
    of each)."""
    today = timezone.localdate()
    kinds = set()
    for name in (OVERDUE, DUE):
        for number in range(1, getattr(work, name).num_pages + 1):
            page = getattr(work_for_user(user, today, pages={name: number}), name)
            kinds |= {item.kind for item in page}
    return kinds


def _actions_are_owned_across_agencies_with_notes_consent_and_documents(
    enriched,
):
    owned = PlanAction.objects.filter(owner__isnull=False)
    kinds = set(owned.values_list("owner__organisation__kind", flat=True))
    assert {"vcs", "health"} <= kinds and len(kinds) >= 4, kinds
    assert PlanAction.objects.filter(owner_is_family=True).exists()
    # Every plan has an action a service of the directory delivers.
    plans = Case.objects.filter(status="plan")
    assert plans.exists()
    assert not plans.exclude(actions__community_service__isnull=False).exists()
    assert (
        CaseNote.objects.count() > Case.objects.filter(status__in=OPEN_STATUSES).count()
    )
    assert PersonConsent.objects.filter(purpose="information_sharing").exists()
    assert CaseDocument.objects.exists()
    outcomes = set(
        SocialCareReferral.objects.filter(source="case").values_list(
            "outcome", flat=True
        )
    )
    assert "" in outcomes and outcomes - {""}  # with and without an outcome


def _every_locality_has_a_directory(enriched):
    for locality in Locality.objects.all():
        assert (
            CommunityService.objects.filter(locality=locality, active=True).count() >= 3
        )


def _auditors_and_moderator_are_different_people_of_different_agencies(
    enriched,
):
    audit_round = AuditRound.objects.get()
    auditors = list(audit_round.auditors.all())
    assert len(auditors) >= 2
    assert audit_round.moderator not in auditors
    agencies = {a.organisation_id for a in [*auditors, audit_round.moderator]}
    assert len(agencies) == 3
    audits = CaseAudit.objects.filter(round=audit_round)
    assert audits.filter(status="submitted").exists()
    assert audits.filter(status="finalised", moderated_by=audit_round.moderator)


def _names_are_unique_and_open_cases_are_led_by_active_named_staff(enriched):
    names = Counter(
        User.objects.filter(email__endswith="@demo.example").values_list(
            "full_name", flat=True
        )
    )
    assert "" not in names
    assert [n for n, c in names.items() if c > 1] == []
    open_cases = Case.objects.filter(status__in=OPEN_STATUSES)
    assert not open_cases.filter(lead_practitioner__is_active=False).exists()
    for slug, email in P.DEMO_PRACTITIONERS.items():
        assert (
            open_cases.filter(
                locality__slug=slug, lead_practitioner__email=email
            ).count()
            >= 8
        )


def _old_closures_are_signed_off_and_recent_ones_wait(enriched):
    fortnight = timezone.now() - dt.timedelta(days=14)
    old = CaseClosure.objects.filter(closed_at__lt=fortnight - dt.timedelta(days=1))
    assert old.exists() and not old.filter(signed_off_at__isnull=True).exists()
    assert CaseClosure.objects.filter(
        closed_at__gt=fortnight, signed_off_at__isnull=True
    ).exists()


def _the_demo_queues_have_forms_in_every_band_and_partner_figures(enriched):
    now = timezone.now()
    for slug in P.DEMO_PRACTITIONERS:
        waiting = FamilyConnectForm.objects.filter(
            status=FormStatus.SUBMITTED, locality__slug=slug
        )
        bands = {band_for(now - f.received_at).code for f in waiting}
        assert bands == {"green", "amber", "red", "breached"}, (slug, bands)
    assert PartnerFigure.objects.filter(locality__isnull=True).count() >= 13


def _it_runs_once_with_if_empty(enriched):
    actions = PlanAction.objects.count()
    out = StringIO()
    call_command("demo_enrich", "--seed=1", "--if-empty", stdout=out)
    assert "already" in out.getvalue()
    assert PlanAction.objects.count() == actions


def test_the_demo_episodes_are_the_same_for_a_seed():
    first = list(demo_casework_episodes(seed=1, context=_context()))
    assert first == list(demo_casework_episodes(seed=1, context=_context()))
    assert first != list(demo_casework_episodes(seed=2, context=_context()))


# The enrichment takes a while: each run of it is checked for everything at
# once, each requirement by its own function above.


def test_the_demo_has_a_working_day_for_every_role(enriched):
    _the_demo_practitioners_have_overdue_and_upcoming_work(enriched)
    _actions_are_owned_across_agencies_with_notes_consent_and_documents(enriched)
    _every_locality_has_a_directory(enriched)
    _the_demo_queues_have_forms_in_every_band_and_partner_figures(enriched)


def test_the_demo_has_its_people_audits_and_sign_offs_and_runs_once(enriched):
    _auditors_and_moderator_are_different_people_of_different_agencies(enriched)
    _names_are_unique_and_open_cases_are_led_by_active_named_staff(enriched)
    _old_closures_are_signed_off_and_recent_ones_wait(enriched)
    _it_runs_once_with_if_empty(enriched)
