"""The GOV.UK form mixin: a service's refusal shown on the form."""

from __future__ import annotations

from django import forms

from core.errors import InvalidInput
from core.forms import GovukFormMixin


class TwoFieldForm(GovukFormMixin, forms.Form):
    name = forms.CharField(required=False)
    file = forms.CharField(required=False)


def _form() -> TwoFieldForm:
    form = TwoFieldForm({"name": "", "file": ""})
    assert form.is_valid()
    return form


def test_a_named_field_of_the_form_gets_the_error() -> None:
    form = _form()
    form.add_domain_error(InvalidInput("Enter the name", field="name"))
    assert form.errors == {"name": ["Enter the name"]}


def test_a_field_the_form_does_not_have_goes_to_the_top_of_the_form() -> None:
    form = _form()
    form.add_domain_error(InvalidInput("Choose a household", field="family"))
    assert form.non_field_errors() == ["Choose a household"]


def test_no_field_goes_to_the_top_of_the_form() -> None:
    form = _form()
    form.add_domain_error(InvalidInput("The case is closed."))
    assert form.non_field_errors() == ["The case is closed."]


def test_otherwise_names_the_field_for_an_error_the_form_cannot_place() -> None:
    form = _form()
    form.add_domain_error(InvalidInput("Not a CSV file"), otherwise="file")
    form.add_domain_error(
        InvalidInput("No such household", field="family"), otherwise="file"
    )
    assert form.errors == {"file": ["Not a CSV file", "No such household"]}


def test_renamed_maps_the_services_field_to_the_forms() -> None:
    form = _form()
    form.add_domain_error(
        InvalidInput("Cannot be in the future", field="referred_at"),
        renamed={"referred_at": "name"},
    )
    assert form.errors == {"name": ["Cannot be in the future"]}
