"""The GOV.UK form mixin: a service's refusal shown on the form."""

from __future__ import annotations

import datetime as dt

from django import forms

from core.errors import InvalidInput
from core.forms import DateField, GovukFormMixin, IsoDateField


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


class DatesForm(GovukFormMixin, forms.Form):
    born = DateField(label="Date of birth")
    held_on = IsoDateField(label="Date of the review")


def test_the_govuk_date_input_reads_day_month_and_year() -> None:
    form = DatesForm(
        {"born_0": "27", "born_1": "3", "born_2": "2015", "held_on": "2026-11-20"}
    )
    assert form.is_valid(), form.errors
    assert form.cleaned_data == {
        "born": dt.date(2015, 3, 27),
        "held_on": dt.date(2026, 11, 20),
    }


def test_dates_are_refused_in_govuk_words() -> None:
    assert DatesForm({"born_0": "31", "born_1": "2", "born_2": "2015"}).errors == {
        "born": ["Date of birth must be a real date"],
        "held_on": ["Enter the date"],
    }
    assert DatesForm(
        {"born_0": "1", "born_1": "1", "born_2": "1899", "held_on": "2026-13-01"}
    ).errors == {
        "born": ["Date of birth must be a real date"],
        "held_on": ["Enter a real date"],
    }
