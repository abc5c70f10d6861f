"""The access matrix of the whole application (QUALITY §2, PRODUCT §1).

- The meta-test walks the URL resolver: every view declares its access
  (``core.view_access``) — public with a reason, signed-in for the user's own
  account, or scoped through named functions of an app's ``access.py`` — and
  every URL is in the matrix below. A new view without a declaration, or a new
  URL without a row, fails here.
- The matrix: every role × every URL (pages, API, CSV, PDF), each URL once
  with the records of Erdington (where the world's users work) and once with
  those of Ladywood (where none of them does). Each answer is exactly the
  expected status; nothing from Ladywood ever appears in any answer; a user
  with no role, or with a role and no locality, sees nothing.
"""

from __future__ import annotations

import datetime as dt
import re

import pytest
from django.apps import apps
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver
from django.utils import timezone

from accounts.roles import Role
from audits.models import AuditAction, AuditReport
from casework.models import CaseContact, CaseNote, CasePDF, PlanAction, PlanOutcome
from casework.services.consent import (
    consent_override_record,
    consent_record,
    consent_withdraw,
)
from casework.services.documents import case_document_upload
from core.pdf import render_pdf_from_html
from core.view_access import access_of
from family_connect.references import status_token
from privacy.models import SubjectAccessPDF
from scorecard.models import Release, ReleasePDF
from tests.access_matrix_table import (
    CITYWIDE,
    GONE,
    MATRIX,
    NF,
    OK,
    QUERIES,
    ROLES,
    WITHDRAWN_SHARING,
)
from tests.audits.factories import make_round
from tests.factories import (
    CaseFactory,
    FamilyFactory,
    FormFactory,
    OrganisationFactory,
    PersonFactory,
    UserFactory,
    join_team,
)
from tests.helpers import sign_in_as

pytestmark = pytest.mark.django_db

# The administration site checks its own permissions (staff, model
# permissions); its pages are covered in tests/accounts.
SKIPPED_PREFIXES = ("admin/",)
# What appears in the out-of-scope records, and must never appear in an answer.
MARKER = "Zzbravo"
# What appears in the Erdington records, which users without a role or a
# locality must not see either.
IN_SCOPE_MARKER = "Alfa"
NOBODY = {"anonymous", "no_role", "practitioner_no_locality"}


def url_patterns() -> list[tuple[str, object]]:
    """Every (route, callback) the resolver knows, outside the skipped
    prefixes."""

    def walk(patterns, prefix=""):
        for p in patterns:
            if isinstance(p, URLResolver):
                yield from walk(p.url_patterns, prefix + str(p.pattern))
            elif isinstance(p, URLPattern):
                yield prefix + str(p.pattern), p.callback

    return [
        (route, callback)
        for route, callback in walk(get_resolver().url_patterns)
        if not route.startswith(SKIPPED_PREFIXES)
    ]


def test_every_view_declares_its_access():
    undeclared = [route for route, cb in url_patterns() if access_of(cb) is None]
    assert undeclared == [], f"views without an access declaration: {undeclared}"
    for route, callback in url_patterns():
        access = access_of(callback)
        assert access is not None
        if access.kind == "scoped":
            assert access.choke_points, route
            for name in access.choke_points:
                module = name.rsplit(".", 1)[0]
                assert module.endswith(".access"), (route, name)
        else:
            assert access.reason, route


def test_every_url_is_in_the_matrix():
    routes = {route for route, _cb in url_patterns()}
    assert routes == set(MATRIX), {
        "missing from the matrix": sorted(routes - set(MATRIX)),
        "no longer routed": sorted(set(MATRIX) - routes),
    }


IN_MAY = dt.datetime(2026, 5, 10, 10, 0, tzinfo=dt.UTC)


def _member(form, given, family):
    form.members.create(
        position=0,
        role="child",
        given_name=given,
        family_name=family,
        date_of_birth=dt.date(2015, 1, 1),
    )


