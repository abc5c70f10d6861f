"""Audit templates are versioned: a version that has been used never changes."""

from __future__ import annotations

import datetime as dt

import pytest

from accounts.roles import Role
from audits.models import AuditTemplate
from audits.services import audit_sample_draw, audit_template_new_version
from tests.audits.factories import make_round
from tests.factories import CaseFactory, UserFactory
from tests.helpers import sign_in_verified

pytestmark = pytest.mark.django_db


def test_the_default_template_and_scale_are_loaded():
    template = AuditTemplate.objects.get(current=True)
    titles = [d.title for d in template.domains.all()]
    assert titles[:3] == [
        "Quality of assessment",
        "Voice of the child",
        "Plan links to assessment",
    ]
    assert len(titles) == 7


def test_a_new_version_copies_the_questions_and_the_old_one_stays():
    old = AuditTemplate.objects.get(current=True)
    admin = UserFactory(role=Role.ADMINISTRATOR, organisation=None)
    new = audit_template_new_version(template_id=old.pk, actor=admin)
    old.refresh_from_db()
    assert (old.current, new.current, new.version) == (False, True, old.version + 1)
    assert [
        (d.title, [q.text for q in d.questions.all()]) for d in new.domains.all()
    ] == [(d.title, [q.text for q in d.questions.all()]) for d in old.domains.all()]
    question = new.domains.first().questions.first()
    question.text = "Reworded"
    question.save()
    assert "Reworded" not in [
        q.text for d in old.domains.all() for q in d.questions.all()
    ]


def test_a_used_version_is_read_only_in_the_admin_and_new_rounds_use_the_new_one(
    client,
):
    CaseFactory(opened_at=dt.datetime(2026, 5, 10, tzinfo=dt.UTC))
    audit_round, lead, _a, _m = make_round(sample_size=1)
    audit_sample_draw(round_id=audit_round.pk, actor=lead, seed=1)
    used = audit_round.template
    admin_user = UserFactory(
        role=Role.ADMINISTRATOR, organisation=None, is_staff=True, is_superuser=True
    )
    sign_in_verified(client, admin_user)
    url = f"/admin/audits/audittemplate/{used.pk}/change/"
    page = client.get(url)
    assert page.status_code == 200 and b'name="name"' not in page.content
    response = client.post(url, {"name": "Changed"})
    assert response.status_code == 403
    used.refresh_from_db()
    assert used.name != "Changed"
    client.post(
        "/admin/audits/audittemplate/",
        {"action": "new_version", "_selected_action": [used.pk]},
    )
    new = AuditTemplate.objects.get(current=True)
    assert new.version == used.version + 1
    page = client.get(f"/admin/audits/audittemplate/{new.pk}/change/")
    assert b'name="name"' in page.content
    second, lead2, _a2, _m2 = make_round(sample_size=1, title="Next round")
    assert second.template == new
