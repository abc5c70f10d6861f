"""Each app's events are a vocabulary: an enum of kinds, one builder per kind,
and a database that refuses any other kind."""

from __future__ import annotations

import inspect
from types import ModuleType

import pytest
from django.db import IntegrityError, transaction
from django.utils import timezone

from audits import events as audit_events
from audits.models import AuditEvent
from casework import events as case_events
from casework.models import CaseEvent
from family_connect import events as form_events
from family_connect.models import FormEvent
from tests.factories import CaseFactory, FormFactory

VOCABULARIES = [case_events, audit_events, form_events]


def _builders(module: ModuleType) -> set[str]:
    return {
        name
        for name, f in inspect.getmembers(module, inspect.isfunction)
        if f.__module__ == module.__name__ and not name.startswith("_")
    }


@pytest.mark.parametrize("module", VOCABULARIES, ids=lambda m: m.__name__)
def test_every_kind_has_one_builder_named_for_it(module):
    assert _builders(module) == set(module.Kind.values)


@pytest.mark.parametrize(
    ("model", "module"),
    [(CaseEvent, case_events), (AuditEvent, audit_events), (FormEvent, form_events)],
    ids=["case", "audit", "form"],
)
def test_the_kind_column_takes_its_vocabulary(model, module):
    field = model._meta.get_field("kind")
    assert [value for value, _ in field.choices] == module.Kind.values


@pytest.mark.django_db
def test_the_database_refuses_a_kind_outside_the_vocabulary():
    case = CaseFactory()
    form = FormFactory()
    now = timezone.now()
    rows = [
        CaseEvent(case=case, at=now, kind="case_lost"),
        AuditEvent(at=now, kind="grade_invented"),
        FormEvent(form=form, at=now, kind="form_shredded"),
    ]
    for row in rows:
        with pytest.raises(IntegrityError), transaction.atomic():
            row.save()
    assert not CaseEvent.objects.filter(kind="case_lost").exists()


@pytest.mark.django_db
def test_a_builder_makes_an_unsaved_row_of_its_kind_that_saves():
    case = CaseFactory()
    now = timezone.now()
    row = case_events.reopened(case, actor=None, at=now, reason="Back in touch")
    assert row.pk is None
    row.save()
    saved = CaseEvent.objects.get(pk=row.pk)
    assert (saved.kind, saved.data) == ("reopened", {"reason": "Back in touch"})
    assert saved.get_kind_display() == "Reopened"