def _side(locality, auditor, *, lead, requester, school, child_name):
    family = FamilyFactory(address_line=f"1 {child_name} Road")
    child = PersonFactory(family=family, given_name=child_name, family_name=child_name)
    case = CaseFactory(
        family=family,
        lead_practitioner=lead,
        locality=lead.memberships.get().locality,
        opened_at=IN_MAY,
    )
    form = FormFactory(
        locality=case.locality,
        family=family,
        requester=requester,
        organisation=school,
        received_at=IN_MAY,
    )
    _member(form, child_name, child_name)
    # The plan and the chronology, for the pages that correct them.
    outcome = PlanOutcome.objects.create(
        case=case, text=f"{child_name} is calm", domain="relationships", created_by=lead
    )
    plan_action = PlanAction.objects.create(
        case=case,
        outcome=outcome,
        what=f"Club for {child_name}",
        owner=lead,
        due_on=dt.date(2027, 7, 1),
    )
    note = CaseNote.objects.create(
        case=case,
        kind="visit",
        happened_at=IN_MAY,
        text=f"Visited {child_name}",
        author=lead,
    )
    # A document shared with the partners on the team.
    document = case_document_upload(
        case_id=case.pk,
        actor=lead,
        title=f"Consent for {child_name}",
        document_type="signed_consent",
        shared_with_partners=True,
        upload=SimpleUploadedFile("consent.txt", f"Consent: {child_name}".encode()),
    )
    contact = CaseContact.objects.create(
        case=case, kind="gp", name=f"Dr {child_name}", phone="0121 496 0000"
    )
    audit_round, lead_of_round, _a, _m = make_round(
        locality_slugs=[locality], sample_size=1, auditors=[auditor]
    )
    from audits.services import audit_sample_draw

    (audit,) = audit_sample_draw(round_id=audit_round.pk, actor=lead_of_round, seed=1)
    action = AuditAction.objects.create(
        audit=audit,
        what="Review the plan",
        owner=lead,
        due_on=dt.date(2026, 7, 1),
        created_at=IN_MAY,
    )
    summary = CasePDF.objects.create(
        case=case,
        kind="summary",
        requested_by=lead,
        status="done",
        progress=100,
        pdf=render_pdf_from_html(f"<h1>Case summary: {child_name}</h1>"),
        generated_at=timezone.now(),
    )
    return {
        "case_id": case.pk,
        "pdf_id": summary.pk,
        "person_id": child.pk,
        "person": child,
        "reference": form.reference,
        "token": status_token(form.status_key),
        "audit_id": audit.pk,
        "round_id": audit_round.pk,
        "action_id": action.pk,
        "slug": locality,
        "case": case,
        "user_id": lead.pk,
        "outcome_id": outcome.pk,
        "plan_action_id": plan_action.pk,
        "note_id": note.pk,
        "contact_id": contact.pk,
        "document_id": document.pk,
    }


@pytest.fixture
def world():
    school = OrganisationFactory(name="Erdington Primary", kind="school")
    users = {
        "no_role": UserFactory(role="", organisation=None),
        "practitioner_no_locality": UserFactory(role=Role.PRACTITIONER),
        "lead": UserFactory(role=Role.PRACTITIONER, localities=["erdington"]),
        "practitioner": UserFactory(role=Role.PRACTITIONER, localities=["erdington"]),
        "manager": UserFactory(role=Role.LOCALITY_MANAGER, localities=["erdington"]),
        "requester": UserFactory(role=Role.REQUESTER, organisation=school),
        "auditor": UserFactory(
            role=Role.AUDITOR,
            organisation=OrganisationFactory(name="Health", kind="health"),
        ),
        "performance_lead": UserFactory(role=Role.PERFORMANCE_LEAD, organisation=None),
        "administrator": UserFactory(role=Role.ADMINISTRATOR, organisation=None),
        "data_protection": UserFactory(role=Role.DATA_PROTECTION, organisation=None),
    }
    a = _side(
        "erdington",
        users["auditor"],
        lead=users["lead"],
        requester=users["requester"],
        school=school,
        child_name="Alfa",
    )
    join_team(a["case"], users["requester"])
    b = _side(
        "ladywood",
        UserFactory(role=Role.AUDITOR),
        lead=UserFactory(role=Role.PRACTITIONER, localities=["ladywood"]),
        requester=UserFactory(role=Role.REQUESTER),
        school=OrganisationFactory(name="Ladywood Primary", kind="school"),
        child_name=MARKER,
    )
    release = Release.objects.create(
        period="2026-05",
        status="done",
        progress=100,
        started_at=IN_MAY,
        generated_at=IN_MAY,
        code_version="test",
    )
    ReleasePDF.objects.create(
        release=release,
        status="done",
        progress=100,
        pdf=render_pdf_from_html("<h1>Scorecard, May 2026</h1>"),
        generated_at=IN_MAY,
        seconds=1,
    )
    AuditReport.objects.create(
        period="2026-05",
        status="done",
        progress=100,
        pdf=render_pdf_from_html("<h1>Audit report, May 2026</h1>"),
        generated_at=IN_MAY,
    )
    # The officer's PDF of each side's child, made and still kept.
    for side in (a, b):
        side["job_id"] = SubjectAccessPDF.objects.create(
            person=side["person"],
            requested_by=users["data_protection"],
            status="done",
            progress=100,
            pdf=render_pdf_from_html(f"<h1>Subject access: {side['slug']}</h1>"),
            generated_at=timezone.now(),
        ).pk
    shared = {
        "release_id": release.pk,
        "period": "2026-05",
        "ref": "EH01",
        "kind": "child",
        "index": 0,
        "part": "about",
        "candidate_id": 999999,
        "token_id": 999999,
        "uidb64": "MQ",
        "token": "no-such-token",
    }
    return users, {"a": {**shared, **a}, "b": {**shared, **b}}


