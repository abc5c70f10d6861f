"""The audit pages: who may open what (everything else 404, denied writes change
nothing), and the round → grading → moderation journey through the forms."""

from __future__ import annotations

import datetime as dt

import pytest

from accounts.roles import Role
from audits.models import AuditRound, CaseAudit
from audits.services import audit_sample_draw
from localities.models import Locality
from tests.audits.factories import auditor, make_round, questions
from tests.factories import CaseFactory, UserFactory
from tests.helpers import date_boxes, days_from_today, sign_in_verified

pytestmark = pytest.mark.django_db

IN_MAY = dt.datetime(2026, 5, 10, 10, 0, tzinfo=dt.UTC)


@pytest.fixture
def world():
    erdington = Locality.objects.get(slug="erdington")
    cases = [CaseFactory(locality=erdington, opened_at=IN_MAY) for _ in range(2)]
    a, b, m = auditor("Health"), auditor("Police"), auditor("Council")
    audit_round, lead, _a, _m = make_round(sample_size=2, auditors=[a, b], moderator=m)
    audits = audit_sample_draw(round_id=audit_round.pk, actor=lead, seed=5)
    mine = next(x for x in audits if x.auditor_id == a.pk)
    return {
        "round": audit_round,
        "audit": mine,
        "lead": lead,
        "auditor": a,
        "other_auditor": b,
        "moderator": m,
        "outsider": auditor("Housing"),
        "manager": UserFactory(role=Role.LOCALITY_MANAGER, localities=["erdington"]),
        "practitioner": cases[0].lead_practitioner,
        "requester": UserFactory(role=Role.REQUESTER),
        "administrator": UserFactory(role=Role.ADMINISTRATOR, organisation=None),
    }


MATRIX = {
    # who: (index, round page, the auditor's case audit, reports)
    "lead": (200, 200, 200, 200),
    "auditor": (200, 200, 200, 404),
    "other_auditor": (200, 200, 404, 404),
    "moderator": (200, 200, 200, 404),
    "outsider": (200, 404, 404, 404),
    "manager": (200, 404, 404, 200),
    "practitioner": (200, 404, 404, 404),
    "requester": (404, 404, 404, 404),
    "administrator": (404, 404, 404, 404),
}


@pytest.mark.parametrize("who", list(MATRIX))
def test_who_opens_which_audit_page(client, world, who):
    sign_in_verified(client, world[who])
    urls = [
        "/audits/",
        f"/audits/rounds/{world['round'].pk}/",
        f"/audits/case-audits/{world['audit'].pk}/",
        "/audits/reports/",
    ]
    got = tuple(client.get(url).status_code for url in urls)
    assert got == MATRIX[who]


@pytest.mark.parametrize("who", [w for w in MATRIX if w != "auditor"])
def test_only_the_assigned_auditor_grades_and_nothing_changes_for_others(
    client, world, who
):
    sign_in_verified(client, world[who])
    audit = world["audit"]
    data = {"form": "grading", "grade": "good", "submit": "1"}
    response = client.post(f"/audits/case-audits/{audit.pk}/", data)
    assert response.status_code == 404
    audit.refresh_from_db()
    assert audit.status == "assigned" and audit.grade_id is None


@pytest.mark.parametrize("who", [w for w in MATRIX if w != "lead"])
def test_only_performance_leads_set_up_draw_and_close_rounds(client, world, who):
    sign_in_verified(client, world[who])
    assert client.get("/audits/rounds/new/").status_code == 404
    rounds = AuditRound.objects.count()
    response = client.post(
        "/audits/rounds/new/", {"title": "x", "type": "themed", "sample_size": 1}
    )
    assert response.status_code == 404 and AuditRound.objects.count() == rounds
    response = client.post(f"/audits/rounds/{world['round'].pk}/", {"do": "close"})
    assert response.status_code == 404
    world["round"].refresh_from_db()
    assert world["round"].status == "open"


def test_setting_up_a_round_through_the_form(client, world):
    sign_in_verified(client, world["lead"])
    form = {
        "title": "Themed audit: neglect",
        "type": "themed",
        # The period audited is past; the audits are due ahead.
        **date_boxes("period_start", dt.date(2026, 5, 1)),
        **date_boxes("period_end", dt.date(2026, 5, 31)),
        "localities": ["erdington", "ladywood"],
        "sample_size": "3",
        **date_boxes("due_on", days_from_today(30)),
        "auditors": f"{world['auditor'].email}\nnot-an-auditor@example.org",
        "moderator": world["moderator"].email,
    }
    rounds = AuditRound.objects.count()
    page = client.post("/audits/rounds/new/", form)
    assert page.status_code == 200
    text = page.content.decode()
    assert "There is a problem" in text and "<title>Error:" in text
    assert "not-an-auditor@example.org" in text
    assert AuditRound.objects.count() == rounds
    form["auditors"] = f"{world['auditor'].email}\n{world['other_auditor'].email}"
    response = client.post("/audits/rounds/new/", form)
    assert response.status_code == 302
    created = AuditRound.objects.get(title="Themed audit: neglect")
    assert created.status == "draft"
    assert sorted(created.localities.values_list("slug", flat=True)) == [
        "erdington",
        "ladywood",
    ]


def grading_post(grade="good", *, skip_first=False, submit=True):
    data = {
        "form": "grading",
        "grade": grade,
        "strengths": "Clear plan with the family's words.",
        "improvements": "Reviews late.",
    }
    for i, q in enumerate(questions()):
        if not (skip_first and i == 0):
            data[f"q{q.pk}"] = grade
    if submit:
        data["submit"] = "1"
    return data


def test_grading_and_moderating_through_the_pages(client, world):
    audit = world["audit"]
    url = f"/audits/case-audits/{audit.pk}/"
    sign_in_verified(client, world["auditor"])
    page = client.post(url, grading_post(skip_first=True))
    assert page.status_code == 200
    text = page.content.decode()
    assert "<title>Error:" in text and "Grade every question" in text
    audit.refresh_from_db()
    assert audit.status == "assigned"
    assert client.post(url, grading_post()).status_code == 302
    audit.refresh_from_db()
    assert audit.status == "submitted" and audit.grade_id == "good"

    client.logout()
    sign_in_verified(client, world["moderator"])
    page = client.post(url, {"form": "moderation", "grade": "requires_improvement"})
    assert page.status_code == 200 and "Give the reason" in page.content.decode()
    audit.refresh_from_db()
    assert audit.status == "submitted"
    response = client.post(
        url,
        {
            "form": "moderation",
            "grade": "requires_improvement",
            "reason": "Drift between reviews was not challenged.",
        },
    )
    assert response.status_code == 302
    audit.refresh_from_db()
    assert audit.final_grade_id == "requires_improvement"
    page = client.get(url).content.decode()
    assert "Auditor&#x27;s overall grade" in page or "Auditor's overall grade" in page
    assert "Good" in page
    assert "Moderated grade" in page and "Requires Improvement" in page
    assert "Drift between reviews was not challenged." in page
    assert CaseAudit.objects.get(pk=audit.pk).grade_id == "good"
