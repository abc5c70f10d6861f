"""A Python client generated from the live schema by ``openapi-python-client``,
used as generated (no edits) against a running server: it imports, submits a
form with an idempotency key, lists and reads forms as a requester and as a
locality manager, lists the form's match candidates and confirms them, decides
the form, reads the case, finds the child by a misspelt name and reads the
scorecard."""

from __future__ import annotations

import contextlib
import datetime as dt
import importlib
import json
import pkgutil
import subprocess
import sys
from pathlib import Path

import pytest
from django.utils import timezone
from rest_framework.test import APIClient

from accounts.roles import Role
from accounts.services import api_token_issue
from casework.models import Case
from core.periods import Month
from families.models import Family
from localities.models import Locality
from scorecard.services import scorecard_run
from tests.factories import (
    FamilyFactory,
    FormFactory,
    OrganisationFactory,
    PersonFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)

PACKAGE = "ehc_api_client"
GENERATOR = Path(sys.executable).with_name("openapi-python-client")
# The generator's own settings, not edits to what it makes: it has no model for
# an ``application/pdf`` answer unless told to read it as bytes, and the
# formatting hook (ruff) is left out.
GENERATOR_CONFIG = {
    "content_type_overrides": {"application/pdf": "application/octet-stream"},
    "post_hooks": [],
}


def _token(user) -> str:
    return api_token_issue(user=user)


@pytest.fixture
def generated(tmp_path, monkeypatch):
    """The client package generated from the schema the server serves now."""
    reader = UserFactory(role=Role.REQUESTER)
    api = APIClient()
    api.credentials(HTTP_AUTHORIZATION=f"Token {_token(reader)}")
    response = api.get("/api/schema/?format=json")
    assert response.status_code == 200
    (tmp_path / "schema.json").write_bytes(response.content)
    (tmp_path / "config.json").write_text(json.dumps(GENERATOR_CONFIG))
    run = subprocess.run(
        [
            str(GENERATOR),
            "generate",
            "--path",
            str(tmp_path / "schema.json"),
            "--config",
            str(tmp_path / "config.json"),
            "--output-path",
            str(tmp_path / PACKAGE),
            "--meta",
            "none",
        ],
        capture_output=True,
        text=True,
        timeout=300,
    )
    output = run.stdout + run.stderr
    assert run.returncode == 0, output
    # Nothing left out: every operation and answer has generated code.
    assert "Warning" not in output and "Error" not in output, output
    monkeypatch.syspath_prepend(str(tmp_path))
    yield tmp_path / PACKAGE
    for name in [m for m in sys.modules if m.split(".")[0] == PACKAGE]:
        del sys.modules[name]


def _module(name: str):
    return importlib.import_module(f"{PACKAGE}.{name}")


def test_the_generated_client_works_as_generated(generated, live_server):
    with contextlib.ExitStack() as clients:
        _use_the_generated_client(clients, live_server)