ARG = re.compile(r"<(?:\w+:)?(\w+)>")
# Arguments naming a record that belongs to one locality or another.
SCOPED_ARGS = {
    "case_id",
    "person_id",
    "reference",
    "audit_id",
    "round_id",
    "action_id",
    "slug",
    "user_id",
    "outcome_id",
    "plan_action_id",
    "contact_id",
    "note_id",
    "document_id",
}


def build(route: str, args: dict) -> str:
    path = "/" + ARG.sub(lambda m: str(args[m.group(1)]), route)
    return path + QUERIES.get(route, "")


def body_text(response) -> str:
    if getattr(response, "streaming", False):
        raw = b"".join(response.streaming_content)
    else:
        raw = response.content
    if response.get("Content-Type", "").startswith("application/pdf"):
        import io

        from pypdf import PdfReader

        return "\n".join(p.extract_text() for p in PdfReader(io.BytesIO(raw)).pages)
    return raw.decode("utf-8", "replace")


def answers(client, users, sides, who, *, signed_in=False):
    user = users.get(who)
    if user is not None and not signed_in:
        sign_in_as(client, user)
    out = {}
    for route, _cb in url_patterns():
        for side, args in sides.items():
            response = client.get(build(route, args))
            out[(route, side)] = (
                response.status_code,
                body_text(response),
                response.get("Cache-Control", ""),
            )
    return out


@pytest.mark.parametrize("who", ROLES)
def test_the_access_matrix(client, world, who):
    users, sides = world
    wrong = _wrong_answers(client, users, sides, who)
    assert wrong == [], "\n".join(map(str, wrong))


def _wrong_answers(client, users, sides, who, changed=None, *, signed_in=False):
    """Every answer that is not the matrix's (with ``changed``: route → role
    → the answer that replaces the matrix's for the Erdington records)."""
    wrong = []
    declared = {route: access_of(cb) for route, cb in url_patterns()}
    found = answers(client, users, sides, who, signed_in=signed_in)
    for (route, side), (status, text, cache) in found.items():
        expected = MATRIX[route][who]
        if side == "a" and who in (changed or {}).get(route, {}):
            expected = (changed or {})[route][who]
        if (
            side == "b"
            and set(ARG.findall(route)) & SCOPED_ARGS
            and expected == OK
            and (route, who) not in CITYWIDE
        ):
            expected = NF  # the same page for a record out of scope
        if status != expected:
            wrong.append((route, side, status, expected))
        if MARKER in text and (route, who) not in CITYWIDE:
            wrong.append((route, side, "shows an out-of-scope record"))
        if who in NOBODY and IN_SCOPE_MARKER in text:
            wrong.append((route, side, "shows a record to a user without a scope"))
        # Nothing a signed-in user is shown is kept by a browser or a proxy.
        if (
            status == OK
            and declared[route].kind != "public"
            and "no-store" not in cache
        ):
            wrong.append((route, side, "may be cached", cache))
    return wrong


# The roles whose answers a withdrawal of consent may touch: partners on the
# team lose the case; its workers and auditors keep it.
CONSENT_ROLES = ["requester", "lead", "manager", "auditor"]


