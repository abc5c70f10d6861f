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
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver
from django.utils import timezone

from accounts.roles import Role
from audits.models import AuditAction, AuditReport
from core.pdf import render_pdf_from_html
from core.view_access import access_of
from family_connect.references import status_token
from privacy.models import SubjectAccessPDF
from scorecard.models import Release, ReleasePDF
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


ROLES = [
    "anonymous",
    "no_role",
    "practitioner_no_locality",
    "lead",
    "practitioner",
    "manager",
    "requester",
    "auditor",
    "performance_lead",
    "administrator",
    "data_protection",
]

# Each route's answer for each role, for the Erdington records. Anonymous
# visitors are sent to sign in (302) on pages and refused (401/403) by the
# API; "ok" is 200. Everything out of scope is 404, the same as a record that
# does not exist. Routes that only take POST answer 405 to everyone signed in.
OK, NF, GONE = 200, 404, 405
SIGN_IN, REFUSED = 302, 401


def row(default: int, **by_role: int) -> dict[str, int]:
    return {role: by_role.get(role, default) for role in ROLES}


MATRIX: dict[str, dict[str, int]] = {
    "": row(OK, anonymous=SIGN_IN),
    "account/api-tokens/": row(OK, anonymous=SIGN_IN),
    "account/api-tokens/<int:token_id>/revoke/": row(GONE, anonymous=SIGN_IN),
    "account/password/": row(OK, anonymous=SIGN_IN),
    # Public: the link's one-time token is the credential; a bad one says so.
    "account/set-password/<str:uidb64>/<str:token>/": row(OK),
    "account/two-factor/": row(SIGN_IN, no_role=OK, requester=OK),
    "account/two-factor/verify/": row(
        OK, anonymous=SIGN_IN, no_role=SIGN_IN, requester=SIGN_IN
    ),
    "api/docs/": row(OK, anonymous=REFUSED),
    "api/schema/": row(OK, anonymous=REFUSED),
    "api/v1/audits/grade-distribution/": row(
        NF, anonymous=REFUSED, manager=400, performance_lead=400
    ),
    "api/v1/cases/": row(OK, anonymous=REFUSED),
    "api/v1/cases/<int:case_id>/": row(
        NF, anonymous=REFUSED, lead=OK, manager=OK, requester=OK, auditor=OK
    ),
    "api/v1/family-connect/": row(OK, anonymous=REFUSED),
    "api/v1/family-connect/<str:reference>/": row(
        NF, anonymous=REFUSED, manager=OK, requester=OK
    ),
    "api/v1/family-connect/<str:reference>/decision/": row(GONE, anonymous=REFUSED),
    # The candidates show other households: the form's managers only.
    "api/v1/family-connect/<str:reference>/matches/": row(
        NF, anonymous=REFUSED, manager=OK
    ),
    "api/v1/family-connect/<str:reference>/matches/<int:candidate_id>/": row(
        GONE, anonymous=REFUSED
    ),
    "api/v1/me/": row(OK, anonymous=REFUSED),
    # Search: the roles that work with families, within their scope (the
    # query finds Erdington's child, "alfa"); the officer city-wide, on the
    # page only. The other roles have no search of identifiable data.
    "api/v1/people/": row(
        OK,
        anonymous=REFUSED,
        no_role=403,
        auditor=403,
        performance_lead=403,
        administrator=403,
        data_protection=403,
    ),
    "api/v1/scorecard/<str:period>/": row(
        NF, anonymous=REFUSED, manager=OK, performance_lead=OK
    ),
    "api/v1/scorecard/<str:period>/pdf/": row(
        NF, anonymous=REFUSED, manager=OK, performance_lead=OK
    ),
    "api/v1/social-care-referrals/": row(GONE, anonymous=REFUSED),
    "audits/": row(
        OK,
        anonymous=SIGN_IN,
        no_role=NF,
        requester=NF,
        administrator=NF,
        data_protection=NF,
    ),
    "audits/actions/<int:action_id>/done/": row(GONE, anonymous=SIGN_IN),
    "audits/case-audits/<int:audit_id>/": row(
        NF, anonymous=SIGN_IN, auditor=OK, performance_lead=OK
    ),
    "audits/reports/": row(NF, anonymous=SIGN_IN, manager=OK, performance_lead=OK),
    "audits/reports/pdf/": row(GONE, anonymous=SIGN_IN),
    "audits/reports/pdf/<str:period>/": row(
        NF, anonymous=SIGN_IN, manager=OK, performance_lead=OK
    ),
    "audits/reports/pdf/<str:period>/status/": row(
        NF, anonymous=SIGN_IN, manager=OK, performance_lead=OK
    ),
    "audits/rounds/<int:round_id>/": row(
        NF, anonymous=SIGN_IN, auditor=OK, performance_lead=OK
    ),
    "audits/rounds/new/": row(NF, anonymous=SIGN_IN, performance_lead=OK),
    "benchmark/floor/": row(NF, anonymous=SIGN_IN),
    "benchmark/insert/": row(GONE),
    "cases/": row(
        OK,
        anonymous=SIGN_IN,
        no_role=NF,
        auditor=NF,
        performance_lead=NF,
        administrator=NF,
        data_protection=NF,
    ),
    "cases/<int:case_id>/": row(
        NF, anonymous=SIGN_IN, lead=OK, manager=OK, requester=OK, auditor=OK
    ),
    "cases/<int:case_id>/assessment/": row(
        NF, anonymous=SIGN_IN, lead=OK, manager=OK, auditor=OK
    ),
    "cases/<int:case_id>/close/": row(NF, anonymous=SIGN_IN, lead=OK, manager=OK),
    "cases/<int:case_id>/closure/": row(GONE, anonymous=SIGN_IN),
    "cases/<int:case_id>/notes/": row(GONE, anonymous=SIGN_IN),
    "cases/<int:case_id>/people/": row(GONE, anonymous=SIGN_IN),
    "cases/<int:case_id>/people/new/": row(NF, anonymous=SIGN_IN, lead=OK, manager=OK),
    "cases/<int:case_id>/plan/": row(
        NF, anonymous=SIGN_IN, lead=OK, manager=OK, requester=OK, auditor=OK
    ),
    "cases/<int:case_id>/reviews/": row(
        NF, anonymous=SIGN_IN, lead=OK, manager=OK, auditor=OK
    ),
    "cases/<int:case_id>/step-up/": row(NF, anonymous=SIGN_IN, lead=OK, manager=OK),
    "cases/<int:case_id>/team/": row(GONE, anonymous=SIGN_IN),
    "cases/dashboard/": row(
        NF,
        anonymous=SIGN_IN,
        practitioner_no_locality=OK,
        lead=OK,
        practitioner=OK,
        manager=OK,
    ),
    "cases/my-work/": row(
        NF,
        anonymous=SIGN_IN,
        practitioner_no_locality=OK,
        lead=OK,
        practitioner=OK,
        manager=OK,
        requester=OK,
    ),
    "cases/my-work/team/": row(NF, anonymous=SIGN_IN, manager=OK),
    # A worker's list: managers of a locality the worker is a member of.
    "cases/my-work/<int:user_id>/": row(NF, anonymous=SIGN_IN, manager=OK),
    "cases/people/<int:person_id>/": row(NF, anonymous=SIGN_IN, lead=OK, manager=OK),
    "cases/people/<int:person_id>/address/": row(
        NF, anonymous=SIGN_IN, lead=OK, manager=OK
    ),
    "cases/people/<int:person_id>/details/": row(
        NF, anonymous=SIGN_IN, lead=OK, manager=OK
    ),
    "cases/people/<int:person_id>/move/": row(
        NF, anonymous=SIGN_IN, lead=OK, manager=OK
    ),
    "cases/social-care-referrals/template.csv": row(
        NF,
        anonymous=SIGN_IN,
        practitioner_no_locality=OK,
        lead=OK,
        practitioner=OK,
        manager=OK,
    ),
    "cases/social-care-referrals/upload/": row(
        NF,
        anonymous=SIGN_IN,
        practitioner_no_locality=OK,
        lead=OK,
        practitioner=OK,
        manager=OK,
    ),
    "family-connect/": row(OK),
    "family-connect/bulk/": row(NF, anonymous=SIGN_IN, manager=OK, requester=OK),
    "family-connect/bulk/template.csv": row(
        NF, anonymous=SIGN_IN, manager=OK, requester=OK
    ),
    "family-connect/check/": row(SIGN_IN),
    "family-connect/confirmation/": row(SIGN_IN),
    "family-connect/forms/": row(OK, anonymous=SIGN_IN),
    "family-connect/person/<str:kind>/": row(SIGN_IN),
    "family-connect/person/<str:kind>/<int:index>/": row(SIGN_IN),
    "family-connect/person/<str:kind>/<int:index>/remove/": row(GONE),
    "family-connect/resume/<str:token>/": row(NF),
    "family-connect/save/": row(SIGN_IN),
    "family-connect/status/<str:token>/": row(OK),
    "family-connect/step/<slug:slug>/": row(SIGN_IN),
    "healthz": row(OK),
    "i18n/setlang/": row(SIGN_IN),
    "privacy/who-viewed/": row(NF, anonymous=SIGN_IN, data_protection=OK),
    "privacy/subject-access/": row(NF, anonymous=SIGN_IN, data_protection=OK),
    "privacy/anomalies/": row(NF, anonymous=SIGN_IN, data_protection=OK),
    "privacy/subject-access/<int:person_id>/export.json": row(
        NF, anonymous=SIGN_IN, data_protection=OK
    ),
    "privacy/subject-access/<int:person_id>/pdf/": row(GONE, anonymous=SIGN_IN),
    # The officer's own PDF jobs only (the world's officer asked for both).
    "privacy/subject-access/pdf/<int:job_id>/": row(
        NF, anonymous=SIGN_IN, data_protection=OK
    ),
    "privacy/subject-access/pdf/<int:job_id>/download/": row(
        NF, anonymous=SIGN_IN, data_protection=OK
    ),
    "scorecard/": row(NF, anonymous=SIGN_IN, manager=OK, performance_lead=OK),
    "scorecard/export.csv": row(NF, anonymous=SIGN_IN, manager=OK, performance_lead=OK),
    "scorecard/indicators/<str:ref>/": row(
        NF, anonymous=SIGN_IN, manager=OK, performance_lead=OK
    ),
    "scorecard/partner-figures/": row(NF, anonymous=SIGN_IN, performance_lead=OK),
    "scorecard/partner-figures/template.csv": row(
        NF, anonymous=SIGN_IN, performance_lead=OK
    ),
    "scorecard/run/": row(GONE, anonymous=SIGN_IN),
    "scorecard/runs/<int:release_id>/": row(
        NF, anonymous=SIGN_IN, manager=OK, performance_lead=OK
    ),
    "scorecard/runs/<int:release_id>/pdf/": row(
        NF, anonymous=SIGN_IN, manager=OK, performance_lead=OK
    ),
    "scorecard/runs/<int:release_id>/pdf/make/": row(GONE, anonymous=SIGN_IN),
    "scorecard/runs/<int:release_id>/pdf/download/": row(
        NF, anonymous=SIGN_IN, manager=OK, performance_lead=OK
    ),
    "search/": row(
        OK,
        anonymous=SIGN_IN,
        no_role=403,
        auditor=403,
        performance_lead=403,
        administrator=403,
    ),
    "sign-in/": row(SIGN_IN, anonymous=OK),
    "sign-out/": row(GONE),
    "triage/": row(NF, anonymous=SIGN_IN, manager=SIGN_IN),
    "triage/<slug:slug>/": row(NF, anonymous=SIGN_IN, manager=OK),
    "triage/<slug:slug>/services/": row(NF, anonymous=SIGN_IN, manager=OK),
    "triage/<slug:slug>/team/": row(NF, anonymous=SIGN_IN, manager=OK),
    "triage/forms/<str:reference>/": row(NF, anonymous=SIGN_IN, manager=OK),
    "triage/forms/<str:reference>/matches/<int:candidate_id>/": row(
        GONE, anonymous=SIGN_IN
    ),
}

# Roles whose work spans the city: the same answer for Ladywood's records.
CITYWIDE = {
    ("audits/case-audits/<int:audit_id>/", "performance_lead"),
    ("audits/rounds/<int:round_id>/", "performance_lead"),
    # The data protection officer answers for every person's records.
    ("privacy/subject-access/<int:person_id>/export.json", "data_protection"),
    ("privacy/subject-access/pdf/<int:job_id>/", "data_protection"),
    ("privacy/subject-access/pdf/<int:job_id>/download/", "data_protection"),
}
# Query strings some routes need to answer at all.
QUERIES = {
    "scorecard/export.csv": "?month=2026-05",
    "search/": "?q=alfa",
    "api/v1/people/": "?q=alfa",
}


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
    return {
        "case_id": case.pk,
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


def answers(client, users, sides, who):
    user = users.get(who)
    if user is not None:
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
    wrong = []
    declared = {route: access_of(cb) for route, cb in url_patterns()}
    found = answers(client, users, sides, who)
    for (route, side), (status, text, cache) in found.items():
        expected = MATRIX[route][who]
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