def _use_the_generated_client(clients, live_server):
    # Every generated module imports.
    package = importlib.import_module(PACKAGE)
    names = [m.name for m in pkgutil.walk_packages(package.__path__, f"{PACKAGE}.")]
    assert len(names) > 20
    for name in names:
        importlib.import_module(name)

    models = _module("models")
    v1 = "api.v1."
    create = _module(v1 + "v1_family_connect_create")
    listing = _module(v1 + "v1_family_connect_list")
    retrieve = _module(v1 + "v1_family_connect_retrieve")
    decide = _module(v1 + "v1_family_connect_decision_create")
    matches = _module(v1 + "v1_family_connect_matches_list")
    match_decide = _module(v1 + "v1_family_connect_matches_create")
    cases = _module(v1 + "v1_cases_list")
    case_retrieve = _module(v1 + "v1_cases_retrieve")
    people = _module(v1 + "v1_people_list")
    scorecard = _module(v1 + "v1_scorecard_retrieve")
    scorecard_pdf = _module(v1 + "v1_scorecard_pdf_retrieve")
    AuthenticatedClient = package.AuthenticatedClient

    def client_for(user):
        # Closed when the test ends, so no connection to the server outlives it.
        return clients.enter_context(
            AuthenticatedClient(
                base_url=live_server.url, token=_token(user), prefix="Token"
            )
        )

    school = OrganisationFactory(name="Example Primary School", kind="school")
    requester = UserFactory(role=Role.REQUESTER, organisation=school)
    colleague = UserFactory(role=Role.REQUESTER, organisation=school)
    colleagues_form = FormFactory(requester=colleague, organisation=school)
    manager = UserFactory(role=Role.LOCALITY_MANAGER, localities=["erdington"])
    practitioner = UserFactory(role=Role.PRACTITIONER, localities=["erdington"])
    lead = UserFactory(role=Role.PERFORMANCE_LEAD)
    # A household we know in Erdington, with the child the form is about.
    khans = FamilyFactory(
        postcode="B23 6TJ",
        address_line="12 Example Road",
        locality=Locality.objects.get(slug="erdington"),
    )
    PersonFactory(family=khans, date_of_birth=dt.date(2014, 5, 2))

    # --- Submit, with an idempotency key, as a school's requester ---
    submission = models.Submission(
        request=models.Request(
            route=models.RouteEnum.SCHOOL,
            request_type=models.RequestTypeEnum.SUPPORT,
            reasons=["financial_housing_employment", "domestic_abuse"],
            level_of_need=models.LevelOfNeedEnum.ADDITIONAL,
            consent=True,
            consent_given_by="Sara Khan (mother)",
        ),
        household=models.Household(
            postcode="B23 6TJ",
            members=[
                models.ChildMember(
                    role=models.ChildMemberRoleEnum.CHILD,
                    given_name="Ayesha",
                    family_name="Khan",
                    date_of_birth=dt.date(2014, 5, 2),
                    sex=models.SexEnum.FEMALE,
                ),
                models.AdultMember(
                    role=models.AdultMemberRoleEnum.ADULT,
                    given_name="Sara",
                    family_name="Khan",
                    relationship=models.RelationshipEnum.MOTHER,
                ),
            ],
        ),
    )
    as_requester = client_for(requester)
    first = create.sync_detailed(
        client=as_requester, body=submission, idempotency_key="school-0001"
    )
    assert first.status_code == 201, first.content
    assert isinstance(first.parsed, models.SubmitResponse)
    reference = first.parsed.reference
    assert first.parsed.locality == "erdington"
    again = create.sync_detailed(
        client=as_requester, body=submission, idempotency_key="school-0001"
    )
    assert again.status_code == 201
    assert again.parsed.reference == reference
    assert again.headers["Idempotent-Replayed"] == "true"

    # --- The requester's list: their form whole, a colleague's as status ---
    page = listing.sync(client=as_requester)
    assert isinstance(page, models.PaginatedFormForCallerList)
    by_reference = {form.reference: form for form in page.results}
    assert set(by_reference) == {reference, colleagues_form.reference}
    assert isinstance(by_reference[reference], models.FormRead)
    assert by_reference[reference].locality == "erdington"
    assert isinstance(by_reference[colleagues_form.reference], models.FormStatusOnly)
    own = retrieve.sync(reference=reference, client=as_requester)
    assert isinstance(own, models.FormRead)
    assert [m.given_name for m in own.members] == ["Ayesha", "Sara"]
    theirs = retrieve.sync(reference=colleagues_form.reference, client=as_requester)
    assert isinstance(theirs, models.FormStatusOnly)
    assert theirs.decision is None

    # --- The locality manager reads and decides ---
    as_manager = client_for(manager)
    managed = listing.sync(client=as_manager)
    assert {form.reference for form in managed.results} >= {
        reference,
        colleagues_form.reference,
    }
    assert all(isinstance(form, models.FormRead) for form in managed.results)
    seen = retrieve.sync_detailed(reference=reference, client=as_manager)
    assert seen.status_code == 200
    etag = seen.headers["ETag"]

    stale = decide.sync_detailed(
        reference=colleagues_form.reference,
        client=as_manager,
        body=models.DecisionRequest(
            outcome=models.OutcomeEnum.NO_FURTHER_ACTION, reason="Needs met"
        ),
        if_match='"999"',
    )
    assert stale.status_code == 412
    assert isinstance(stale.parsed, models.Error)

    # --- Its match candidates: allocation waits until each is decided ---
    candidates = matches.sync(reference=reference, client=as_manager)
    assert all(isinstance(c, models.MatchCandidate) for c in candidates)
    kinds = {c.kind: c for c in candidates}
    assert set(kinds) == {models.MatchKindEnum.HOUSEHOLD, models.MatchKindEnum.PERSON}
    person = kinds[models.MatchKindEnum.PERSON]
    assert (person.name, person.born) == ("Ayesha Khan", 2014)
    assert person.member.position == 0
    assert person.locality.slug == "erdington"
    assert person.status == models.MatchStatusEnum.PROPOSED
    assert not person.reason_required
    assert kinds[models.MatchKindEnum.HOUSEHOLD].member is None
    early = decide.sync_detailed(
        reference=reference,
        client=as_manager,
        body=models.DecisionRequest(
            outcome=models.OutcomeEnum.ALLOCATED,
            reason="Discussed at triage.",
            lead_practitioner=practitioner.email,
        ),
        if_match=etag,
    )
    assert early.status_code == 400
    assert isinstance(early.parsed, models.Error)
    for candidate in candidates:
        confirmed = match_decide.sync_detailed(
            reference=reference,
            candidate_id=candidate.id,
            client=as_manager,
            body=models.MatchDecisionRequest(decision=models.MatchDecisionEnum.CONFIRM),
            if_match=etag,
        )
        assert confirmed.status_code == 200, confirmed.content
        assert isinstance(confirmed.parsed, models.MatchCandidate)
        assert confirmed.parsed.status == models.MatchStatusEnum.CONFIRMED
        etag = confirmed.headers["ETag"]

    decided = decide.sync_detailed(
        reference=reference,
        client=as_manager,
        body=models.DecisionRequest(
            outcome=models.OutcomeEnum.ALLOCATED,
            reason="Discussed at triage.",
            lead_practitioner=practitioner.email,
        ),
        if_match=etag,
    )
    assert decided.status_code == 200, decided.content
    assert isinstance(decided.parsed, models.FormRead)
    assert decided.parsed.status == models.FormStatusEnum.ALLOCATED
    assert decided.parsed.decision.outcome == "allocated"
    twice = decide.sync_detailed(
        reference=reference,
        client=as_manager,
        body=models.DecisionRequest(
            outcome=models.OutcomeEnum.NO_FURTHER_ACTION, reason="Again"
        ),
    )
    assert twice.status_code == 409
    assert isinstance(twice.parsed, models.Error)

    # --- The case the allocation opened ---
    case = Case.objects.get(lead_practitioner=practitioner)
    assert case.family == khans  # the household we knew, not a second record
    assert Family.objects.count() == 1
    as_practitioner = client_for(practitioner)
    listed = cases.sync(client=as_practitioner)
    assert [c.id for c in listed.results] == [case.pk]
    read = case_retrieve.sync(case_id=case.pk, client=as_practitioner)
    assert isinstance(read, models.Case)
    assert read.locality == "erdington"
    assert {p.given_name for p in read.people} == {"Ayesha", "Sara"}

    # --- Finding the child again, by a misspelt name and a typed date ---
    found = people.sync(client=as_practitioner, q="ayesha kahn")
    assert isinstance(found, models.PaginatedPersonFoundList)
    assert found.count == 1
    (child,) = found.results
    assert isinstance(child, models.PersonFound)
    assert (child.given_name, child.family_name) == ("Ayesha", "Khan")
    assert child.date_of_birth == dt.date(2014, 5, 2)
    assert (child.locality, child.case) == ("erdington", case.pk)
    by_date = people.sync(
        client=as_practitioner, q="Khan", date_of_birth=dt.date(2014, 5, 2)
    )
    assert [p.id for p in by_date.results] == [child.id]
    refused = people.sync_detailed(client=client_for(lead), q="khan")
    assert refused.status_code == 403

    # --- The scorecard ---
    month = Month.of(timezone.localdate())
    release = scorecard_run(period=month)
    as_lead = client_for(lead)
    card = scorecard.sync(period=str(month), client=as_lead)
    assert isinstance(card, models.Scorecard)
    assert card.release == release.pk
    assert card.locality is None
    assert card.indicators and all(
        isinstance(row, models.IndicatorValue) for row in card.indicators
    )
    local = scorecard.sync(
        period=str(month),
        client=as_lead,
        locality=models.V1ScorecardRetrieveLocality.ERDINGTON,
    )
    assert local.locality == "erdington"
    pdf = scorecard_pdf.sync_detailed(period=str(month), client=as_lead)
    assert pdf.status_code in (200, 202)
    if pdf.status_code == 202:
        assert isinstance(pdf.parsed, models.PDFJob)
        assert pdf.parsed.release == release.pk
    else:
        assert pdf.content.startswith(b"%PDF")