@pytest.mark.parametrize("who", CONSENT_ROLES)
def test_a_withdrawn_consent_closes_partners_access_and_an_override_restores_it(
    client, world, who
):
    users, sides = world
    case = sides["a"]["case"]
    child = sides["a"]["person"]
    lead, manager = users["lead"], users["manager"]
    (sharing,) = consent_record(
        case_id=case.pk,
        actor=lead,
        person_id=child.pk,
        purposes=["information_sharing"],
        agencies="Erdington Primary",
        given_by="parent_carer",
        given_by_name="A parent",
        given_on=dt.date(2026, 5, 10),
    )
    withdrawal = consent_withdraw(
        case_id=case.pk,
        actor=lead,
        consent_id=sharing.pk,
        withdrawn_by="parent_carer",
        withdrawn_by_name="A parent",
        withdrawn_on=dt.date(2026, 5, 11),
        details="",
    )
    wrong = _wrong_answers(client, users, sides, who, changed=WITHDRAWN_SHARING)
    assert wrong == [], "\n".join(map(str, wrong))
    consent_override_record(
        case_id=case.pk,
        actor=manager,
        withdrawal_id=withdrawal.pk,
        reason="Safeguarding: the school stays in the plan.",
    )
    # The same session: the override takes effect at once.
    wrong = _wrong_answers(client, users, sides, who, signed_in=True)
    assert wrong == [], "\n".join(map(str, wrong))


# --- Hostile bytes and unsupported methods on every route --------------------
# No route answers a 5xx to a NUL byte: each path argument in turn, and a query
# parameter, as anonymous and as a role the route answers (TRAPS: "NUL bytes
# reaching PostgreSQL"). Every page answers 405 to a method it does not handle
# and changes nothing.
HOSTILE = "%00"
REFUSED_METHODS = ("PUT", "DELETE", "PROPFIND")
# Rows these requests may touch without changing a record: the session keeps
# the time it was last used.
VOLATILE = {"sessions.Session"}


def reacher(route: str) -> str:
    """A role the route answers (200), else one it refuses only the method
    of (a route that takes POST), else anonymous."""
    for wanted in (OK, GONE):
        for who in ROLES:
            if MATRIX[route][who] == wanted:
                return who
    return "anonymous"


def hostile_urls(route: str, args: dict) -> list[str]:
    urls = [build(route, {**args, name: HOSTILE}) for name in ARG.findall(route)]
    plain = build(route, args)
    return [*urls, plain + ("&" if "?" in plain else "?") + f"q={HOSTILE}"]


def clients_by_role(users, routes) -> dict[str, tuple[Client, list[str]]]:
    """One client per role that reaches a route, signed in once."""
    out: dict[str, tuple[Client, list[str]]] = {}
    for route in routes:
        who = reacher(route)
        if who not in out:
            client = Client(raise_request_exception=False)
            if who in users:
                sign_in_as(client, users[who])
            out[who] = (client, [])
        out[who][1].append(route)
    return out


def database_rows() -> dict[str, list[dict]]:
    return {
        model._meta.label: list(model._default_manager.order_by("pk").values())
        for model in apps.get_models()
        if model._meta.managed
        and not model._meta.proxy
        and model._meta.label not in VOLATILE
    }


def test_a_nul_byte_in_any_url_is_400_for_anyone(world):
    users, sides = world
    routes = [route for route, _cb in url_patterns()]
    plan = clients_by_role(users, routes)
    # Anonymous visitors try every route, not only those they may reach.
    plan["anonymous"] = (Client(raise_request_exception=False), routes)
    wrong = []
    for who, (client, reached) in plan.items():
        for route in reached:
            for url in hostile_urls(route, sides["a"]):
                status = client.get(url).status_code
                if status != 400:
                    wrong.append((who, url, status))
    assert wrong == [], "\n".join(map(str, wrong))


def test_every_page_answers_405_to_methods_it_does_not_handle(world):
    users, sides = world
    pages = [route for route, _cb in url_patterns() if not route.startswith("api/")]
    plan = clients_by_role(users, pages)
    before = database_rows()
    wrong = []
    for who, (client, reached) in plan.items():
        for route in reached:
            url = build(route, sides["a"])
            for method in REFUSED_METHODS:
                response = client.generic(method, url, b"status=closed")
                allowed = response.get("Allow", "")
                if response.status_code != 405 or not allowed or method in allowed:
                    wrong.append((who, method, url, response.status_code, allowed))
    assert wrong == [], "\n".join(map(str, wrong))
    assert database_rows() == before
