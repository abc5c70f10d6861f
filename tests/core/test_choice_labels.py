"""Coded columns show their labels without rebuilding the choices on every call."""

from __future__ import annotations

import pytest
from django.utils import translation

from casework.models import Case, ClosurePerson
from family_connect.models import FamilyConnectForm, FormMember


@pytest.fixture
def no_rebuilt_choices(monkeypatch):
    def refuse(value):
        raise AssertionError("choices rebuilt for one label")

    monkeypatch.setattr("django.db.models.base.make_hashable", refuse)


def test_labels_come_from_a_dictionary_built_once(no_rebuilt_choices):
    form = FamilyConnectForm(route="school", level_of_need="universal_plus")
    assert form.get_route_display() == "School, nursery or college"
    assert form.get_level_of_need_display() == "Universal plus"
    member = FormMember(ethnicity="asian_pakistani", sex="female")
    assert (
        member.get_ethnicity_display()
        == dict(FormMember._meta.get_field("ethnicity").flatchoices)["asian_pakistani"]
    )
    assert Case(status="plan").get_status_display()
    assert ClosurePerson(happy="not_asked").get_happy_display() == "Not asked"


def test_an_unknown_code_shows_as_itself(no_rebuilt_choices):
    assert FamilyConnectForm(route="carrier_pigeon").get_route_display() == (
        "carrier_pigeon"
    )


def test_labels_follow_the_active_language():
    form = FamilyConnectForm(status="submitted")
    with translation.override("en-gb"):
        english = form.get_status_display()
    with translation.override("ur"):
        urdu = form.get_status_display()
    assert english == "Waiting for a decision"
    assert urdu == "فیصلے کا انتظار ہے"
